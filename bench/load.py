"""Many concurrent writers against a real server on PostgreSQL over loopback: what they are answered.

Starts `uvicorn api.app:create_app` in its own process on a scratch database, opens N applications
and submits them, then for each round sends W writers at once (spread over the applications), each
firing the next step at the version it was told: exactly one of the writers on an application may
win each version (201), the others are told it moved (409) or that the server is busy (503, with
Retry-After). Afterwards the log must hold exactly the 201s and `fairtrack verify` must pass. It
prints the answers per round, latency percentiles, and exits 1 if any criterion fails.

    .venv/bin/python bench/load.py [--writers 100] [--applications 10] [--rounds 3]
        [--pool-size 10] [--max-overflow 30] [--pool-timeout 10] [--workers 1]
        [--postgres-url URL]
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[0] = str(ROOT)

import httpx
from sqlalchemy import func, select

from accounts.actor import Actor
from accounts.models import User
from accounts.security import issue_token
from casefile.applications import create_application, record_event
from fairtrack.database import make_engine, make_sessionmaker, scratch_postgres_database, transaction
from fairtrack.migrate import upgrade
from law.road import Role
from regulators.registry import get_registry
from workflow.models import Event
from workflow.schemas import ApplicationCreate, EventRequest

POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
SECRET = "bench-load-secret-key-0123456789-abcdef"  # noqa: S105 - a scratch database's key
# The steps each round fires at the application's version then: (version, body).
ROUNDS = [
    (2, {"trigger": "begin_review"}),
    (3, {"trigger": "request_information", "reasons": "Transcripts, please."}),
    (4, {"trigger": "withdraw"}),
]


def prepare(url: str, applications: int) -> tuple[list[str], dict[Role, str]]:
    """Applications at PEO, submitted (version 2), and a token for the engineer and the officer."""
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_sessionmaker(engine)
    registry = get_registry()
    tokens: dict[Role, str] = {}
    with transaction(sessions) as session:
        actors = {}
        for role, org in ((Role.applicant, None), (Role.regulator, "peo")):
            user = User(email=f"{role.value}@bench.example", password_hash="!", role=role.value,  # noqa: S106
                        organization=org)
            session.add(user)
            session.flush()
            assert user.id is not None
            actors[role] = Actor(user.id, role, org)
            tokens[role] = issue_token(user.id, SECRET, 120)
        refs = [create_application(session, actors[Role.applicant], registry,
                                   ApplicationCreate(regulator="peo", licence_class="p-eng")).reference
                for _ in range(applications)]
    with sessions() as session:
        for ref in refs:
            record_event(session, actors[Role.applicant], registry, ref,
                         EventRequest(trigger="submit", expected_version=1))
    engine.dispose()
    return refs, tokens


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(url: str, args: argparse.Namespace) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": url, "FAIRTRACK_SECRET_KEY": SECRET,
           "FAIRTRACK_DB_POOL_SIZE": str(args.pool_size),
           "FAIRTRACK_DB_MAX_OVERFLOW": str(args.max_overflow),
           "FAIRTRACK_DB_POOL_TIMEOUT_SECONDS": str(args.pool_timeout)}
    process = subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", str(args.workers), "--log-level", "warning",
         "--no-access-log", "--backlog", str(4 * args.writers)],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        for _ in range(300):
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            raise SystemExit("the server did not start")
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--writers", type=int, default=100)
    parser.add_argument("--applications", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=len(ROUNDS), choices=range(1, len(ROUNDS) + 1))
    parser.add_argument("--pool-size", type=int, default=10)
    parser.add_argument("--max-overflow", type=int, default=30)
    parser.add_argument("--pool-timeout", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--postgres-url", default=POSTGRES_URL)
    args = parser.parse_args()
    with scratch_postgres_database(args.postgres_url, "fairtrack_bench_load") as url:
        refs, tokens = prepare(url, args.applications)
        answers: list[tuple[str, int, int, float]] = []
        with server(url, args) as base:
            limits = httpx.Limits(max_connections=args.writers, max_keepalive_connections=args.writers)
            with httpx.Client(base_url=base, timeout=120, limits=limits) as client:
                for version, body in ROUNDS[: args.rounds]:
                    barrier = threading.Barrier(args.writers, timeout=60)
                    role = Role.applicant if body["trigger"] == "withdraw" else Role.regulator
                    headers = {"Authorization": f"Bearer {tokens[role]}"}

                    def write(n: int, version: int = version, body: dict[str, str] = body,
                              headers: dict[str, str] = headers,
                              barrier: threading.Barrier = barrier) -> tuple[str, int, int, float]:
                        ref = refs[n % len(refs)]
                        barrier.wait()
                        began = time.perf_counter()
                        response = client.post(f"/applications/{ref}/events", headers=headers,
                                               json={**body, "expected_version": version})
                        return ref, version, response.status_code, time.perf_counter() - began

                    with ThreadPoolExecutor(max_workers=args.writers) as pool:
                        round_answers = list(pool.map(write, range(args.writers)))
                    answers += round_answers
                    counts = Counter(a[2] for a in round_answers)
                    times = sorted(a[3] for a in round_answers)
                    print(f"round at version {version} ({body['trigger']}): "  # noqa: T201
                          f"{dict(sorted(counts.items()))}; latency p50 {statistics.median(times):.3f} s, "
                          f"p95 {times[int(0.95 * (len(times) - 1))]:.3f} s, max {times[-1]:.3f} s")
        engine = make_engine(url)
        with make_sessionmaker(engine)() as session:
            events = session.scalar(select(func.count()).select_from(Event)) or 0
        engine.dispose()
        verified = subprocess.run(  # noqa: S603 - our own command
            [sys.executable, "-m", "cli.main", "verify"], cwd=ROOT, capture_output=True, text=True,
            env={**os.environ, "FAIRTRACK_DATABASE_URL": url}, check=False,
        )
    statuses = Counter(a[2] for a in answers)
    created = Counter((a[0], a[1]) for a in answers if a[2] == 201)
    other_5xx = sum(n for status, n in statuses.items() if status >= 500 and status != 503)
    problems = []
    if other_5xx:
        problems.append(f"{other_5xx} answers 5xx other than 503")
    if any(n != 1 for n in created.values()):
        problems.append(f"more than one 201 for one version: {created}")
    if events != 2 * len(refs) + statuses[201]:
        problems.append(f"{events} events, expected {2 * len(refs)} + {statuses[201]} 201s")
    if verified.returncode != 0:
        problems.append(f"verify failed: {verified.stderr[-500:]}")
    print(f"writers {args.writers}, applications {len(refs)}, rounds {args.rounds}, "  # noqa: T201
          f"pool {args.pool_size}+{args.max_overflow} (timeout {args.pool_timeout} s), "
          f"workers {args.workers}")
    print(f"answers {dict(sorted(statuses.items()))}; 5xx other than 503: {other_5xx}; "  # noqa: T201
          f"one 201 per application per version: {all(n == 1 for n in created.values())}; "
          f"events {events} = {2 * len(refs)} + {statuses[201]} 201s: "
          f"{events == 2 * len(refs) + statuses[201]}; verify: "
          f"{'clean' if verified.returncode == 0 else 'FAILED'}")
    for problem in problems:
        print(f"PROBLEM: {problem}")  # noqa: T201
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
