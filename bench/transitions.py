"""Persisted transitions per second: the domain function against raw SQL doing the same writes.

Each transition is one transaction, as over the API: lock the application, append the hash-chained
event, move the state and version, close the open stage interval and open the next one. The baseline
does exactly those reads and writes with the DB-API driver and no ORM, in the same run, on the same
database server. The domain function does more in the same transaction: the checks, the stage visit,
the deadlines the event opens or closes, and the seven flag rules for the application. So the ratio
is what FairTrack's layers and its per-event consequences cost, whatever the machine's load.

Rounds are interleaved (raw SQL, then the domain, then raw SQL again, ...) so that a change in
the machine's load hits both alike; the table gives the median of the rounds and their spread
(lowest to highest), and the SQL statements each transition sends (BEGIN and COMMIT not counted).

    .venv/bin/python bench/transitions.py [--transitions 500] [--rounds 5] \
        [--backends sqlite,postgresql]
"""

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# This file's folder comes first on sys.path and its name would hide the `transitions` package:
# put the project root there instead.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import Engine, event, text

from accounts.actor import Actor
from accounts.service import create_user
from casefile.applications import apply_event, create_application
from fairtrack.database import (
    make_engine,
    make_sessionmaker,
    scratch_postgres_database,
    transaction,
)
from fairtrack.migrate import upgrade
from law.road import Role
from regulators.registry import get_registry
from workflow.ledger import chain_hash, visit_durations
from workflow.schemas import ApplicationCreate, EventRequest

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
# A loop the road allows forever: the regulator asks for information, the applicant provides it.
NEXT = {
    "under_review": ("request_information", Role.regulator, "information_requested", "applicant"),
    "information_requested": ("provide_information", Role.applicant, "under_review", "regulator"),
}
APPLICATIONS = 20
BENCH_PASSWORD = "bench-Password-2026"  # noqa: S105 - throw-away accounts in a scratch database


@contextmanager
def database(backend: str, postgres_url: str) -> Iterator[str]:
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    with scratch_postgres_database(postgres_url, "fairtrack_bench") as url:
        yield url


def prepare(engine: Engine) -> tuple[list[str], Actor, Actor]:
    """Applications under review at CNO, an applicant and a CNO staff member."""
    registry = get_registry()
    sessions = make_sessionmaker(engine)
    start = datetime.now(UTC) - timedelta(days=365)
    with transaction(sessions) as session:
        person = create_user(session, registry, email="a@bench.test", password=BENCH_PASSWORD,
                             role=Role.applicant)
        staff = create_user(session, registry, email="r@bench.test", password=BENCH_PASSWORD,
                            role=Role.regulator, organization="peo")
        applicant = Actor(person.id, Role.applicant)
        regulator = Actor(staff.id, Role.regulator, "peo")
        references = []
        for _ in range(APPLICATIONS):
            app = create_application(session, applicant, registry,
                                     ApplicationCreate(regulator="peo", licence_class="p-eng"),
                                     now=start)
            references.append(app.reference)
    for reference in references:
        for trigger, actor in (("submit", applicant), ("begin_review", regulator)):
            with transaction(sessions) as session:
                version = 1 if trigger == "submit" else 2
                apply_event(session, actor, registry, reference,
                            EventRequest(trigger=trigger, expected_version=version,
                                         occurred_at=start,
                                         backdated_because="benchmark set-up, a year ago"))
    return references, applicant, regulator


def through_domain(engine: Engine, refs: list[str], actors: dict[Role, Actor], n: int) -> float:
    registry = get_registry()
    sessions = make_sessionmaker(engine)
    with sessions() as session:
        rows = session.execute(text("SELECT id, state, version FROM applications")).all()
    by_id = {row[0]: (row[1], row[2]) for row in rows}
    current = {ref: by_id[int(ref.rsplit("-", 1)[1])] for ref in refs}
    began = time.perf_counter()
    for i in range(n):
        reference = refs[i % len(refs)]
        state, version = current[reference]
        trigger, role, to_state, _clock = NEXT[state]
        with transaction(sessions) as session:
            apply_event(session, actors[role], registry, reference,
                        EventRequest(trigger=trigger, expected_version=version))
        current[reference] = (to_state, version + 1)
    return n / (time.perf_counter() - began)


