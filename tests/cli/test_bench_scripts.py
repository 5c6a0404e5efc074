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


def test_imports_benchmark_reports_import_against_the_domain_path(backend: str) -> None:
    out = run_script("bench/imports.py", "--rows", "6", "--rounds", "1", "--backends", backend,
                     "--postgres-url", POSTGRES_URL)
    header, row = out.strip().splitlines()[-2:]
    assert "import / domain" in header
    name, domain, _, imported, _, ratio, _ = row.split()
    assert name == backend and float(domain) > 0 and float(imported) > 0 and float(ratio) > 0
def test_bulk_benchmark_reports_the_load_against_raw_copy(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("the bulk benchmark compares COPY on PostgreSQL")
    out = run_script("bench/bulk.py", "--applications", "15", "--rounds", "1",
                     "--postgres-url", POSTGRES_URL)
    assert "ratio COPY / demo" in out and "peak RSS" in out and "walks" in out, out


def test_oversight_duckdb_benchmark_gets_the_same_answer(backend: str, tmp_path: Path) -> None:
    if backend != "postgresql":
        pytest.skip("the oversight benchmark measures PostgreSQL against DuckDB")
    from cli.demo import generate
    from fairtrack.database import make_engine, make_sessionmaker, scratch_postgres_database
    from fairtrack.migrate import upgrade
    from regulators.registry import get_registry

    with scratch_postgres_database(POSTGRES_URL, "ft11_duck") as url:
        engine = make_engine(url)
        upgrade(engine)
        with make_sessionmaker(engine)() as session:
            generate(session, get_registry(), 30)
        engine.dispose()
        out = run_script("bench/oversight_duckdb.py", "--url", url, "--grow-to", "50",
                         "--rounds", "1", "--parquet", str(tmp_path))
    assert "same answer from both" in out and "outcomes by stage" in out, out
    # After --grow-to the outcome rollup is rebuilt, and every dimension agrees with DuckDB's.
    assert "outcome rollup rebuilt" in out, out
    for by in ("stage", "immigration_status", "country_of_education", "started_before_arrival"):
        assert f"same answer from both: outcomes by {by}" in out, out


def test_import_file_benchmark_checks_a_whole_file_and_its_second_import(backend: str) -> None:
    """bench/import_file.py (issue 15's 100,000-row run) on a file of 40 rows: every valid row
    applied once, every invalid row refused on its line, the second import changing nothing."""
    if backend != "postgresql":
        pytest.skip("the whole-file run is measured on PostgreSQL")
    out = run_script("bench/import_file.py", "--rows", "40", "--invalid-every", "3",
                     "--baseline-apps", "2", "--database", "ft15_import_test", "--every", "5")
    assert "import 1: finished" in out and "checks: all passed" in out, out
    assert re.search(r"file: 40 rows \(\d+ valid, [1-9]\d* invalid", out), out
