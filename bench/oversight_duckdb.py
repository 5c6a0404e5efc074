"""Oversight figures against an analytical engine: FairTrack (timeliness and outcomes from their
rollups) on PostgreSQL against the same questions asked of DuckDB over the same rows exported as
Parquet.

Uses an existing PostgreSQL database filled by `fairtrack demo` (e.g. ft11_bench). `--grow-to N`
first multiplies its histories by SQL (applications, stage intervals, stage visits and deadlines
copied with new ids, the same applicants; events are not copied: no figure reads them) until it
holds N applications, then rebuilds the timeliness and outcome rollups (timed: the first build's
cost at that size). The rows the questions read are exported to Parquet (under --parquet, by
default build/parquet); both engines' answers are compared; then rounds alternate: FairTrack,
DuckDB, and for timeliness FairTrack counting every visit (`recount`, the definition the rollups
replace; `--no-recount` leaves it out); median and spread.

    .venv/bin/python bench/oversight_duckdb.py --url postgresql+psycopg://postgres@127.0.0.1:5432/ft11_bench \
        [--grow-to 1000000] [--rounds 5] [--parquet DIR] [--skip-export] [--only TEXT] [--no-recount]
"""

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

import duckdb
import psycopg
from sqlalchemy import make_url, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.database import make_engine, make_sessionmaker, unit_of_work
from law.calendar import local_date
from law.road import CLOSED_STATES, Role
from migrations.tables import metadata
from oversight.outcome_rollups import rebuild as rebuild_outcomes
from oversight.outcome_rollups import refresh as refresh_outcomes
from oversight.outcomes import DIMENSIONS, EVERY_REGULATOR, MINIMUM_CELL, outcomes
from oversight.rollups import TIMED_STAGES, rebuild, refresh
from oversight.suppression import suppress
from oversight.timeliness import recount, timeliness
from regulators.registry import get_registry

OVERSIGHT = Actor(user_id=None, role=Role.oversight)
ROOT = Path(__file__).resolve().parent.parent
COPIED = ("applications", "stage_intervals", "stage_visits", "deadlines")
# What the questions read, column by column, in types Parquet keeps as they are.
EXPORTS = {
    "stage_visits": "SELECT id, application_id, seq, regulator, stage, exited_at, exited_on, "
    "business_days, attributable_business_days, attributable_calendar_days, "
    "attributable_business_days_as_recorded FROM stage_visits",
    "deadlines": "SELECT application_id, kind, code, opened_seq, starts_on, days, counting, "
    "is_default FROM deadlines",
    "applications": "SELECT id, applicant_id, regulator, state, created_at FROM applications",
    "applicant_profiles": "SELECT user_id, immigration_status, country_of_education, "
    "started_before_arrival FROM applicant_profiles",
    "stage_intervals": "SELECT application_id, stage, state, entered_at FROM stage_intervals",
}


def grow(url: str, target: int) -> None:
    """Copy the first histories again with new ids until there are `target` applications."""
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn:
        (have,) = conn.execute("SELECT count(*) FROM applications").fetchone() or (0,)
        (top,) = conn.execute("SELECT max(id) FROM applications").fetchone() or (0,)
        copies = -(-target // have) - 1 if have else 0
        for k in range(1, copies + 1):
            offset = k * top
            limit = min(have, target - have * k)
            began = time.perf_counter()
            for table in COPIED:
                columns = [c.name for c in metadata.tables[table].columns if c.name != "id"]
                key = "id" if table == "applications" else "application_id"
                values = [f"{c} + {offset}" if c == "application_id" else c for c in columns]
                if table == "applications":
                    columns, values = ["id", *columns], [f"id + {offset}", *values]
                conn.execute(
                    f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "  # noqa: S608
                    f"FROM {table} WHERE {key} IN (SELECT id FROM applications WHERE id <= {top} "
                    f"ORDER BY id LIMIT {limit})"
                )
            conn.commit()
            print(f"copy {k}/{copies}: {limit} histories in {time.perf_counter() - began:.0f} s",
                  flush=True)
        for table in COPIED:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                         f"(SELECT max(id) FROM {table}))")
        conn.commit()
        conn.autocommit = True
        conn.execute("VACUUM ANALYZE")


