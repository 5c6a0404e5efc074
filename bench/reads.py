"""GET one application against GET /health on the same server, under `wrk` on loopback.

Starts `fairtrack serve --workers N` on a PostgreSQL database already holding demo data (and a
`fairtrack scan`, which keeps the expected times the reads show), logs in as a regulator's demo
account, and alternates rounds of /api/v1/health and of GET /api/v1/applications/{ref} (a
different application of that regulator on each request) at the same number of connections. The
table gives each round's median and spread (lowest-highest) of requests/s and p99 latency, the
ratio of the two request rates, and the server's resident memory (each process, highest seen).

    FAIRTRACK_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/ft11a_bench \\
        .venv/bin/fairtrack demo --applications 20000
    FAIRTRACK_DATABASE_URL=... .venv/bin/fairtrack scan
    .venv/bin/python bench/reads.py --database-url postgresql+psycopg://...ft11a_bench \\
        [--workers 2] [--connections 32] [--seconds 10] [--rounds 3]

Needs `wrk` (Debian: apt-get install wrk).
"""

import argparse
import os
import re
import shutil
import statistics
import subprocess  # noqa: S404 - runs our own server and wrk, with fixed arguments
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parent.parent
DEMO_PASSWORD = "fairtrack-demo-2026"  # noqa: S105 - the demo accounts' documented password
DEMO_DOMAIN = "demo.fairtrack.example"
SCRIPT = """
paths = {}
counter = 0
init = function(args)
  for line in io.lines("%s") do paths[#paths + 1] = line end
end
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
"""


def busiest_regulator(url: str, sample: int) -> tuple[str, list[str]]:
    """The regulator with the most applications, and up to `sample` of their references."""
    engine = create_engine(url)
    with engine.connect() as conn:
        slug: str = conn.execute(text(
            "SELECT regulator FROM applications GROUP BY regulator ORDER BY count(*) DESC LIMIT 1"
        )).scalar_one()
        rows = conn.execute(text(
            # The reference's year is the Ontario year the application was opened in.
            "SELECT id, CAST(extract(year FROM created_at AT TIME ZONE 'America/Toronto') AS int) "
            "FROM applications WHERE regulator = :slug ORDER BY random() LIMIT :n"),
            {"slug": slug, "n": sample}).all()
        total: int = conn.execute(text("SELECT count(*) FROM applications")).scalar_one()
    engine.dispose()
    print(f"{total} applications in the database; reading {len(rows)} of {slug}'s")
    return slug, [f"FT-{year}-{app_id:06d}" for app_id, year in rows]


def rss_mb(pid: int) -> list[float]:
    """Resident memory of the server and its worker processes, in MB."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            status = (proc / "status").read_text()
        except OSError:
            continue
        parent = re.search(r"^PPid:\s+(\d+)", status, re.M)
        if int(proc.name) == pid or (parent and int(parent.group(1)) == pid):
            rss = re.search(r"^VmRSS:\s+(\d+) kB", status, re.M)
            if rss:
                found.append(int(rss.group(1)) / 1024)
    return found


def wrk(url: str, connections: int, seconds: int, token: str, script: str | None) -> tuple[
    float, float
]:
    """(requests/s, p99 ms) of one wrk run; non-2xx answers fail the run."""
    command = [shutil.which("wrk") or "wrk", "-t2", f"-c{connections}", f"-d{seconds}s",
               "--latency", "-H", f"Authorization: Bearer {token}"]
    if script:
        command += ["-s", script]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout  # noqa: S603
    if "Non-2xx" in out:
        raise SystemExit(f"wrk saw error answers:\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    value, unit = re.search(r"99%\s+([\d.]+)(us|ms|s)", out).groups()  # type: ignore[union-attr]
    return rate, float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def spread(values: list[float], digits: int = 0) -> str:
    return (f"{statistics.median(values):.{digits}f} "
            f"({min(values):.{digits}f}-{max(values):.{digits}f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=8711)
    parser.add_argument("--sample", type=int, default=2000)
    args = parser.parse_args()
    slug, references = busiest_regulator(args.database_url, args.sample)
    base = f"http://127.0.0.1:{args.port}"
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": args.database_url,
           "FAIRTRACK_SECRET_KEY": "bench-reads-" + "x" * 40, "FAIRTRACK_LOG_LEVEL": "warning",
           # 32 connections over N workers: enough pooled connections that none waits.
           "FAIRTRACK_DB_POOL_SIZE": str(max(10, args.connections // args.workers + 2))}
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/fairtrack"), "serve", "--port", str(args.port), "--workers",
         str(args.workers)], env=env, cwd=ROOT)
    try:
        for _ in range(360):  # a busy machine starts workers slowly
            try:
                if httpx.get(f"{base}/api/v1/health").status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        else:
            raise SystemExit("the server did not start")
        login = httpx.post(f"{base}/api/v1/auth/token", data={
            "username": f"regulator.{slug}@{DEMO_DOMAIN}", "password": DEMO_PASSWORD})
        login.raise_for_status()
        token = login.json()["access_token"]
        with tempfile.TemporaryDirectory() as folder:
            paths = Path(folder) / "paths.txt"
            paths.write_text("".join(f"/api/v1/applications/{r}\n" for r in references))
            script = Path(folder) / "reads.lua"
            script.write_text(SCRIPT % paths)
            check = httpx.get(f"{base}/api/v1/applications/{references[0]}",
                              headers={"Authorization": f"Bearer {token}"})
            check.raise_for_status()
            assert check.json()["expectation"] is None or "stage" in check.json()["expectation"]
            wrk(f"{base}/api/v1/health", args.connections, 2, token, None)  # warm-up
            wrk(base, args.connections, 2, token, str(script))
            health: list[tuple[float, float]] = []
            reads: list[tuple[float, float]] = []
            memory: list[float] = []
            processes = 0
            for _ in range(args.rounds):
                health.append(wrk(f"{base}/api/v1/health", args.connections, args.seconds, token,
                                  None))
                reads.append(wrk(base, args.connections, args.seconds, token, str(script)))
                seen = rss_mb(server.pid)
                memory += seen
                processes = max(processes, len(seen))
    finally:
        server.terminate()
        server.wait(timeout=30)
    ratios = [r[0] / h[0] for r, h in zip(reads, health, strict=True)]
    print(f"{args.rounds} interleaved rounds of {args.seconds} s, {args.connections} connections, "
          f"{args.workers} workers; median (lowest-highest)")
    print(f"{'':<24}{'requests/s':>20}{'p99 ms':>22}")
    print(f"{'GET /health':<24}{spread([h[0] for h in health]):>20}"
          f"{spread([h[1] for h in health], 1):>22}")
    print(f"{'GET one application':<24}{spread([r[0] for r in reads]):>20}"
          f"{spread([r[1] for r in reads], 1):>22}")
    print(f"application / health: {spread(ratios, 2)}")
    print(f"server RSS per process, highest seen: {max(memory):.0f} MB ({processes} processes: "
          "the supervisor and its workers)")


if __name__ == "__main__":
    sys.path[0] = str(ROOT)
    main()
