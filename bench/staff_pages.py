"""The staff's work queue and the oversight dashboard, as pages, against the JSON API calls that read
the same things, on one server over a large demo database (issue 13: within 2x).

Serves the app with uvicorn (one process) on an existing PostgreSQL database filled by
`fairtrack demo` (the demo accounts' password), logs in as CNO's registrar and as fairness staff
both ways (page session, bearer token), then times, in interleaved rounds (page, API, page, API...),
each pair below; prints per pair the median and the spread (min-max) of each, and the ratio of the
medians.

    FAIRTRACK_DATABASE_URL=... fairtrack demo --applications 100000
    .venv/bin/python bench/staff_pages.py --url postgresql+psycopg://postgres@127.0.0.1:5432/ft13_bench

Pairs:
- queue: `GET /staff/queue` (25 rows: flagged and oldest first, counts per stage, days in stage,
  standard, open windows) vs `GET /api/v1/queue` (the same rows as JSON), and vs
  `GET /api/v1/applications?limit=25` (the registrar's applications in id order, no sort by age
  or flag, no counts: a lower bound);
- one stage: the page and `/api/v1/queue` with `stage=regulator_review`;
- dashboard: `GET /oversight` (timeliness for a stage, outcomes by three dimensions, open flags by
  kind and regulator) vs the JSON calls for the same figures (`/oversight/timeliness?stage=...`,
  `/oversight/outcomes?by=...` x3, `/oversight/flags?status=open`), one after the other;
- one regulator: `GET /oversight/regulators/cno` vs the same JSON calls for CNO.
"""

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "fairtrack-demo-2026"  # noqa: S105 - the demo accounts' (cli/demo.py)
SECRET = "bench-secret-not-for-production-0123456789"  # noqa: S105 - a bench's own server
REGISTRAR = "regulator.cno@demo.fairtrack.example"
OVERSIGHT = "oversight@demo.fairtrack.example"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def server(url: str) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": url, "FAIRTRACK_SECRET_KEY": SECRET}
    process = subprocess.Popen(  # noqa: S603 - our own app, fixed arguments
        [sys.executable, "-m", "uvicorn", "api.app:create_app", "--factory", "--host", "127.0.0.1",
         "--port", str(port), "--workers", "1", "--log-level", "warning", "--no-access-log"],
        cwd=ROOT, env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
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


def page_client(base: str, email: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=120)
    form = client.get("/login").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "no login form"
    answer = client.post("/login", data={"email": email, "password": PASSWORD,
                                         "csrf_token": token.group(1)})
    assert answer.status_code in (200, 303), answer.text
    return client


def api_client(base: str, email: str) -> httpx.Client:
    answer = httpx.post(f"{base}/api/v1/auth/token", data={"username": email, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return httpx.Client(base_url=f"{base}/api/v1", timeout=120,
                        headers={"Authorization": f"Bearer {answer.json()['access_token']}"})


def timed(call: Callable[[], None]) -> float:
    began = time.perf_counter()
    call()
    return time.perf_counter() - began


def get(client: httpx.Client, *paths: str) -> Callable[[], None]:
    def run() -> None:
        for path in paths:
            answer = client.get(path)
            assert answer.status_code == 200, f"{path}: {answer.status_code} {answer.text[:300]}"
    return run


def compare(name: str, page: Callable[[], None], api: Callable[[], None], rounds: int) -> None:
    page(), api()  # warm both (caches, the pool), as a server that has been up would be
    pages, apis = [], []
    for _ in range(rounds):
        pages.append(timed(page))
        apis.append(timed(api))
    p, a = statistics.median(pages), statistics.median(apis)
    print(f"{name:<22} page {p * 1000:8.1f} ms ({min(pages) * 1000:.1f}-{max(pages) * 1000:.1f})"
          f"   api {a * 1000:8.1f} ms ({min(apis) * 1000:.1f}-{max(apis) * 1000:.1f})"
          f"   ratio {p / a:5.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True, help="a database filled by `fairtrack demo`")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    with server(args.url) as base:
        registrar_page, registrar_api = page_client(base, REGISTRAR), api_client(base, REGISTRAR)
        oversight_page, oversight_api = page_client(base, OVERSIGHT), api_client(base, OVERSIGHT)
        stage = "regulator_review"
        figures = [f"/oversight/timeliness?stage={stage}",
                   *(f"/oversight/outcomes?by={by}" for by in
                     ("immigration_status", "country_of_education", "started_before_arrival")),
                   "/oversight/flags?status=open&limit=100"]
        print(f"median and (min-max) of {args.rounds} interleaved rounds, one uvicorn process")
        compare("queue vs /queue", get(registrar_page, "/staff/queue"),
                get(registrar_api, "/queue"), args.rounds)
        compare("queue vs /applications", get(registrar_page, "/staff/queue"),
                get(registrar_api, "/applications?limit=25"), args.rounds)
        compare("one stage vs /queue", get(registrar_page, f"/staff/queue?stage={stage}"),
                get(registrar_api, f"/queue?stage={stage}"), args.rounds)
        compare("dashboard", get(oversight_page, f"/oversight?stage={stage}"),
                get(oversight_api, *figures), args.rounds)
        compare("one regulator (cno)", get(oversight_page, "/oversight/regulators/cno"),
                get(oversight_api, "/oversight/timeliness?regulator=cno",
                    *(f"{path}&regulator=cno" for path in figures[1:])), args.rounds)


if __name__ == "__main__":
    main()