def export(url: str, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo) as conn, conn.cursor() as cursor:
        for name, query in EXPORTS.items():
            csv = folder / f"{name}.csv"
            with csv.open("wb") as out, cursor.copy(
                f"COPY ({query}) TO STDOUT WITH (FORMAT csv, HEADER)"  # constant queries
            ) as copy:
                for data in copy:
                    out.write(data)
            duckdb.execute(f"COPY (SELECT * FROM read_csv('{csv}', header = true)) "
                           f"TO '{folder / name}.parquet' (FORMAT parquet)")
            csv.unlink()


def duck_timeliness(db: duckdb.DuckDBPyConnection, since: date, until: date) -> list[tuple]:
    """oversight.timeliness.recount, in DuckDB: visits ended in the window, each with the first
    service standard opened during it, by regulator, stage and quarter."""
    stages = ", ".join(f"'{s}'" for s in TIMED_STAGES)
    return db.execute(f"""
        WITH visits AS (
            SELECT * FROM 'stage_visits.parquet'
            WHERE stage IN ({stages}) AND exited_on >= DATE '{since}' AND exited_on <= DATE '{until}'
        ),
        standards AS (
            SELECT v.*, d.days AS standard_days,
                   CASE WHEN d.counting = 'calendar' THEN 0 ELSE 1 END AS standard_business,
                   CASE WHEN d.is_default THEN 1 ELSE 0 END AS standard_is_default,
                   ROW_NUMBER() OVER (PARTITION BY v.id ORDER BY d.opened_seq) AS nth
            FROM visits AS v
            LEFT JOIN 'deadlines.parquet' AS d
                   ON d.application_id = v.application_id AND d.kind = 'service_standard'
                  AND d.code = v.stage AND d.opened_seq >= v.seq AND d.starts_on <= v.exited_on
        )
        SELECT regulator, stage, strftime(exited_on, '%Y') || '-Q' || quarter(exited_on) AS period,
               COUNT(*), quantile_cont(business_days, 0.5), quantile_cont(business_days, 0.8),
               quantile_cont(business_days, 0.9), MAX(standard_days), MAX(standard_business),
               MAX(standard_is_default),
               AVG(CASE WHEN standard_days IS NULL THEN NULL
                        WHEN (CASE WHEN standard_business = 1 THEN attributable_business_days
                                   ELSE attributable_calendar_days END) > standard_days
                        THEN 1.0 ELSE 0.0 END),
               AVG(attributable_business_days), AVG(attributable_business_days_as_recorded)
        FROM standards WHERE nth = 1
        GROUP BY ALL ORDER BY ALL
    """).fetchall()  # noqa: S608 - constants and dates


