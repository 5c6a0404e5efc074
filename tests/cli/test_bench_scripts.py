"""The benchmarks still run: each script on a tiny workload, checking what it prints, never its speed."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import POSTGRES_URL

ROOT = Path(__file__).resolve().parents[2]


def run_script(*args: str) -> str:
    done = subprocess.run(  # noqa: S603 - our own scripts, fixed arguments
        [sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_transitions_benchmark_reports_domain_against_raw_sql(backend: str) -> None:
    out = run_script(
        "bench/transitions.py", "--transitions", "30", "--rounds", "2", "--backends", backend,
        "--postgres-url", POSTGRES_URL,
    )
    header, row = out.strip().splitlines()[-2:]
    assert "domain / raw" in header and "statements/event" in header
    # backend, then raw/s, domain/s and their ratio, each "median (lowest-highest)", then the
    # statements per transition of each
    match = re.fullmatch(r"(\w+)\s+" + r"\s+".join([r"([\d.]+) \(([\d.]+)-([\d.]+)\)"] * 3)
                         + r"\s+([\d.]+) / ([\d.]+)", row.strip())
    assert match is not None, row
    assert match.group(1) == backend
    raw, domain, ratio = (float(match.group(i)) for i in (2, 5, 8))
    assert raw > 0 and domain > 0 and ratio > 0
    assert float(match.group(12)) > 0


def test_oversight_benchmark_reports_every_figure_against_a_count(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("the oversight benchmark measures PostgreSQL at scale; SQLite has no such target")
    out = run_script("bench/oversight.py", "--applications", "60", "--repeat", "1",
                     "--postgres-url", POSTGRES_URL)
    assert "timeliness" in out.lower() and "outcomes" in out.lower()


def test_load_benchmark_reports_answers_and_a_clean_log(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("the load benchmark runs writers against PostgreSQL's row locks")
    out = run_script("bench/load.py", "--writers", "6", "--applications", "2", "--rounds", "1",
                     "--postgres-url", POSTGRES_URL)
    assert "5xx other than 503: 0" in out and "verify: clean" in out, out
