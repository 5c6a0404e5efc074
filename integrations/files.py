"""The import file formats (docs/integrations.md): CSV with a header line, or JSON Lines; one event
per row, with the fields of an event request (workflow.schemas.EventRequest) plus `reference`, and
optionally `key` (the row's idempotency key) and `expected_version`.

Parsing only: each row comes out as its line number and its fields, or the reason it cannot be read.
"""

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from workflow.schemas import EventRequest

# In a CSV cell, lists (requirements, documents) are separated by this.
LIST_SEPARATOR = ";"
LIST_FIELDS = frozenset({"requirements", "documents"})
BOOL_FIELDS = frozenset({"consent_to_conditions", "alternatives_accepted"})
TRUE, FALSE = frozenset({"true", "yes", "1"}), frozenset({"false", "no", "0"})
ROW_ONLY = frozenset({"reference", "key"})
KNOWN_FIELDS = frozenset(EventRequest.model_fields) | ROW_ONLY
MAX_KEY = 255


class FileFormat(StrEnum):
    csv = "csv"
    jsonl = "jsonl"


@dataclass(frozen=True)
class ImportRow:
    line: int
    fields: dict[str, Any]
    problem: str | None = None  # why the row cannot be read; None when it can

    @property
    def reference(self) -> str:
        return str(self.fields.get("reference") or "")

    def event_fields(self) -> dict[str, Any]:
        return {k: v for k, v in self.fields.items() if k not in ROW_ONLY}


def format_of(filename: str) -> FileFormat | None:
    lower = filename.lower()
    if lower.endswith(".csv"):
        return FileFormat.csv
    if lower.endswith((".jsonl", ".ndjson")):
        return FileFormat.jsonl
    return None


def row_key(organization: str, row: ImportRow) -> str:
    """The row's idempotency key: the one it gives, else a hash of the importing organization and
    the row's content (the same row in CSV or JSON Lines, in any column order, is the same row)."""
    given = row.fields.get("key")
    if isinstance(given, str) and given:
        return f"key:{given}"
    canonical = json.dumps(row.fields, sort_keys=True, separators=(",", ":"), default=str)
    return "sha256:" + hashlib.sha256(f"{organization}\n{canonical}".encode()).hexdigest()


def _unknown(fields: Iterable[str]) -> str | None:
    unknown = sorted(set(fields) - KNOWN_FIELDS)
    if unknown:
        return f"unknown fields {unknown}; known: {sorted(KNOWN_FIELDS)}"
    return None


def _checked(line: int, fields: dict[str, Any]) -> ImportRow:
    problem = _unknown(fields)
    if problem is None and not isinstance(fields.get("reference"), str):
        problem = "reference is missing"
    key = fields.get("key")
    if problem is None and key is not None and not (isinstance(key, str) and 0 < len(key) <= MAX_KEY):
        problem = f"key must be text of 1 to {MAX_KEY} characters"
    return ImportRow(line, fields, problem)


def _cell(name: str, value: str) -> Any:
    value = value.strip()
    if name in LIST_FIELDS:
        return [part.strip() for part in value.split(LIST_SEPARATOR) if part.strip()]
    if name in BOOL_FIELDS:
        if value.lower() in TRUE:
            return True
        if value.lower() in FALSE:
            return False
        return value  # the request's validation names it
    return value


def read_csv(lines: Iterable[str]) -> Iterator[ImportRow]:
    """CSV with a header line; an empty cell says nothing."""
    reader = csv.reader(iter(lines))
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        return
    except csv.Error as exc:
        yield ImportRow(1, {}, f"the header line cannot be read: {exc}")
        return
    problem = _unknown(header) or (None if "reference" in header else "the header has no reference column")
    if problem is None and len(set(header)) != len(header):
        problem = "the header names a column twice"
    if problem is not None:
        yield ImportRow(1, {}, f"header: {problem}")
        return
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield ImportRow(reader.line_num, {}, f"the line cannot be read as CSV: {exc}")
            continue
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            yield ImportRow(reader.line_num, {},
                            f"{len(cells)} cells where the header has {len(header)}")
            continue
        fields = {name: _cell(name, cell) for name, cell in zip(header, cells, strict=True)
                  if cell.strip()}
        yield _checked(reader.line_num, fields)


def read_jsonl(lines: Iterable[str]) -> Iterator[ImportRow]:
    """One JSON object per line; blank lines are skipped."""
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        try:
            fields = json.loads(text)
        except ValueError as exc:
            yield ImportRow(number, {}, f"not JSON: {exc}")
            continue
        if not isinstance(fields, dict):
            yield ImportRow(number, {}, "each line must be a JSON object")
            continue
        yield _checked(number, {k: v for k, v in fields.items() if v is not None})


def read_rows(file_format: FileFormat, lines: Iterable[str]) -> Iterator[ImportRow]:
    return read_csv(lines) if file_format is FileFormat.csv else read_jsonl(lines)
