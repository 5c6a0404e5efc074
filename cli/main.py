"""The `fairtrack` command: serve, migrate, demo data, accounts, verify, reports and exports."""

import copy
import sys
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress

from casefile.accounts import add_user, end_sessions_of
from cli.database import open_session
from cli.deadline import deadline
from cli.documents import export_command, report
from cli.integrations import import_file, worker
from cli.keys import keys as keys_app
from cli.law import app as law_app
from cli.regulators import app as regulators_app
from fairtrack.database import make_engine
from fairtrack.errors import DomainError
from fairtrack.migrate import UnknownRevision, downgrade, upgrade
from fairtrack.settings import Settings, get_settings
from law.road import Role
from regulators.registry import get_registry
from workflow.repository import count_applications

app = typer.Typer(help="FairTrack: the licensure road's system of record.", no_args_is_help=True)
db = typer.Typer(help="Database schema.", no_args_is_help=True)
users = typer.Typer(help="User accounts.", no_args_is_help=True)
app.add_typer(db, name="db")
app.add_typer(users, name="users")
app.add_typer(regulators_app, name="regulators")
app.add_typer(keys_app, name="keys")
app.add_typer(law_app, name="law")
app.command()(deadline)
app.command("import")(import_file)
app.command()(worker)
app.add_typer(report, name="report")
app.command("export")(export_command)
err = Console(stderr=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Default: FAIRTRACK_HOST")] = None,
    port: Annotated[int | None, typer.Option(help="Default: FAIRTRACK_PORT")] = None,
    workers: Annotated[int | None, typer.Option(
        min=1, max=64, help="Server processes (production: about one per core). Default: "
        "FAIRTRACK_WORKERS")] = None,
) -> None:
    """Serve the web app and API."""
    import uvicorn

    settings = get_settings()
    uvicorn.run("api.app:create_app", factory=True,
                **server_options(settings, host, port, workers))


def server_options(settings: Settings, host: str | None = None, port: int | None = None,
                   workers: int | None = None) -> dict[str, Any]:
    """How `fairtrack serve` runs uvicorn. Its access log is off: it prints client addresses beside
    the pseudonymised events (the app logs each request with the address's pseudonym instead). Its
    own reading of X-Forwarded-For is off: the app believes it from `trusted_proxies` only. With
    several workers each process has its own connection pool (sized by the db_pool_* settings)."""
    return {
        "host": host or settings.host,
        "port": port or settings.port,
        "workers": workers or settings.workers,
        # A worker answers the supervisor's health checks once started; its start (the registry,
        # the pool) can take longer than uvicorn's 5 s on a busy machine, and a worker killed for
        # it starts again, and again.
        "timeout_worker_healthcheck": 60,
        "log_level": settings.log_level,
        "log_config": logging_config(settings.log_level),
        "access_log": False,
        "proxy_headers": False,
    }


def logging_config(level: str) -> dict[str, Any]:
    """uvicorn's own logging, plus FairTrack's loggers (the pseudonymous access log, refusals) on
    the same standard error stream: without this, `fairtrack.*` records reach no handler."""
    from uvicorn.config import LOGGING_CONFIG

    config = copy.deepcopy(LOGGING_CONFIG)
    config["loggers"]["fairtrack"] = {"handlers": ["default"], "level": level.upper(),
                                      "propagate": False}
    return config


@db.command("upgrade")
def db_upgrade(revision: str = "head") -> None:
    """Apply migrations up to REVISION (default: the latest)."""
    upgrade(make_engine(get_settings().database_url), revision)
    err.print(f"database at {revision}")


# "-1" is a revision here, not an option.
@db.command("downgrade", context_settings={"ignore_unknown_options": True})
def db_downgrade(
    revision: Annotated[str, typer.Argument(
        help="The revision to step back to: an id from migrations/versions, or -1 for one step.")],
) -> None:
    """Undo migrations down to REVISION, keeping the data the older schema can hold (what later
    revisions added, their columns and tables, is dropped)."""
    try:
        downgrade(make_engine(get_settings().database_url), revision)
    except UnknownRevision as exc:
        err.print(f"[red]error:[/red] {exc}", soft_wrap=True)
        raise typer.Exit(2) from exc
    err.print(f"database downgraded to {revision}")


