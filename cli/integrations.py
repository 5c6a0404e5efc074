"""`fairtrack import FILE` (events from an organization's own case system, as one of its staff)
and `fairtrack worker` (the outbox and the periodic scan)."""

import signal
import time
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from sqlalchemy import func, select
from sqlmodel import col

from accounts.models import User
from accounts.service import actor_of, normalize_email
from casefile.imports import import_events
from casefile.worker import Worker
from cli.database import open_session
from fairtrack.database import make_engine, make_sessionmaker
from fairtrack.errors import DomainError
from fairtrack.settings import get_settings
from integrations.files import format_of
from regulators.registry import get_registry

err = Console(stderr=True)


def _count_lines(path: Path) -> int:
    with path.open("rb") as handle:
        return sum(1 for _ in handle)


def import_file(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, readable=True,
                                         help="A .csv or .jsonl file (docs/integrations.md)")],
    as_user: Annotated[str, typer.Option("--as", metavar="EMAIL",
                                         help="The staff account the rows are recorded as")],
    show_refusals: Annotated[int, typer.Option(help="Print at most this many refused rows")] = 50,
) -> None:
    """Import events from a CSV or JSON Lines file: each row applied once, refusals reported."""
    file_format = format_of(file.name)
    if file_format is None:
        err.print("[red]error:[/red] the file must end in .csv, .jsonl or .ndjson")
        raise typer.Exit(2)
    total = _count_lines(file) - (1 if file_format.value == "csv" else 0)
    with open_session() as session:
        user = session.scalars(select(User).where(
            func.lower(col(User.email)) == normalize_email(as_user))).one_or_none()
        if user is None or not user.is_active:
            err.print(f"[red]error:[/red] no active account {as_user}")
            raise typer.Exit(2)
        actor = actor_of(user)
        columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        try:
            with file.open(encoding="utf-8-sig", newline="") as lines, \
                    Progress(*columns, console=err, transient=True) as progress:
                task = progress.add_task("rows", total=max(total, 0))
                report = import_events(session, actor, get_registry(), file_format, lines, file.name,
                                       progress=lambda n: progress.advance(task, n))
        except DomainError as exc:
            err.print(f"[red]error:[/red] {exc.message}")
            raise typer.Exit(2) from exc
        except UnicodeDecodeError as exc:
            err.print(f"[red]error:[/red] the file is not UTF-8: {exc}")
            raise typer.Exit(2) from exc
    for refusal in report.refusals[:show_refusals]:
        err.print(f"line {refusal.line}: {refusal.reason}", soft_wrap=True, markup=False,
                  highlight=False)
    err.print(f"import job {report.job}: {report.rows} rows, applied {report.applied}, already "
              f"applied {report.already_applied}, refused {report.refused}")
    if report.refused:
        raise typer.Exit(1)


def worker(
    once: Annotated[bool, typer.Option("--once", help="Stop when nothing is due")] = False,
) -> None:
    """Send the outbox (webhooks, emails) and run the periodic scan; stops cleanly on SIGTERM."""
    settings = get_settings()
    with open_session():
        pass  # the schema is current (or say so and stop)
    engine = make_engine(settings.database_url)
    running = Worker(make_sessionmaker(engine), settings, get_registry())

    def stop(signum: int, _frame: FrameType | None) -> None:
        err.print(f"signal {signum}: finishing the message being sent, then stopping")
        running.stop()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    err.print("worker started")
    try:
        stats = running.run(time.monotonic, once=once)
    finally:
        engine.dispose()
    err.print(f"worker stopped: sent {stats.sent}, failed attempts {stats.failed}, scans {stats.scans}")
