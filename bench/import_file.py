"""A whole file through `fairtrack import`: N rows (100,000 by default) on PostgreSQL, every valid
row applied once, every invalid row refused with its line and reason, and a second import of the
same file changing nothing. The API-less domain write path's transitions/s is measured in the same
run, in rounds before, between and after the two imports, as the baseline.

What it does, in a database of its own (`--database`, dropped first and, unless `--keep`, after):

1. migrates it (`fairtrack db upgrade`), loads the registry (`fairtrack regulators sync`), adds an
   applicant and a PEO regulator's staff account, opens and submits PEO applications through the
   domain functions (a year ago) for the baseline rounds and one more, the template, which it then
   copies with SQL as many times as the file needs (set-up only, not timed: see `clone`);
2. writes a CSV file of events: for each application, the three regulator steps that take it to a
   decision (begin_review, refer_to_committee, issue_decision, with their expected versions), and,
   spread through the file, a known number of invalid rows of four kinds: a trigger that does not
   exist, a reference that does not exist, a date that is not one, and a trigger the application's
   state does not allow (begin_review after the decision);
3. runs `fairtrack import FILE --as STAFF` (the command itself, in a subprocess), printing the
   rows recorded so far every `--every` seconds while it runs; then checks the job's report: applied
   == the valid rows, refused == the invalid rows, every refusal on the very line written invalid
   with a reason of its kind, every application at its decision with four events;
4. runs the same command over the same file again and checks that nothing changed: 0 applied, the
   valid rows counted as already applied, the same refusals, and the same number of events, outbox
   messages and imported-row keys in the database.

    .venv/bin/python bench/import_file.py [--rows 100000] [--baseline-apps 300] [--keep]

The report goes to stdout and a log of progress to stderr; exit 1 when a check fails.
"""

import argparse
import os
import signal
import statistics
import subprocess  # noqa: S404 - runs our own command
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from accounts.actor import Actor
from accounts.service import create_user
from casefile.applications import apply_event, create_application
from fairtrack.database import make_engine, make_sessionmaker, transaction
from integrations.models import ImportedRow, ImportJob, OutboxMessage
from law.road import Role
from regulators.registry import Registry, get_registry
from workflow.models import Application, Event
from workflow.schemas import ApplicationCreate, EventRequest

SERVER_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
ROOT = Path(__file__).resolve().parent.parent
FAIRTRACK = str(ROOT / ".venv/bin/fairtrack")
PASSWORD = "bench-Password-2026"  # noqa: S105 - throw-away accounts in a scratch database
STAFF = "r@bench.test"
STEPS: list[tuple[str, str, str]] = [  # (trigger, outcome, reasons): submitted -> a decision
    ("begin_review", "", ""),
    ("refer_to_committee", "", "The committee should weigh the experience record."),
    ("issue_decision", "registered", ""),
]
HEADER = "reference,trigger,expected_version,occurred_at,outcome,reasons"
# The four kinds of invalid row, and a piece of the reason each must be refused with.
KINDS: dict[str, str] = {
    "bad_trigger": "trigger",
    "unknown_reference": "no application",
    "bad_date": "occurred_at",
    "not_in_state": "invalid_trigger",
}
BATCH = 200


