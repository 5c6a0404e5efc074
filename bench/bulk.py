"""The bulk load against raw COPY of the same rows, with the memory it takes.

Each round: `fairtrack demo --applications N` into a new PostgreSQL database (its wall time, the
peak RSS of the command and of the server process serving it), then the rows it wrote, dumped with
COPY TO, loaded with nothing but COPY FROM into another new database of the same schema (the floor:
no histories to walk, no hashes, no deadlines, no flags, no rollups to compute). Rounds alternate
the two; the ratio is COPY's time over the demo's (goal >= 0.5), median and spread over the rounds.

    .venv/bin/python bench/bulk.py [--applications 10000] [--rounds 3] [--postgres-url URL]
"""

import argparse
import io
import os
import re
import statistics
import subprocess  # noqa: S404 - runs our own command
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path[0] = str(Path(__file__).resolve().parent.parent)

import psycopg
from sqlalchemy import make_url

from fairtrack.database import make_engine, scratch_postgres_database
from fairtrack.migrate import upgrade
from migrations.tables import metadata

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
ROOT = Path(__file__).resolve().parent.parent


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


class ServerRss(threading.Thread):
    """Polls the resident memory of the server processes connected to one database (Linux /proc:
    the server must run on this machine) and keeps the largest."""

    def __init__(self, server_url: str, database: str) -> None:
        super().__init__(daemon=True)
        self.server_url, self.database, self.peak_kib, self.done = server_url, database, 0, False

    def run(self) -> None:
        with psycopg.connect(self.server_url, autocommit=True) as conn:
            while not self.done:
                pids = [r[0] for r in conn.execute(
                    "SELECT pid FROM pg_stat_activity WHERE datname = %s", (self.database,))]
                for pid in pids:
                    try:
                        status = Path(f"/proc/{pid}/status").read_text()
                    except OSError:
                        continue
                    found = re.search(r"VmRSS:\s+(\d+) kB", status)
                    if found:
                        self.peak_kib = max(self.peak_kib, int(found.group(1)))
                time.sleep(0.2)


def demo_round(url: str, applications: int, server_url: str) -> tuple[float, int, int]:
    """(seconds, the command's peak RSS in KiB, the server process's peak RSS in KiB)."""
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": url}
    watch = ServerRss(server_url, make_url(url).database or "")
    watch.start()
    began = time.perf_counter()
    done = subprocess.run(  # noqa: S603 - our own command, fixed arguments
        ["/usr/bin/time", "-v", str(ROOT / ".venv/bin/fairtrack"), "demo",
         "--applications", str(applications)],
        env=env, capture_output=True, text=True, check=True,
    )
    seconds = time.perf_counter() - began
    watch.done = True
    watch.join()
    peak = re.search(r"Maximum resident set size \(kbytes\): (\d+)", done.stderr)
    return seconds, int(peak.group(1)) if peak else -1, watch.peak_kib


def tables() -> list[str]:
    """Every table, parents first (COPY FROM checks the foreign keys as it goes)."""
    return [t.name for t in metadata.sorted_tables if t.name != "alembic_version"]


def dump(url: str) -> dict[str, bytes]:
    rows: dict[str, bytes] = {}
    with psycopg.connect(_libpq(url)) as conn, conn.cursor() as cursor:
        for table in tables():
            buffer = io.BytesIO()
            with cursor.copy(f"COPY {table} TO STDOUT") as copy:  # constant table names
                for data in copy:
                    buffer.write(data)
            rows[table] = buffer.getvalue()
    return rows