def through_raw_sql(engine: Engine, refs: list[str], actors: dict[Role, Actor], n: int) -> float:
    """The same statements with the DB-API driver: no ORM, no machine, no checks."""
    ids = [int(r.rsplit("-", 1)[1]) for r in refs]
    raw = engine.raw_connection()
    sqlite = engine.dialect.name == "sqlite"
    mark = "?" if sqlite else "%s"
    lock = "" if sqlite else " FOR UPDATE"

    def sql(statement: str) -> str:
        return statement.replace("%s", mark)

    began = time.perf_counter()
    try:
        for i in range(n):
            app_id = ids[i % len(ids)]
            now = datetime.now(UTC)
            stamp: Any = now.replace(tzinfo=None) if sqlite else now
            cursor = raw.cursor()
            if sqlite:
                cursor.execute("BEGIN IMMEDIATE")
            cursor.execute(sql("SELECT state, version, head_hash, regulator FROM applications "
                               "WHERE id = %s" + lock), (app_id,))
            from_state, version, head, regulator = cursor.fetchone()
            trigger, role, to_state, clock = NEXT[from_state]
            cursor.execute(sql("SELECT id, entered_at FROM stage_intervals WHERE application_id = %s "
                               "AND exited_at IS NULL"), (app_id,))
            interval_id, entered = cursor.fetchone()
            entered = datetime.fromisoformat(str(entered)) if sqlite else entered
            content = {"application_id": app_id, "seq": version + 1, "trigger": trigger,
                       "to_state": to_state, "occurred_at": now.isoformat()}
            digest = chain_hash(head, content)
            actor = actors[role]
            cursor.execute(sql(
                "INSERT INTO events (application_id, seq, trigger, outcome, from_state, to_state, "
                "actor_id, actor_role, actor_org, occurred_at, recorded_at, payload, prev_hash, hash) "
                "VALUES (%s, %s, %s, NULL, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"),
                (app_id, version + 1, trigger, from_state, to_state, actor.user_id, role.value,
                 actor.organization, stamp, stamp, json.dumps({}), head, digest))
            cursor.execute(sql("UPDATE applications SET state = %s, version = %s, head_hash = %s, "
                               "updated_at = %s WHERE id = %s AND version = %s"),
                           (to_state, version + 1, digest, stamp, app_id, version))
            entered_aware = entered if entered.tzinfo else entered.replace(tzinfo=UTC)
            days = visit_durations(entered_aware, now)
            cursor.execute(sql("UPDATE stage_intervals SET exited_at = %s, calendar_days = %s, "
                               "business_days = %s, recorded_business_days = %s WHERE id = %s"),
                           (stamp, days[0], days[1], days[1], interval_id))
            cursor.execute(sql(
                "INSERT INTO stage_intervals (application_id, regulator, seq, state, stage, clock, "
                "entered_at, recorded_at) VALUES (%s, %s, %s, %s, 'regulator_review', %s, %s, %s)"),
                (app_id, regulator, version + 1, to_state, clock, stamp, stamp))
            raw.commit()
            cursor.close()
    finally:
        raw.close()
    return n / (time.perf_counter() - began)


class Statements:
    """Counts the statements an engine sends (the DB-API cursor's), BEGIN and COMMIT left out."""

    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *args: Any) -> None:
        if not str(args[2]).startswith("BEGIN"):
            self.count += 1


def counted(statements: Statements, run: Callable[..., float], *args: Any) -> tuple[float, float]:
    """(transitions/s, statements per transition) of one run."""
    before = statements.count
    rate = run(*args)
    return rate, (statements.count - before) / args[-1]


def measure(backend: str, n: int, rounds: int, postgres_url: str) -> dict[str, Any]:
    with database(backend, postgres_url) as url:
        # As the server runs (FAIRTRACK_DB_POOL_PRE_PING is off by default): no ping before each
        # transaction's checkout; the raw loop holds one connection and pings nothing either.
        engine = make_engine(url, pool_pre_ping=False)
        upgrade(engine)
        refs, applicant, regulator = prepare(engine)
        actors = {Role.applicant: applicant, Role.regulator: regulator}
        runs: list[tuple[str, Callable[..., float]]] = [
            ("raw_sql", through_raw_sql), ("domain", through_domain),
        ]
        for _name, run in runs:
            run(engine, refs, actors, max(n // 10, 20))  # warm-up, same loop
        statements = Statements(engine)
        rates: dict[str, list[float]] = {name: [] for name, _ in runs}
        per_event: dict[str, float] = {}
        for _ in range(rounds):
            for name, run in runs:
                # The raw loop uses the DB-API cursor directly, unseen by the engine's events:
                # its statements are as written (2 reads, 4 writes).
                rate, count = counted(statements, run, engine, refs, actors, n)
                rates[name].append(rate)
                per_event[name] = count if name == "domain" else 6.0
        engine.dispose()
    ratios = [d / r for d, r in zip(rates["domain"], rates["raw_sql"], strict=True)]
    return {"rates": rates, "ratios": ratios, "statements": per_event}


def spread(values: list[float], digits: int = 0) -> str:
    middle = statistics.median(values)
    return f"{middle:.{digits}f} ({min(values):.{digits}f}-{max(values):.{digits}f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transitions", type=int, default=500, help="per round and loop")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    print(f"{args.rounds} interleaved rounds of {args.transitions} transitions per loop; "
          "median (lowest-highest)")
    print(f"{'backend':<12}{'raw SQL/s':>20}{'domain/s':>20}{'domain / raw':>22}"
          f"{'statements/event':>20}")
    for backend in args.backends.split(","):
        result = measure(backend, args.transitions, args.rounds, args.postgres_url)
        rates, statements = result["rates"], result["statements"]
        print(f"{backend:<12}{spread(rates['raw_sql']):>20}{spread(rates['domain']):>20}"
              f"{spread(result['ratios'], 2):>22}"
              f"{statements['raw_sql']:>9.1f} / {statements['domain']:<8.1f}")


if __name__ == "__main__":
    main()
