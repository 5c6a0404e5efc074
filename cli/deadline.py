"""`fairtrack deadline WINDOW START`: the public calculator on the command line."""

from datetime import date, datetime
from typing import Annotated

import typer
from rich.console import Console

from deadlines.views import calculation
from fairtrack.errors import DomainError
from law.windows import SentBy
from regulators.registry import get_registry

out = Console(soft_wrap=True, highlight=False, markup=False)
err = Console(stderr=True, soft_wrap=True, highlight=False, markup=False)


def deadline(
    window: Annotated[str, typer.Argument(help="e.g. appeal_board_request")],
    start: Annotated[datetime, typer.Argument(formats=["%Y-%m-%d"],
                                              help="The decision's (or sending's) date")],
    regulator: Annotated[str | None, typer.Option(help="The body, for its own windows")] = None,
    sent_by: Annotated[SentBy | None, typer.Option(help="in_person, email or regular_mail")] = None,
    received_on: Annotated[datetime | None, typer.Option(formats=["%Y-%m-%d"],
                                                         help="The actual receipt")] = None,
) -> None:
    """The last day of a window from a date, with the rule, the holidays and the citation."""
    received: date | None = received_on.date() if received_on else None
    try:
        answer = calculation(get_registry(), window, start.date(), regulator, sent_by, received)
    except DomainError as exc:
        err.print(f"error: {exc.message}")
        raise typer.Exit(2) from exc
    if not answer.known:
        out.print(answer.note or "no period known")
        raise typer.Exit(1)
    assert answer.counting is not None and answer.last_day is not None
    out.print(f"{answer.window}: last day {answer.last_day.isoformat()} "
              f"({answer.last_day.strftime('%A')}), the whole day, Ontario time")
    out.print(f"runs from {answer.runs_from}: {answer.basis}")
    out.print(f"{answer.days} days, counted under {answer.counting.name}: "
              f"{answer.counting.counting}")
    for holiday in answer.holidays_stepped_over:
        out.print(f"stepped over {holiday.day.isoformat()}: {holiday.name}")
    out.print(f"citation: {answer.citation}")
    for note in answer.to_verify:
        out.print(f"to verify: {note}")
