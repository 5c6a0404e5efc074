"""`fairtrack report regulator|annual` (PDF) and `fairtrack export` (CSV), as fairness staff, with
a progress bar on standard error."""

from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from accounts.actor import Actor
from cli.database import open_session
from fairtrack.csvstream import csv_lines
from fairtrack.errors import DomainError
from i18n import Language
from law.road import Role
from regulators.registry import get_registry

report = typer.Typer(help="PDF reports: a regulator's timeliness audit, the annual report.",
                     no_args_is_help=True)
err = Console(stderr=True)
# The command line reads as fairness staff: every regulator's figures.
STAFF = Actor(user_id=None, role=Role.oversight)
REPORT_STEPS = 7  # documents.reports: the progress messages of a regulator report
Lang = Annotated[str, typer.Option("--lang", help="en or fr")]
Out = Annotated[Path, typer.Option("--out", help="The file to write", dir_okay=False)]


def _lang(value: str) -> Language:
    if value not in ("en", "fr"):
        err.print("[red]error:[/red] --lang is en or fr")
        raise typer.Exit(2)
    return value  # type: ignore[return-value]


def _bar() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn(),
                    console=err, transient=True)


@report.command("regulator")
def regulator_report_command(
    regulator: Annotated[str, typer.Argument(help="The regulator's slug or acronym, e.g. CNO")],
    since: Annotated[str, typer.Option("--from", help="First Ontario date, YYYY-MM-DD")],
    until: Annotated[str, typer.Option("--to", help="Last Ontario date, YYYY-MM-DD")],
    out: Out,
    lang: Lang = "en",
) -> None:
    """A regulator's timeliness audit for a period, as PDF."""
    from documents.reports import regulator_report

    try:
        first, last = date.fromisoformat(since), date.fromisoformat(until)
    except ValueError as exc:
        err.print(f"[red]error:[/red] dates are YYYY-MM-DD ({exc})")
        raise typer.Exit(2) from exc
    with open_session() as session, _bar() as bar:
        task = bar.add_task("report", total=REPORT_STEPS)

        def step(what: str) -> None:
            bar.update(task, description=what, advance=1)

        try:
            pdf = regulator_report(session, STAFF, get_registry(), regulator.lower(), first, last,
                                   _lang(lang), progress=step)
        except DomainError as exc:
            err.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2) from exc
        bar.update(task, completed=REPORT_STEPS)
    out.write_bytes(pdf)
    err.print(f"{out}: {len(pdf)} bytes")


@report.command("annual")
def annual_report_command(
    year: Annotated[int, typer.Argument(min=1900, max=2200, help="The calendar year")],
    out: Out,
    lang: Lang = "en",
) -> None:
    """Every regulator side by side for a year, small cells shown as '<10', as PDF."""
    from documents.reports import annual_report

    with open_session() as session, _bar() as bar:
        task = bar.add_task("report", total=REPORT_STEPS)

        def step(what: str) -> None:
            bar.update(task, description=what, advance=1)

        try:
            pdf = annual_report(session, STAFF, get_registry(), year, _lang(lang), progress=step)
        except DomainError as exc:
            err.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2) from exc
    out.write_bytes(pdf)
    err.print(f"{out}: {len(pdf)} bytes")


def export_command(
    kind: Annotated[str, typer.Argument(help="applications, events, stage_intervals or flags")],
    out: Out,
    regulator: Annotated[str | None, typer.Option(help="One regulator's (default: all)")] = None,
    since: Annotated[str | None, typer.Option("--from", help="Opened on or after, YYYY-MM-DD")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Opened on or before, YYYY-MM-DD")] = None,
) -> None:
    """A CSV export (docs/exports.md), written as it is read."""
    from oversight.exports import export, export_rows

    try:
        first = date.fromisoformat(since) if since else None
        last = date.fromisoformat(until) if until else None
        plan = export(STAFF, get_registry(), kind, regulator=regulator.lower() if regulator else None,
                      since=first, until=last)
    except ValueError as exc:
        err.print(f"[red]error:[/red] dates are YYYY-MM-DD ({exc})")
        raise typer.Exit(2) from exc
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    rows = 0
    with open_session() as session, _bar() as bar, out.open("w", encoding="utf-8", newline="") as f:
        task = bar.add_task(f"{kind}: 0 rows", total=None)

        def counted() -> Iterator[Sequence[Any]]:
            nonlocal rows
            for row in export_rows(session, plan):
                rows += 1
                if rows % 10_000 == 0:
                    bar.update(task, description=f"{kind}: {rows:,} rows")
                yield row

        for chunk in csv_lines(plan.header, counted()):
            f.write(chunk)
    err.print(f"{out}: {rows} rows")
