"""The documents' benchmark still runs, on the smallest workload; what it prints, never its speed."""

from tests.cli.test_bench_scripts import run_script


def test_letter_benchmark_renders_both_languages() -> None:
    out = run_script("bench/letters.py", "--rounds", "1")
    assert "letter (en): median" in out and "letter (fr): median" in out