def duck_outcomes(db: duckdb.DuckDBPyConnection, by: str) -> list[list[tuple]]:
    """oversight.outcomes' three queries (figures, people per regulator, totals), in DuckDB; the
    withholding of small cells is the same Python in both, left out of both timings' difference."""
    group = {"immigration_status": "COALESCE(p.immigration_status, 'unknown')",
             "country_of_education": "COALESCE(p.country_of_education, 'unknown')",
             "started_before_arrival": "CASE WHEN p.started_before_arrival IS NULL THEN 'unknown' "
             "WHEN p.started_before_arrival THEN 'yes' ELSE 'no' END",
             "stage": "reached.stage"}[by]
    reached = ("JOIN (SELECT DISTINCT application_id, stage FROM 'stage_intervals.parquet' "
               "WHERE stage <> 'closed') AS reached ON reached.application_id = a.id"
               if by == "stage" else "")
    closed = ", ".join(f"'{s}'" for s in sorted(CLOSED_STATES))
    base = f"""
        WITH closed AS (
            SELECT {group} AS grp, a.regulator, a.applicant_id,
                   CASE WHEN a.state = 'licensed' THEN 1 ELSE 0 END AS licensed,
                   CASE WHEN a.state = 'licensed'
                        THEN epoch(l.entered_at - a.created_at) / 86400.0 END AS days
            FROM 'applications.parquet' AS a
            LEFT JOIN 'applicant_profiles.parquet' AS p ON p.user_id = a.applicant_id
            LEFT JOIN 'stage_intervals.parquet' AS l ON l.application_id = a.id AND l.state = 'licensed'
            {reached}
            WHERE a.state IN ({closed})
        )
    """  # noqa: S608
    figures = db.execute(base + """
        SELECT grp, COUNT(DISTINCT applicant_id), COUNT(*), SUM(licensed),
               quantile_cont(days, 0.5), quantile_cont(days, 0.8)
        FROM closed GROUP BY grp ORDER BY grp""").fetchall()
    people = db.execute(base + """
        SELECT regulator, grp, COUNT(DISTINCT applicant_id) FROM closed GROUP BY regulator, grp
        """).fetchall()
    totals = db.execute(f"""
        SELECT COUNT(DISTINCT applicant_id), COUNT(*),
               SUM(CASE WHEN state = 'licensed' THEN 1 ELSE 0 END)
        FROM 'applications.parquet' WHERE state IN ({closed})""").fetchall()  # noqa: S608
    return [figures, people, totals]


