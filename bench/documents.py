"""The regulator's timeliness audit as PDF on a large database, against the same figures as JSON.

On an existing PostgreSQL database filled by `fairtrack demo --applications 100000` (the issue's
figure), times in interleaved rounds (so that a busy machine slows both alike):
  - pdf:  documents.reports.regulator_report for one regulator and a year (figures, chain head,
          charts, WeasyPrint), as GET /api/v1/reports/regulator/{slug}.pdf answers it;
  - json: the same oversight figures (timeliness whole window and by quarter, pauses, flags,
          longest open) serialized to JSON, as the oversight API answers them;
  - head: the chain head alone, which the PDF's footer carries: the last closed day's head
          (workflow.heads), walked over every event once, then kept while the log before that
          day's end is unchanged (its newest event, read backwards from today, checks it). The
          cold walk is printed.
Prints the median and spread (min..max) of each, wall clock and this process's CPU time (on a
busy machine the wall clock waits for a core; the CPU time does not, though it leaves out the
database server's work), and the ratio pdf / json.

    .venv/bin/python bench/documents.py --url postgresql+psycopg://postgres@127.0.0.1:5432/ft14_bench
"""

import argparse
import json
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from documents.reports import chain_head, regulator_report
from fairtrack.columns import utcnow
from fairtrack.database import make_engine, make_sessionmaker
from law.calendar import local_date
from law.road import Role
from oversight.reports import flag_counts, longest_open, pauses
from oversight.sql import WHOLE_WINDOW
from oversight.timeliness import timeliness
from regulators.registry import get_registry
from workflow.models import Application

OVERSIGHT = Actor(user_id=None, role=Role.oversight)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a PostgreSQL database with demo data")
    parser.add_argument("--regulator", default="cno")
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    engine = make_engine(args.url)
    sessions = make_sessionmaker(engine)
    registry = get_registry()
    until = local_date(utcnow())
    since = until - timedelta(days=365)
    slug = args.regulator

    def as_json(session: Session) -> object:
        figures = {
            "window": timeliness(session, OVERSIGHT, registry, regulator=slug, stage=None,
                                 unit=WHOLE_WINDOW, since=since, until=until).model_dump(mode="json"),
            "quarters": timeliness(session, OVERSIGHT, registry, regulator=slug, stage=None,
                                   unit="quarter", since=since, until=until).model_dump(mode="json"),
            "pauses": [asdict(p) for p in pauses(session, slug, since, until)],
            "flags": [asdict(f) for f in flag_counts(session, slug, since, until)],
            "longest_open": [asdict(a) for a in longest_open(session, slug, until)],
        }
        return json.dumps(figures, default=str)

    runs: dict[str, Callable[[Session], object]] = {
        "json": as_json,
        "pdf": lambda s: regulator_report(s, OVERSIGHT, registry, slug, since, until, "en"),
        "head": chain_head,
    }
    with sessions() as session:
        n = session.scalar(select(func.count()).select_from(Application))
        events = session.execute(text("SELECT count(*) FROM events")).scalar()
        mine = session.scalar(select(func.count()).select_from(Application)
                              .where(Application.regulator == slug))
        print(f"{n} applications ({mine} at {slug}), {events} events; {since} to {until}; "
              f"{args.rounds} interleaved rounds after one warm-up each")
        began = time.perf_counter()
        chain_head(session)
        print(f"chain head, cold (walks every event; once a day per server process): "
              f"{time.perf_counter() - began:.2f} s")
        for run in runs.values():
            run(session)  # warm: caches, WeasyPrint's fonts, compiled templates
        times: dict[str, list[float]] = {name: [] for name in runs}
        cpu: dict[str, list[float]] = {name: [] for name in runs}
        for _ in range(args.rounds):
            for name, run in runs.items():
                began, began_cpu = time.perf_counter(), time.process_time()
                run(session)
                times[name].append(time.perf_counter() - began)
                cpu[name].append(time.process_time() - began_cpu)
        size = len(regulator_report(session, OVERSIGHT, registry, slug, since, until, "en"))
    print(f"{'what':<8}{'median s':>10}{'min..max s':>16}{'CPU median s':>14}{'min..max s':>16}")
    for name, values in times.items():
        print(f"{name:<8}{statistics.median(values):>10.3f}"
              f"{min(values):>8.3f}..{max(values):.3f}"
              f"{statistics.median(cpu[name]):>14.3f}"
              f"{min(cpu[name]):>8.3f}..{max(cpu[name]):.3f}")
    ratio = statistics.median(times["pdf"]) / statistics.median(times["json"])
    print(f"pdf / json: {ratio:.1f} (wall clock); PDF of {size} bytes")
    engine.dispose()


if __name__ == "__main__":
    main()
