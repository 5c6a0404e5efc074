"""Bulk import rows per second against the API-less domain write path, in the same run.

Both paths do the same work: the three regulator steps that take a submitted PEO application to a
decision (begin_review, refer_to_committee, issue_decision), each a transaction. The
baseline fires them with `casefile.applications.apply_event`, one unit of work each (as
bench/transitions.py does); the import path runs `casefile.imports.import_events` over a CSV file of
the same rows (parsing, the row key, the same function under the same lock, the key stored in the
row's transaction). Rounds alternate between the two paths on fresh applications; the ratio is
import rows/s over domain transitions/s, median and spread over the rounds. Each application's
events also write what they set off (deadlines, flags, the applicant's email in the outbox), on both
paths alike.

    .venv/bin/python bench/imports.py [--rows 2000] [--rounds 4] [--backends sqlite,postgresql]
    .venv/bin/python bench/imports.py --rows 100000 --rounds 1 --backends postgresql   # the 100k run
"""

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import Actor
from accounts.service import create_user
from casefile.applications import apply_event, create_application
from casefile.imports import import_events
from fairtrack.database import make_engine, make_sessionmaker, scratch_postgres_database, transaction
from fairtrack.migrate import upgrade
from integrations.files import FileFormat
from law.road import Role
from regulators.registry import Registry, get_registry
from workflow.schemas import ApplicationCreate, EventRequest

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
PASSWORD = "bench-Password-2026"  # noqa: S105 - throw-away accounts in a scratch database
# (trigger, fields) from `submitted` to a decision: all the regulator's.
STEPS: list[tuple[str, dict[str, str]]] = [
    ("begin_review", {}),
    ("refer_to_committee", {"reasons": "The committee should weigh the experience record."}),
    ("issue_decision", {"outcome": "registered"}),
]
BATCH = 200  # applications opened and submitted per set-up transaction


@contextmanager
def database(backend: str, postgres_url: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    with scratch_postgres_database(postgres_url, "ft15_bench") as url:
        yield url


def people(sessions: sessionmaker[Session], registry: Registry) -> tuple[Actor, Actor]:
    with transaction(sessions) as session:
        person = create_user(session, registry, email="a@bench.test", password=PASSWORD,
                             role=Role.applicant)
        staff = create_user(session, registry, email="r@bench.test", password=PASSWORD,
                            role=Role.regulator, organization="peo")
        return Actor(person.id, Role.applicant), Actor(staff.id, Role.regulator, "peo")


def submitted(sessions: sessionmaker[Session], registry: Registry, applicant: Actor, n: int,
              progress: bool = False) -> list[str]:
    """n PEO applications, opened a year ago and submitted (not timed)."""
    start = datetime.now(UTC) - timedelta(days=365)
    refs: list[str] = []
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
        if progress:
            print(f"  set-up: {len(refs)}/{n} applications submitted", file=sys.stderr, flush=True)
    return refs


def through_domain(sessions: sessionmaker[Session], registry: Registry, regulator: Actor,
                   refs: list[str]) -> float:
    began = time.perf_counter()
    for reference in refs:
        for offset, (trigger, fields) in enumerate(STEPS):
            with transaction(sessions) as session:
                apply_event(session, regulator, registry, reference,
                            EventRequest(trigger=trigger, expected_version=2 + offset, **fields))
    return len(refs) * len(STEPS) / (time.perf_counter() - began)


def csv_lines(refs: list[str]) -> list[str]:
    lines = ["reference,trigger,expected_version,outcome,reasons"]
    for reference in refs:
        for offset, (trigger, fields) in enumerate(STEPS):
            lines.append(f"{reference},{trigger},{2 + offset},{fields.get('outcome', '')},"
                         f"{fields.get('reasons', '')}")
    return lines


def through_import(sessions: sessionmaker[Session], registry: Registry, regulator: Actor,
                   refs: list[str]) -> float:
    lines = csv_lines(refs)  # the file, as read from disk: not timed
    began = time.perf_counter()
    with sessions() as session:
        report = import_events(session, regulator, registry, FileFormat.csv, lines, "bench.csv")
    elapsed = time.perf_counter() - began
    if report.applied != len(refs) * len(STEPS):
        raise SystemExit(f"import applied {report.applied} of {len(lines) - 1}: {report.refusals[:3]}")
    return report.applied / elapsed


def measure(backend: str, rows: int, rounds: int, postgres_url: str) -> tuple[list[float], list[float]]:
    registry = get_registry()
    per_round = max(rows // rounds // len(STEPS), 1)  # applications per path per round
    with database(backend, postgres_url) as url:
        engine: Engine = make_engine(url)
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        applicant, regulator = people(sessions, registry)
        big = per_round * 2 * (rounds + 1) > 5000
        refs = submitted(sessions, registry, applicant, per_round * 2 * (rounds + 1), progress=big)
        # A warm-up round of each (not counted), then the rounds, alternating which goes first.
        chunks = [refs[i:i + per_round] for i in range(0, len(refs), per_round)]
        through_domain(sessions, registry, regulator, chunks[0][:20])
        through_import(sessions, registry, regulator, chunks[1][:20])
        domain: list[float] = []
        imported: list[float] = []
        for r in range(rounds):
            first, second = chunks[2 + 2 * r], chunks[3 + 2 * r]
            if r % 2 == 0:
                domain.append(through_domain(sessions, registry, regulator, first))
                imported.append(through_import(sessions, registry, regulator, second))
            else:
                imported.append(through_import(sessions, registry, regulator, first))
                domain.append(through_domain(sessions, registry, regulator, second))
            print(f"  {backend} round {r + 1}: domain {domain[-1]:.0f}/s, import {imported[-1]:.0f}/s",
                  file=sys.stderr, flush=True)
        engine.dispose()
    return domain, imported


def spread(values: list[float]) -> str:
    return f"{min(values):.0f}-{max(values):.0f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2000, help="rows per path, over all rounds")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    results = []
    for backend in args.backends.split(","):
        domain, imported = measure(backend, args.rows, args.rounds, args.postgres_url)
        ratios = [i / d for i, d in zip(imported, domain, strict=True)]
        results.append((backend, domain, imported, ratios))
    print(f"{'backend':<12}{'domain/s':>12}{'(spread)':>14}{'import/s':>12}{'(spread)':>14}"
          f"{'import / domain':>18}{'(spread)':>14}")
    for backend, domain, imported, ratios in results:
        print(f"{backend:<12}{statistics.median(domain):>12.0f}{spread(domain):>14}"
              f"{statistics.median(imported):>12.0f}{spread(imported):>14}"
              f"{statistics.median(ratios):>18.2f}{min(ratios):>8.2f}-{max(ratios):.2f}")


if __name__ == "__main__":
    main()