def same_outcomes(ours: object, theirs: list[list[tuple]], by: str) -> None:
    """FairTrack's published outcome rows against DuckDB's figures: the same groups, the same
    counts where a row is published, percentiles within the published rounding (0.1 day), and
    the withheld cells those of DuckDB's people counts."""
    figures, people, _totals = theirs
    cells = {(str(r), str(g)): n for r, g, n in people}
    cells.update({(EVERY_REGULATOR, str(f[0])): f[1] for f in figures})
    withheld = suppress(cells, {r for r, _ in cells}, {g for _, g in cells}, MINIMUM_CELL)
    rows = {r.group: r for r in ours.rows}  # type: ignore[attr-defined]
    shown = {str(f[0]) for f in figures} | {g for r, g in withheld if r == EVERY_REGULATOR}
    assert set(rows) == shown, (by, "groups differ")
    for group, n_people, applications, licensed, p50, p80 in figures:
        row = rows[str(group)]
        assert row.suppressed == ((EVERY_REGULATOR, str(group)) in withheld), (by, group)
        if row.suppressed:
            continue
        assert (row.people, row.applications, row.licensed) == (n_people, applications,
                                                                 licensed), (by, group)
        if licensed:
            assert abs(row.median_days_to_licence - p50) <= 0.05 + 1e-9, (by, group)
            assert abs(row.p80_days_to_licence - p80) <= 0.05 + 1e-9, (by, group)
    print(f"same answer from both: outcomes by {by}, {len(rows)} groups", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--grow-to", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--parquet", default=str(ROOT / "build" / "parquet"))
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--only", default="", help="the questions whose name contains this")
    parser.add_argument("--no-recount", action="store_true",
                        help="leave out FairTrack counting every visit (the slow definition)")
    args = parser.parse_args()
    engine = make_engine(args.url)
    sessions = make_sessionmaker(engine)
    registry = get_registry()
    if args.grow_to:
        grow(args.url, args.grow_to)
        with sessions() as session, unit_of_work(session):
            began = time.perf_counter()
            folded = rebuild(session)
        print(f"timeliness rollups rebuilt from {folded} visits in "
              f"{time.perf_counter() - began:.0f} s", flush=True)
        with sessions() as session, unit_of_work(session):
            began = time.perf_counter()
            written = rebuild_outcomes(session)
        print(f"outcome rollup rebuilt: {written} closed applications in "
              f"{time.perf_counter() - began:.0f} s", flush=True)
    with sessions() as session, unit_of_work(session):
        refresh(session)
        refresh_outcomes(session)
    folder = Path(args.parquet)
    if not args.skip_export:
        began = time.perf_counter()
        export(args.url, folder)
        print(f"exported to Parquet in {time.perf_counter() - began:.0f} s")
    db = duckdb.connect()
    db.execute(f"SET file_search_path = '{folder}'")
    today = local_date(utcnow())
    year_ago = today - timedelta(days=365)
    with sessions() as session:
        counts = session.execute(text(
            "SELECT (SELECT count(*) FROM applications), (SELECT count(*) FROM stage_visits), "
            "(SELECT count(*) FROM stage_intervals), (SELECT count(*) FROM deadlines), "
            "(SELECT count(*) FROM timeliness_rollups), (SELECT count(*) FROM outcome_rollups)"
        )).one()
    print(f"{counts[0]} applications, {counts[1]} stage visits, {counts[2]} stage intervals, "
          f"{counts[3]} deadlines; {counts[4]} timeliness rollup rows, {counts[5]} outcome rollup "
          "rows (closed applications)")
    questions: dict[str, dict[str, Callable[[Session], object]]] = {
        "timeliness, every regulator by quarter, 12 months": {
            "fairtrack": lambda s: timeliness(s, OVERSIGHT, registry, regulator=None, stage=None,
                                              unit="quarter", since=year_ago, until=today),
            "duckdb": lambda s: duck_timeliness(db, year_ago, today),
            "recount": lambda s: recount(s, regulator=None, stage=None, unit="quarter",
                                         since=year_ago, until=today),
        },
    }
    if args.no_recount:
        del questions["timeliness, every regulator by quarter, 12 months"]["recount"]
    for by in DIMENSIONS:
        questions[f"outcomes by {by}"] = {
            "fairtrack": lambda s, by=by: outcomes(s, OVERSIGHT, registry, by=by, regulator=None),
            "duckdb": lambda s, by=by: duck_outcomes(db, by),
        }
    questions = {name: runs for name, runs in questions.items() if args.only in name}
    times: dict[tuple[str, str], list[float]] = {}
    with sessions() as session:  # the same question: the same groups and visits
        ours = timeliness(session, OVERSIGHT, registry, regulator=None, stage=None, unit="quarter",
                          since=year_ago, until=today).rows
        theirs = duck_timeliness(db, year_ago, today)
        assert [(r.regulator, r.stage, r.period, r.count, r.median_business_days) for r in ours] == [
            (r[0], r[1], r[2], r[3], round(r[4], 2)) for r in theirs], "DuckDB disagrees"
        print(f"same answer from both: {len(ours)} rows, {sum(r.count for r in ours)} visits")
        for by in DIMENSIONS:
            if args.only not in f"outcomes by {by}":
                continue
            same_outcomes(outcomes(session, OVERSIGHT, registry, by=by, regulator=None),
                          duck_outcomes(db, by), by)
    with sessions() as session:
        for runs in questions.values():  # warm: caches, as a server that has been up
            for run in runs.values():
                run(session)
                session.rollback()
        for _ in range(args.rounds):
            for question, runs in questions.items():
                for who, run in runs.items():
                    began = time.perf_counter()
                    run(session)
                    times.setdefault((question, who), []).append(time.perf_counter() - began)
                    session.rollback()
    print(f"median (min-max) seconds of {args.rounds} interleaved rounds; ratio = DuckDB / FairTrack "
          "(goal >= 1: FairTrack no slower)")
    for question, runs in questions.items():
        line = [f"{question:<52}"]
        for who in runs:
            values = times[(question, who)]
            line.append(f"{who} {statistics.median(values):.3f} ({min(values):.3f}-{max(values):.3f})")
        ratio = statistics.median(times[(question, "duckdb")]) / statistics.median(
            times[(question, "fairtrack")])
        print("  ".join(line) + f"  ratio {ratio:.2f}", flush=True)
    engine.dispose()


if __name__ == "__main__":
    main()