def copy_round(url: str, rows: dict[str, bytes]) -> float:
    """Seconds to COPY the dumped rows into an empty database of the same schema, committed.

    The rows a migration seeds (the outcome rollup's watermark, 0015) are in the dump too: they
    are deleted first, untimed, so that the COPY writes every row the demo's database holds."""
    with psycopg.connect(_libpq(url)) as conn, conn.cursor() as cursor:
        for table in reversed(tables()):
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 - constant table names
        conn.commit()
        began = time.perf_counter()
        for table in tables():
            with cursor.copy(f"COPY {table} FROM STDIN") as copy:  # constant table names
                view = memoryview(rows[table])
                for start in range(0, len(view), 1 << 20):
                    copy.write(view[start : start + (1 << 20)])
        conn.commit()
        return time.perf_counter() - began


def breakdown(url: str, applications: int) -> dict[str, float]:
    """One demo load in this process, timing its parts: walking the histories (cli/walks.py),
    turning them into rows (hash chain, durations, visits), writing the rows (COPY), the rest."""
    import cli.demo as demo
    from fairtrack.database import make_sessionmaker
    from regulators.registry import get_registry

    spent = {"walks": 0.0, "rows and writes": 0.0, "writes (COPY)": 0.0}

    def timing(name: str, function: Any) -> Any:
        def timed(*args: Any, **kwargs: Any) -> Any:
            began = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] += time.perf_counter() - began
        return timed

    for attribute, name in (("walk_history", "walks"), ("_insert", "rows and writes"),
                            ("write_rows", "writes (COPY)")):
        setattr(demo, attribute, timing(name, getattr(demo, attribute)))
    engine = make_engine(url)
    marks: dict[str, float] = {}
    began = time.perf_counter()

    def phase(name: str) -> None:
        marks[name] = time.perf_counter() - began

    with make_sessionmaker(engine)() as session:
        demo.generate(session, get_registry(), applications, phase=phase)
    spent["total"] = time.perf_counter() - began
    spent["flags and rollups"] = spent["total"] - marks["flags"]
    engine.dispose()
    return spent


def migrated(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applications", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    server = _libpq(args.postgres_url)
    demo_s, copy_s, ratios, rss, server_rss = [], [], [], [], []
    total_rows = 0
    for n in range(args.rounds):
        with scratch_postgres_database(args.postgres_url, "ft11_bulk") as demo_url, \
                scratch_postgres_database(args.postgres_url, "ft11_copy") as copy_url:
            migrated(demo_url)
            migrated(copy_url)
            seconds, peak, server_peak = demo_round(demo_url, args.applications, server)
            rows = dump(demo_url)
            total_rows = sum(data.count(b"\n") for data in rows.values())
            copied = copy_round(copy_url, rows)
            del rows
        demo_s.append(seconds)
        copy_s.append(copied)
        ratios.append(copied / seconds)
        rss.append(peak)
        server_rss.append(server_peak)
        print(f"round {n + 1}: demo {seconds:.1f} s (peak RSS {peak / 1024:.0f} MiB, server "
              f"{server_peak / 1024:.0f} MiB); COPY of the same {total_rows} rows {copied:.1f} s; "
              f"ratio {copied / seconds:.3f}", flush=True)

    def spread(values: list[float]) -> str:
        return f"median {statistics.median(values):.3f} (min {min(values):.3f}, max {max(values):.3f})"

    print(f"{args.applications} applications, {total_rows} rows, {args.rounds} interleaved rounds")
    print(f"demo seconds: {spread(demo_s)}")
    print(f"COPY seconds: {spread(copy_s)}")
    print(f"ratio COPY / demo (goal >= 0.5): {spread(ratios)}")
    print(f"peak RSS of `fairtrack demo`: {max(rss) / 1024:.0f} MiB; of its server process: "
          f"{max(server_rss) / 1024:.0f} MiB")
    with scratch_postgres_database(args.postgres_url, "ft11_parts") as url:
        migrated(url)
        parts = breakdown(url, args.applications)
    total = parts.pop("total")
    print(f"where a load's {total:.1f} s go (in process, same N): " + ", ".join(
        f"{name} {seconds:.1f} s ({seconds / total:.0%})" for name, seconds in parts.items()))


if __name__ == "__main__":
    main()
