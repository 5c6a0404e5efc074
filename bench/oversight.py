"""Oversight figures on a large demo database: timeliness and outcomes, against a full count.

Builds a PostgreSQL database with N demo applications (default 100,000, the issue's figure), then
times each query the oversight API runs, as the median of several runs, next to `SELECT count(*)`
over stage_intervals and applications in the same run on the same server: the ratio says what the
figures cost relative to merely reading the projection, whatever the machine.

    .venv/bin/python bench/oversight.py [--applications 100000] [--repeat 5] [--url URL]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from cli.demo import generate
from fairtrack.columns import utcnow
from fairtrack.database import (
    make_engine,
    make_sessionmaker,
    scratch_postgres_database,
)
from fairtrack.migrate import upgrade
from law.calendar import local_date
from law.road import Role
from oversight.outcomes import DIMENSIONS, outcomes
from oversight.timeliness import timeliness
from regulators.registry import get_registry
from workflow.models import Application

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
OVERSIGHT = Actor(user_id=None, role=Role.oversight)


def timed(session: Session, run: Callable[[Session], object], repeat: int) -> float:
    run(session)  # warm the cache, as a server that has been up would be
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        run(session)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def bench(url: str, applications: int, repeat: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    registry = get_registry()
    with sessions() as session:
        existing = session.scalar(select(func.count()).select_from(Application)) or 0
    if existing < applications:
        began = time.perf_counter()
        with sessions() as session:
            generate(session, registry, applications - existing, seed=4)
        print(f"demo data: {applications - existing} applications in {time.perf_counter() - began:.0f} s")
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    today = local_date(utcnow())
    year_ago = today - timedelta(days=365)
    runs: dict[str, Callable[[Session], object]] = {
        "baseline: count(*) stage_intervals": lambda s: s.execute(
            text("SELECT count(*) FROM stage_intervals")).scalar(),
        "baseline: count(*) applications": lambda s: s.execute(
            text("SELECT count(*) FROM applications")).scalar(),
        "timeliness, all regulators, 12 months by quarter": lambda s: timeliness(
            s, OVERSIGHT, registry, regulator=None, stage=None, unit="quarter", since=year_ago,
            until=today),
        "timeliness, all regulators, 3 years by month": lambda s: timeliness(
            s, OVERSIGHT, registry, regulator=None, stage=None, unit="month",
            since=today - timedelta(days=3 * 365), until=today),
        "timeliness, one regulator (cno), 12 months": lambda s: timeliness(
            s, OVERSIGHT, registry, regulator="cno", stage=None, unit="quarter", since=year_ago,
            until=today),
    }
    for by in DIMENSIONS:
        runs[f"outcomes by {by}"] = lambda s, by=by: outcomes(s, OVERSIGHT, registry, by=by,
                                                              regulator=None)
    with sessions() as session:
        counts = session.execute(text(
            "SELECT (SELECT count(*) FROM applications), (SELECT count(*) FROM stage_intervals), "
            "(SELECT count(*) FROM stage_visits), (SELECT count(*) FROM events), "
            "(SELECT count(*) FROM deadlines), (SELECT count(*) FROM flags)")).one()
        print(f"{counts[0]} applications, {counts[1]} stage intervals, {counts[2]} stage visits, "
              f"{counts[3]} events, {counts[4]} deadlines, {counts[5]} flags; "
              f"median of {repeat} runs")
        baseline = timed(session, runs["baseline: count(*) stage_intervals"], repeat)
        print(f"{'query':<52}{'seconds':>10}{'x count(*)':>12}")
        for name, run in runs.items():
            seconds = timed(session, run, repeat)
            print(f"{name:<52}{seconds:>10.3f}{seconds / baseline:>12.1f}")
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    parser.add_argument("--url", help="an existing database to fill up to --applications and keep")
    args = parser.parse_args()
    if args.url:
        bench(args.url, args.applications, args.repeat)
        return
    with scratch_postgres_database(args.postgres_url, "fairtrack_bench") as url:
        bench(url, args.applications, args.repeat)


if __name__ == "__main__":
    main()
