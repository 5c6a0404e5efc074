"""The documents' benchmark still runs, on the smallest workload; what it prints, never its speed."""

from tests.cli.test_bench_scripts import run_script


def test_letter_benchmark_renders_both_languages() -> None:
    out = run_script("bench/letters.py", "--rounds", "1")
    assert "letter (en): median" in out and "letter (fr): median" in out


def test_letter_lock_benchmark_records_decisions_on_sqlite() -> None:
    out = run_script("bench/letters.py", "--database", "sqlite", "--rounds", "1",
                     "--applications", "1")
    assert "baseline lock" in out and "decision lock" in out
    assert "write lock held, decision / step without a letter:" in out
