"""CSV streamed in chunks of whole lines, with formula cells defused."""

import csv
import io

from fairtrack.csvstream import CHUNK, csv_lines


def test_lines_read_back_as_the_rows_with_formulas_defused() -> None:
    rows = [("CNO-1", 3, None), ("=HYPERLINK(\"x\")", -2, "@me"), ("a,b", 1.5, 'say "hi"')]
    text = "".join(csv_lines(["reference", "days", "note"], rows))
    assert list(csv.reader(io.StringIO(text))) == [
        ["reference", "days", "note"], ["CNO-1", "3", ""],
        ["'=HYPERLINK(\"x\")", "-2", "'@me"], ["a,b", "1.5", 'say "hi"'],
    ]
    assert text.endswith("\r\n")


def test_a_large_export_comes_in_bounded_chunks_of_whole_lines() -> None:
    chunks = list(csv_lines(["n"], ((i,) for i in range(100_000))))
    assert len(chunks) > 5
    assert all(len(chunk) < CHUNK + 100 and chunk.endswith("\r\n") for chunk in chunks)
    assert sum(chunk.count("\r\n") for chunk in chunks) == 100_001


def test_an_empty_export_is_its_header() -> None:
    assert list(csv_lines(["a", "b"], [])) == ["a,b\r\n"]