def log(message: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def fairtrack(url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": url}
    return subprocess.run([FAIRTRACK, *args], env=env, capture_output=True, text=True,  # noqa: S603
                          check=False)


def fresh_database(name: str) -> str:
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return SERVER_URL.rsplit("/", 1)[0] + f"/{name}"


def drop_database(name: str) -> None:
    admin = create_engine(SERVER_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


# The tables that hang off an application (application_id), copied with it. The outbox's messages
# (the template's emails, keyed by its id) are not: the clones' past needs no mail.
CLONED = ("events", "stage_intervals", "stage_visits", "deadlines", "flags")
SERIES = "generate_series(CAST(:first AS integer), CAST(:last AS integer))"


def clone(sessions: sessionmaker[Session], template: str, n: int) -> list[str]:
    """n copies of the submitted application `template` with SQL, for the file's applications:
    its row and the rows of CLONED, under new ids (so new references, FT-YYYY-<id>). Set-up only:
    opening and submitting 33,000 applications through the domain functions would take hours on a
    busy machine, and what is measured is the import, which finds each clone as the domain left its
    template. (The clones' first two events keep the template's hashes: `fairtrack verify` is not
    for this database.)"""
    template_id = int(template.rsplit("-", 1)[1])
    with transaction(sessions) as session:
        columns = [r[0] for r in session.execute(text(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'applications' "
            "AND column_name <> 'id' ORDER BY ordinal_position"))]
        first = (session.scalar(text("SELECT max(id) FROM applications")) or 0) + 1
        names = ", ".join(f'"{c}"' for c in columns)
        session.execute(text(
            f"INSERT INTO applications (id, {names}) SELECT g, {names} FROM applications "  # noqa: S608
            f"CROSS JOIN {SERIES} AS g WHERE id = :template"),
            {"first": first, "last": first + n - 1, "template": template_id})
        session.execute(text("SELECT setval(pg_get_serial_sequence('applications', 'id'), :last)"),
                        {"last": first + n - 1})
        for table in CLONED:
            cols = [r[0] for r in session.execute(text(
                "SELECT column_name FROM information_schema.columns WHERE table_name = :t "
                "AND column_name NOT IN ('id', 'application_id') ORDER BY ordinal_position"),
                {"t": table})]
            names = ", ".join(f'"{c}"' for c in cols)
            session.execute(text(
                f"INSERT INTO {table} (application_id, {names}) SELECT g, {names} FROM {table} "  # noqa: S608
                f"CROSS JOIN {SERIES} AS g WHERE application_id = :template ORDER BY g, id"),
                {"first": first, "last": first + n - 1, "template": template_id})
        year = template.split("-")[1]
    return [f"FT-{year}-{i:06d}" for i in range(first, first + n)]


def submitted(sessions: sessionmaker[Session], registry: Registry, applicant: Actor, n: int) -> list[str]:
    """n PEO applications, opened a year ago and submitted."""
    start = datetime.now(UTC) - timedelta(days=365)
    refs: list[str] = []
    began = time.perf_counter()
    while len(refs) < n:
        with transaction(sessions) as session:
            for _ in range(min(BATCH, n - len(refs))):
                app = create_application(session, applicant, registry,
                                         ApplicationCreate(regulator="peo", licence_class="p-eng"),
                                         now=start)
                apply_event(session, applicant, registry, app.reference,
                            EventRequest(trigger="submit", expected_version=1, occurred_at=start,
                                         backdated_because="benchmark set-up, a year ago"))
                refs.append(app.reference)
        if len(refs) % 2000 < BATCH or len(refs) == n:
            rate = len(refs) / (time.perf_counter() - began)
            log(f"set-up: {len(refs)}/{n} applications submitted ({rate:.0f}/s)")
    return refs


@dataclass
class File:
    path: Path
    rows: int
    valid: int
    decided: list[str]  # the applications whose three steps are all in the file
    invalid: dict[int, str]  # line -> kind


def invalid_row(kind: str, reference: str, number: int) -> str:
    return {
        "bad_trigger": f"{reference},no_such_step,,,,",
        "unknown_reference": f"FT-1999-{number:06d},begin_review,,,,",
        "bad_date": f"{reference},request_information,,2026-02-30T10:00:00+00:00,,",
        "not_in_state": f"{reference},begin_review,,,,",  # after its decision
    }[kind]


def write_file(path: Path, refs: list[str], invalid_every: int, total: int) -> File:
    """The three steps of each application and, after every `invalid_every`-th application's
    decision, one invalid row (the four kinds in turn), until `total` rows."""
    invalid: dict[int, str] = {}
    decided: list[str] = []
    kinds = list(KINDS)
    line = 1  # the header
    valid = 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER + "\n")
        for number, reference in enumerate(refs, start=1):
            for offset, (trigger, outcome, reasons) in enumerate(STEPS):
                if line - 1 >= total:
                    return File(path, line - 1, valid, decided, invalid)
                line += 1
                valid += 1
                out.write(f"{reference},{trigger},{2 + offset},,{outcome},{reasons}\n")
            decided.append(reference)
            if number % invalid_every == 0 and line - 1 < total:
                kind = kinds[len(invalid) % len(kinds)]
                line += 1
                invalid[line] = kind
                out.write(invalid_row(kind, reference, number) + "\n")
    raise SystemExit(f"{len(refs)} applications are too few for {total} rows")


def counts(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as session:
        return {
            "events": session.scalar(select(func.count()).select_from(Event)) or 0,
            "outbox": session.scalar(select(func.count()).select_from(OutboxMessage)) or 0,
            "imported_rows": session.scalar(select(func.count()).select_from(ImportedRow)) or 0,
        }


class Watch(threading.Thread):
    """Prints the rows recorded so far by the running import job, every `every` seconds."""

    def __init__(self, sessions: sessionmaker[Session], total: int, every: float) -> None:
        super().__init__(daemon=True)
        self.sessions, self.total, self.every = sessions, total, every
        self.done = threading.Event()

    def run(self) -> None:
        began = time.perf_counter()
        with self.sessions() as session:
            start = session.scalar(select(func.count()).select_from(ImportedRow)) or 0
        while not self.done.wait(self.every):
            with self.sessions() as session:
                now = session.scalar(select(func.count()).select_from(ImportedRow)) or 0
            seconds = time.perf_counter() - began
            log(f"  import running: {now - start} rows applied so far (of the valid rows), "
                f"{seconds:.0f} s, {(now - start) / seconds:.1f} rows/s; load {os.getloadavg()[0]:.2f}")


@dataclass
class Run:
    seconds: float
    summary: str  # the command's last line
    finished: bool  # False: stopped at --stop-at


def run_import(url: str, sessions: sessionmaker[Session], path: Path, rows: int, every: float,
               stop_at: datetime | None) -> Run:
    """`fairtrack import` over the file; stopped (SIGTERM: the process ends, and the database rolls
    back the row it was applying as its connection closes) if it is still running at `stop_at`.
    Not SIGINT: a command started in the background of a shell inherits SIGINT ignored."""
    watch = Watch(sessions, rows, every)
    watch.start()
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": url}
    began = time.perf_counter()
    with subprocess.Popen([FAIRTRACK, "import", str(path), "--as", STAFF, "--show-refusals", "3"],  # noqa: S603
                          env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True) as command:
        finished = True
        while command.poll() is None:
            if stop_at is not None and datetime.now(UTC) >= stop_at:
                log(f"  --stop-at {stop_at:%H:%M} UTC reached: stopping the import (SIGTERM)")
                command.send_signal(signal.SIGTERM)
                finished = False
                break
            time.sleep(1)
        _, errors = command.communicate()
    seconds = time.perf_counter() - began
    watch.done.set()
    watch.join()
    tail = errors.strip().splitlines()[-1] if errors.strip() else ""
    log(f"  fairtrack import exited {command.returncode} after {seconds:.1f} s: {tail}")
    if finished and command.returncode not in (0, 1):
        raise SystemExit(f"fairtrack import failed:\n{errors}")
    return Run(seconds, tail, finished)


def applied_lines(sessions: sessionmaker[Session], job_id: int) -> list[int]:
    with sessions() as session:
        return list(session.scalars(select(col(ImportedRow.line)).where(
            col(ImportedRow.job_id) == job_id).order_by(col(ImportedRow.line))))


def prefix(file: File, last_line: int) -> File:
    """The file's first lines, up to `last_line` (a run that was stopped: the part it went through)."""
    path = file.path.with_name(f"events-to-line-{last_line}.csv")
    with file.path.open(encoding="utf-8") as source, path.open("w", encoding="utf-8") as out:
        for number, text_line in enumerate(source, start=1):
            if number > last_line:
                break
            out.write(text_line)
    invalid = {line: kind for line, kind in file.invalid.items() if line <= last_line}
    return File(path, last_line - 1, last_line - 1 - len(invalid), [], invalid)


def last_job(sessions: sessionmaker[Session]) -> ImportJob:
    with sessions() as session:
        job = session.scalars(select(ImportJob).order_by(col(ImportJob.id).desc()).limit(1)).one()
        session.expunge(job)
        return job


def through_domain(sessions: sessionmaker[Session], registry: Registry, regulator: Actor,
                   refs: list[str]) -> float:
    """The baseline: the same three steps per application through apply_event, one transaction
    each; transitions per second."""
    began = time.perf_counter()
    for reference in refs:
        for offset, (trigger, outcome, reasons) in enumerate(STEPS):
            fields = {k: v for k, v in (("outcome", outcome), ("reasons", reasons)) if v}
            with transaction(sessions) as session:
                apply_event(session, regulator, registry, reference,
                            EventRequest(trigger=trigger, expected_version=2 + offset, **fields))
    return len(refs) * len(STEPS) / (time.perf_counter() - began)


def check(failures: list[str], ok: bool, what: str) -> None:
    log(f"  {'ok  ' if ok else 'FAIL'} {what}")
    if not ok:
        failures.append(what)


def check_first(failures: list[str], job: ImportJob, file: File) -> None:
    check(failures, job.rows == file.rows, f"rows read {job.rows} == rows written {file.rows}")
    check(failures, job.applied == file.valid, f"applied {job.applied} == valid rows {file.valid}")
    check(failures, job.already_applied == 0, f"already applied {job.already_applied} == 0")
    check(failures, job.refused == len(file.invalid),
          f"refused {job.refused} == invalid rows {len(file.invalid)}")
    lines = {r["line"]: r["reason"] for r in job.refusals}
    check(failures, set(lines) == set(file.invalid),
          "every refusal is on a line written invalid, and every invalid line is refused")
    check(failures, all(isinstance(r.get("line"), int) and r.get("reason") for r in job.refusals),
          "every refusal has a line number and a reason")
    wrong = [(line, file.invalid[line], reason) for line, reason in lines.items()
             if line in file.invalid and KINDS[file.invalid[line]] not in reason]
    check(failures, not wrong, f"every refusal's reason names its kind (wrong: {wrong[:3]})")


def main() -> None:  # noqa: PLR0915 - one straight run, step by step
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="rows in the file")
    parser.add_argument("--invalid-every", type=int, default=20,
                        help="an invalid row after every this many applications' three steps")
    parser.add_argument("--baseline-apps", type=int, default=100,
                        help="applications per baseline round (3 steps each; 3 rounds)")
    parser.add_argument("--database", default="ft15_import")
    parser.add_argument("--every", type=float, default=60.0, help="seconds between progress lines")
    parser.add_argument("--stop-at", default=None, metavar="HH:MM",
                        help="UTC time at which to stop the first import if it still runs; "
                             "the second then imports the part the first went through")
    parser.add_argument("--stop-second-at", default=None, metavar="HH:MM",
                        help="UTC time at which to stop the second import if it still runs")
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = parser.parse_args()

    def at(value: str | None) -> datetime | None:
        if value is None:
            return None
        hours, minutes = (int(p) for p in value.split(":"))
        when = datetime.now(UTC).replace(hour=hours, minute=minutes, second=0, microsecond=0)
        if when <= datetime.now(UTC) + timedelta(minutes=1):
            parser.error(f"{value} UTC is not at least a minute from now")
        return when

    at(args.stop_at), at(args.stop_second_at)  # refused now, not after the set-up
    failures: list[str] = []
    log(f"load average {os.getloadavg()}; database {args.database}; {args.rows} rows")
    url = fresh_database(args.database)
    try:
        for command in (("db", "upgrade"), ("regulators", "sync")):
            done = fairtrack(url, *command)
            if done.returncode != 0:
                raise SystemExit(f"fairtrack {' '.join(command)} failed:\n{done.stderr}")
            log(f"fairtrack {' '.join(command)}: done")
        engine = make_engine(url)
        sessions = make_sessionmaker(engine)
        registry = get_registry()
        with transaction(sessions) as session:
            person = create_user(session, registry, email="a@bench.test", password=PASSWORD,
                                 role=Role.applicant)
            staff = create_user(session, registry, email=STAFF, password=PASSWORD,
                                role=Role.regulator, organization="peo")
            applicant, regulator = Actor(person.id, Role.applicant), Actor(staff.id, Role.regulator, "peo")
        file_apps = int(args.rows / (len(STEPS) + 1 / args.invalid_every)) + 2
        baseline_refs = submitted(sessions, registry, applicant, 2 * args.baseline_apps + 1)
        template = baseline_refs.pop()
        began = time.perf_counter()
        refs = clone(sessions, template, file_apps)
        log(f"set-up: {file_apps} copies of {template} in {time.perf_counter() - began:.0f} s")
        rounds = [baseline_refs[i::2] for i in range(2)]
        folder = Path(tempfile.mkdtemp(prefix="ft15_import_"))
        file = write_file(folder / "events.csv", refs, args.invalid_every, args.rows)
        kinds: dict[str, int] = {}
        for kind in file.invalid.values():
            kinds[kind] = kinds.get(kind, 0) + 1
        log(f"file {file.path}: {file.rows} rows, {file.valid} valid, {len(file.invalid)} invalid {kinds}")

        domain = [through_domain(sessions, registry, regulator, rounds[0])]
        log(f"baseline round 1: domain {domain[-1]:.1f} transitions/s")
        before = counts(sessions)
        log(f"import 1 of {file.rows} rows; before: {before}")
        first_run = run_import(url, sessions, file.path, file.rows, args.every, at(args.stop_at))
        first = last_job(sessions)
        assert first.id is not None
        after_first = counts(sessions)
        lines = applied_lines(sessions, first.id)
        added = after_first["events"] - before["events"]
        if first_run.finished:
            check_first(failures, first, file)
            with sessions() as session:
                versions = dict(session.execute(select(col(Application.id),
                                                       col(Application.version))).all())
            decided = sum(1 for r in file.decided
                          if versions.get(int(r.rsplit("-", 1)[1])) == 2 + len(STEPS))
            check(failures, decided == len(file.decided),
                  f"applications at their decision with 5 events: {decided} == {len(file.decided)}")
            check(failures, added == file.valid, f"events added {added} == valid rows {file.valid}")
            second_file = file
        else:
            # Stopped: what it went through, it went through right.
            last = max(lines, default=1)
            second_file = prefix(file, last)
            log(f"import 1 stopped: {len(lines)} rows applied, up to line {last} of {file.rows + 1} "
                f"({(last - 1) / file.rows:.1%} of the file)")
            check(failures, set(lines) == {n for n in range(2, last + 1) if n not in file.invalid},
                  "every valid row up to the last line reached applied once, no invalid row applied")
            check(failures, added == len(lines),
                  f"events added {added} == rows applied {len(lines)}")
            check(failures, after_first["imported_rows"] == len(lines), "one key per row applied")

        domain.append(through_domain(sessions, registry, regulator, rounds[1]))
        log(f"baseline round 2: domain {domain[-1]:.1f} transitions/s")
        between = counts(sessions)
        log(f"import 2 of {second_file.path.name} ({second_file.rows} rows); before: {between}")
        second_run = run_import(url, sessions, second_file.path, second_file.rows, args.every,
                                at(args.stop_second_at))
        second = last_job(sessions)
        after_second = counts(sessions)
        check(failures, after_second == between, f"nothing changed: {between} -> {after_second}")
        if second_run.finished:
            check(failures, second.applied == 0, f"second import applied {second.applied} == 0")
            check(failures, second.already_applied == second_file.valid,
                  f"second import already applied {second.already_applied} == valid rows "
                  f"{second_file.valid}")
            check(failures, second.refused == len(second_file.invalid)
                  and {r["line"] for r in second.refusals} == set(second_file.invalid),
                  f"second import refused {second.refused} == invalid rows {len(second_file.invalid)}, "
                  "on the same lines")
            if first_run.finished:
                check(failures, second.refusals == first.refusals, "the same refusals, same reasons")
        engine.dispose()

        rate = len(lines) / first_run.seconds
        baseline = statistics.median(domain)
        print(f"load average at the end: {os.getloadavg()}")
        print(f"file: {file.rows} rows ({file.valid} valid, {len(file.invalid)} invalid: {kinds})")
        print(f"import 1: {'finished' if first_run.finished else 'STOPPED at --stop-at'} after "
              f"{first_run.seconds:.1f} s wall (the command, start to exit): {len(lines)} rows "
              f"applied, up to line {max(lines, default=1)}; {rate:.2f} rows applied/s")
        print(f"          {first_run.summary}")
        print(f"import 2 ({second_file.rows} rows, the part import 1 went through): "
              f"{'finished' if second_run.finished else 'STOPPED at --stop-second-at'} after "
              f"{second_run.seconds:.1f} s: {second_run.summary}")
        print(f"domain baseline (apply_event, one transaction per step), rounds of "
              f"{args.baseline_apps * len(STEPS)} transitions before and after import 1: "
              f"median {baseline:.2f}/s ({min(domain):.2f}-{max(domain):.2f})")
        ratios = [rate / d for d in domain]
        print(f"import 1 applied rows/s / domain transitions/s: {rate / baseline:.2f} "
              f"(against each round: {min(ratios):.2f}-{max(ratios):.2f})")
        print("checks: " + ("all passed" if not failures else f"FAILED: {failures}"))
    finally:
        if not args.keep:
            drop_database(args.database)
    raise SystemExit(1 if failures else 0)


if __name__ == "__main__":
    main()
