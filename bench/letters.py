"""What a decision letter adds to the write path.

1. The time to render one (documents.letters.decision_letter), in English and French in
   interleaved rounds, after the first letter of the process (which loads WeasyPrint, Pango and
   the fonts). No database.
2. With --database sqlite|postgresql: how long recording a decision holds the write lock (the
   application's row on PostgreSQL, BEGIN IMMEDIATE's database lock on SQLite), from the write
   transaction's BEGIN to its COMMIT, through casefile.applications.record_event as the API and
   the pages call it. The baseline, in the same rounds on the same applications, is a step that
   sends no letter (the regulator's request for information); the ratio decision / baseline is
   what the letter costs inside the lock. The whole call (letter included wherever it is made)
   is printed beside it.

    .venv/bin/python bench/letters.py [--rounds 15] [--database sqlite|postgresql]
        [--applications 10] [--postgres-url URL]
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
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import Engine, event

from accounts.actor import Actor
from accounts.service import create_user
from casefile.applications import apply_event, create_application, record_event
from documents.letters import Decision, decision_letter
from fairtrack.database import (
    WRITE,
    make_engine,
    make_sessionmaker,
    scratch_postgres_database,
    transaction,
)
from fairtrack.migrate import upgrade
from law.road import Fact, Role
from regulators.registry import get_registry
from workflow.schemas import ApplicationCreate, EventRequest

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BENCH_PASSWORD = "bench-Password-2026"  # noqa: S105 - throw-away accounts in a scratch database


def spread(values: list[float]) -> str:
    return (f"{statistics.median(values) * 1000:.0f} ms "
            f"({min(values) * 1000:.0f}-{max(values) * 1000:.0f})")


def rendering(rounds: int) -> None:
    registry = get_registry()
    decision = Decision(
        reference="FT-2026-000001", regulator="cno", licence_class="rn", seq=8,
        trigger="issue_decision", outcome="refused", to_state="refused_appealable",
        facts=frozenset({Fact.health, Fact.decided_by_committee}),
        occurred_at=datetime(2026, 3, 6, 17, tzinfo=UTC), decided_by="cno",
        payload={"reasons": "Hours not shown.", "sent_on": "2026-03-06", "sent_by": "regular_mail"},
    )
    began = time.perf_counter()
    first = decision_letter(decision, registry, "en")
    print(f"first letter in a process (WeasyPrint and fonts loaded): {time.perf_counter() - began:.2f} s")
    times = {"en": [], "fr": []}  # type: dict[str, list[float]]
    for _ in range(rounds):
        for lang in ("en", "fr"):
            began = time.perf_counter()
            pdf = decision_letter(decision, registry, lang)  # type: ignore[arg-type]
            times[lang].append(time.perf_counter() - began)
            if lang == "en":
                assert pdf == first  # the same decision, the same bytes
    for lang, values in times.items():
        print(f"letter ({lang}): median {statistics.median(values) * 1000:.0f} ms, "
              f"{min(values) * 1000:.0f}..{max(values) * 1000:.0f} ms over {rounds} rounds; "
              f"the English letter {len(first)} bytes")


@contextmanager
def database(backend: str, postgres_url: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    with scratch_postgres_database(postgres_url, "fairtrack_bench") as url:
        yield url


class WriteLock:
    """The time each write transaction is open (BEGIN to COMMIT): while it is, the application's
    row (PostgreSQL) or the database (SQLite, BEGIN IMMEDIATE) is locked."""

    def __init__(self, engine: Engine) -> None:
        self.began: float | None = None
        self.last = 0.0
        # Registered after make_engine's own BEGIN hook: on SQLite the clock starts once
        # BEGIN IMMEDIATE has the lock.
        event.listen(engine, "begin", self._begin)
        event.listen(engine, "commit", self._commit)

    def _begin(self, connection: Any) -> None:
        if connection.get_execution_options().get(WRITE):
            self.began = time.perf_counter()

    def _commit(self, _connection: Any) -> None:
        if self.began is not None:
            self.last = time.perf_counter() - self.began
            self.began = None


def locking(backend: str, rounds: int, applications: int, postgres_url: str) -> None:
    registry = get_registry()
    with database(backend, postgres_url) as url:
        engine = make_engine(url)
        upgrade(engine)
        sessions = make_sessionmaker(engine)
        start = datetime.now(UTC) - timedelta(days=200)
        with transaction(sessions) as session:
            person = create_user(session, registry, email="a@bench.test", password=BENCH_PASSWORD,
                                 role=Role.applicant)
            staff = create_user(session, registry, email="r@bench.test", password=BENCH_PASSWORD,
                                role=Role.regulator, organization="peo")
            applicant = Actor(person.id, Role.applicant)
            regulator = Actor(staff.id, Role.regulator, "peo")
        lock = WriteLock(engine)
        times: dict[str, list[float]] = {"baseline lock": [], "decision lock": [],
                                         "baseline call": [], "decision call": []}

        def timed(name: str, actor: Actor, reference: str, request: EventRequest) -> None:
            with sessions() as session:
                began = time.perf_counter()
                record_event(session, actor, registry, reference, request)
                whole = time.perf_counter() - began
            if name:
                times[f"{name} lock"].append(lock.last)
                times[f"{name} call"].append(whole)

        for number in range(rounds + 1):  # the first round warms up (WeasyPrint, caches)
            references = []
            with transaction(sessions) as session:
                for _ in range(applications):
                    app = create_application(session, applicant, registry,
                                             ApplicationCreate(regulator="peo", licence_class="p-eng"),
                                             now=start)
                    references.append(app.reference)
            for reference in references:
                for trigger, actor, version in (("submit", applicant, 1), ("begin_review", regulator, 2)):
                    with transaction(sessions) as session:
                        apply_event(session, actor, registry, reference, EventRequest(
                            trigger=trigger, expected_version=version, occurred_at=start,
                            backdated_because="benchmark set-up"))
            for reference in references:
                warm = number == 0
                timed("" if warm else "baseline", regulator, reference,
                      EventRequest(trigger="request_information", expected_version=3,
                                   reasons="Transcripts."))
                timed("", applicant, reference,
                      EventRequest(trigger="provide_information", expected_version=4))
                timed("" if warm else "decision", regulator, reference,
                      EventRequest(trigger="issue_decision", outcome="refused", expected_version=5,
                                   reasons="Experience not shown."))
        engine.dispose()
    ratio = statistics.median(times["decision lock"]) / statistics.median(times["baseline lock"])
    print(f"{backend}: {rounds} rounds of {applications} applications; median (lowest-highest)")
    for name, values in times.items():
        print(f"  {name:<15}{spread(values):>28}")
    print(f"  write lock held, decision / step without a letter: {ratio:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--database", choices=["sqlite", "postgresql"])
    parser.add_argument("--applications", type=int, default=10, help="per round (lock bench)")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    if args.database:
        locking(args.database, args.rounds, args.applications, args.postgres_url)
    else:
        rendering(args.rounds)


if __name__ == "__main__":
    main()
