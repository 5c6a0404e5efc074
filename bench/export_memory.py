"""The server's memory while it streams a CSV export: peak RSS at 10,000 and 1,000,000 rows.

Makes a PostgreSQL database (default `ft14_export`, dropped and made again) with synthetic rows made
by generate_series: 10 applications opened on 2026-01-05 with 1,000 events each (10,000 rows) and
1,000 opened on 2026-02-02 with 1,000 events each (1,000,000 rows). It starts `fairtrack serve` on it,
logs in as fairness staff and downloads GET /api/v1/exports/events.csv for each day (the filter),
reading the answer as it comes, then reads the server's /proc status: VmRSS before, VmHWM (its peak
since it started) after each export. Constant memory: the peak after a million rows is about the
peak after ten thousand.

    .venv/bin/python bench/export_memory.py [--admin-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
"""

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

import httpx
from sqlalchemy import create_engine, make_url, text

from casefile.accounts import add_user
from fairtrack.database import make_engine, make_sessionmaker
from fairtrack.migrate import upgrade
from law.road import Role
from regulators.registry import get_registry

PASSWORD = "export bench passphrase 2026"  # noqa: S105 - a throw-away bench database
PORT = 8714
FILL = """
INSERT INTO users (email, password_hash, role, preferred_language, is_active, created_at,
                   credentials_version)
VALUES ('applicant@bench.example', 'x', 'applicant', 'en', true, now(), 0);
INSERT INTO applications (applicant_id, regulator, licence_class, health_route, rules_version, state,
                          decided_by_committee, version, head_hash, created_at, updated_at)
SELECT 1, 'cno', 'rn', true, 1, 'under_review', false, 1000, repeat('0', 64),
       CASE WHEN n <= 10 THEN timestamptz '2026-01-05 12:00-05' ELSE timestamptz '2026-02-02 12:00-05' END,
       now()
FROM generate_series(1, 1010) AS n;
INSERT INTO events (application_id, seq, trigger, outcome, from_state, to_state, actor_id,
                    actor_role, actor_org, occurred_at, recorded_at, payload, changes, prev_hash, hash)
SELECT a, s, 'begin_review', NULL, 'assessment_complete', 'under_review', NULL, 'regulator', 'cno',
       now(), now(), '{}', '{}', repeat('0', 64), md5(a::text || '-' || s::text) || md5(s::text)
FROM generate_series(1, 1010) AS a, generate_series(1, 1000) AS s;
ANALYZE;
"""


def status(pid: int) -> dict[str, int]:
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            fields[name] = int(value.split()[0]) // 1024  # MiB
    return fields


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test")
    parser.add_argument("--database", default="ft14_export")
    args = parser.parse_args()
    admin = create_engine(args.admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{args.database}"'))
        conn.execute(text(f'CREATE DATABASE "{args.database}"'))
    admin.dispose()
    url = make_url(args.admin_url).set(database=args.database).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    began = time.perf_counter()
    with engine.begin() as conn:
        for statement in FILL.split(";\n"):
            if statement.strip():
                conn.execute(text(statement))
    with make_sessionmaker(engine)() as session:
        add_user(session, get_registry(), email="staff@bench.example", password=PASSWORD,
                 role=Role.oversight, organization=None, preferred_language="en")
    engine.dispose()
    print(f"1,010,000 events in {time.perf_counter() - began:.0f} s")
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": url, "FAIRTRACK_PORT": str(PORT),
           "FAIRTRACK_LOG_LEVEL": "warning"}
    server = subprocess.Popen([str(Path(sys.executable).parent / "fairtrack"), "serve"], env=env)  # noqa: S603
    try:
        base = f"http://127.0.0.1:{PORT}/api/v1"
        for _ in range(120):
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        token = httpx.post(f"{base}/auth/token", data={"username": "staff@bench.example",
                                                       "password": PASSWORD}).json()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        print(f"{'rows':>10}{'bytes':>14}{'seconds':>9}{'RSS before MiB':>16}{'peak after MiB':>16}")
        for day in ("2026-01-05", "2026-02-02"):
            before = status(server.pid)["VmRSS"]
            started, size, lines = time.perf_counter(), 0, 0
            with httpx.stream("GET", f"{base}/exports/events.csv", headers=headers, timeout=600,
                              params={"since": day, "until": day}) as answer:
                answer.raise_for_status()
                for chunk in answer.iter_bytes():
                    size += len(chunk)
                    lines += chunk.count(b"\n")
            seconds = time.perf_counter() - started
            print(f"{lines - 1:>10,}{size:>14,}{seconds:>9.1f}{before:>16}"
                  f"{status(server.pid)['VmHWM']:>16}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