@app.command()
def demo(
    applications: Annotated[int, typer.Option(min=1, max=2_000_000)] = 1000,
    seed: int = 2026,
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="Do nothing when applications exist already.")
    ] = False,
) -> None:
    """Add synthetic applications with realistic histories, and the demo accounts."""
    from cli.demo import DEMO_PASSWORD, generate

    with open_session() as session:
        existing = count_applications(session)
        if if_empty and existing:
            err.print(f"{existing} applications exist; no demo data added")
            return
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("demo applications", total=applications)
            added = generate(
                session, get_registry(), applications, seed,
                progress=lambda n: progress.advance(task, n),
                phase=lambda name: progress.update(task, description=f"demo applications: {name}"),
            )
    err.print(f"added {added} demo applications; demo accounts' password: {DEMO_PASSWORD}")


@users.command("add")
def users_add(
    email: str,
    role: Annotated[Role, typer.Option(help="applicant, regulator, assessor, tribunal, "
                                            "oversight or admin")],
    organization: Annotated[str | None, typer.Option(help="Staff: the organization's slug")] = None,
    language: Annotated[str, typer.Option(help="en or fr")] = "en",
) -> None:
    """Create an account. The password is read from standard input or a prompt, never an argument."""
    if sys.stdin.isatty():
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\n")
    try:
        with open_session() as session:
            user = add_user(session, get_registry(), email=email, password=password, role=role,
                            organization=organization, preferred_language=language)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    err.print(f"created user {user.id} ({role.value})")


@users.command("revoke-sessions")
def users_revoke_sessions(email: str) -> None:
    """End every session of an account at once: access and refresh tokens, page sessions."""
    try:
        with open_session() as session:
            user = end_sessions_of(session, email=email)
    except DomainError as exc:
        err.print(f"[red]error:[/red] {exc.message}")
        raise typer.Exit(2) from exc
    err.print(f"every session of user {user.id} ended")


@app.command()
def verify(
    export_heads: Annotated[str | None, typer.Option(
        "--export-heads", metavar="FILE",
        help="Also write each closed UTC day's chain head to FILE ('-': standard output), "
             "for an auditor to keep.")] = None,
    heads: Annotated[str | None, typer.Option(
        "--heads", metavar="FILE",
        help="Also check the log against day heads exported earlier: catches an event rewritten "
             "with its chain recomputed.")] = None,
) -> None:
    """Re-walk every application's log: hash chain, replay, projection. Exit 1 on any mismatch."""
    from workflow.heads import HeadsFileError, closed_day_heads, compare_heads, dump_heads, load_heads
    from workflow.verify import verify_all

    bad = 0
    with open_session() as session:
        total = count_applications(session)
        with Progress(console=err, transient=True) as progress:
            task = progress.add_task("verifying", total=total)
            for _checked, finding in verify_all(session):
                progress.advance(task)
                if finding is not None:
                    bad += 1
                    # One line per application, never wrapped: easy to read back and to grep.
                    progress.console.print(f"{finding.reference}: " + "; ".join(finding.problems),
                                           soft_wrap=True, markup=False, highlight=False)
        if heads is not None:
            try:
                with open(heads, encoding="utf-8") as kept:
                    problems = compare_heads(session, load_heads(kept.read()))
            except (OSError, HeadsFileError) as exc:
                err.print(f"[red]error:[/red] {heads}: {exc}")
                raise typer.Exit(2) from exc
            for problem in problems:
                err.print(f"day head mismatch: {problem}")
            bad += len(problems)
        if export_heads is not None:
            text = dump_heads(closed_day_heads(session))
            if export_heads == "-":
                sys.stdout.write(text)
            else:
                with open(export_heads, "w", encoding="utf-8") as out:
                    out.write(text)
    if bad:
        err.print(f"[red]{bad} problems: the log disagrees with itself or with the kept heads[/red]")
        raise typer.Exit(1)
    err.print(f"{total} applications verified" + (" against the kept day heads" if heads else ""))


@app.command()
def scan() -> None:
    """Close statutory windows that ran out unused (`lapse`), raise flags, queue reminders, bring
    the timeliness and outcome rollups up to date and keep each regulator's expected time per
    stage for the application reads. Safe to repeat."""
    from casefile.scan import scan as run_scan

    with open_session() as session:
        report = run_scan(session, get_registry())
    raised = ", ".join(f"{kind} {n}" for kind, n in sorted(report.raised.items())) or "none"
    err.print(f"lapsed {len(report.lapsed)}, windows expired without a step {report.expired}; "
              f"new flags: {raised}; reminders queued {report.reminders}; "
              f"completed stage visits rolled up: {report.rolled_up}; "
              f"closed applications rolled up: {report.outcomes_rolled_up}; "
              f"expected times kept: {report.expectations}")


if __name__ == "__main__":
    app()
