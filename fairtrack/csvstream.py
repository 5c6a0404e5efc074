"""CSV written as it is read: one line at a time, so an export of any size keeps memory flat.

Cells that a spreadsheet would run as a formula (starting with =, +, -, @, tab or carriage return)
get a leading apostrophe (OWASP "CSV injection"); numbers are written as they are.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

# Lines are handed on in chunks of about this many characters.
CHUNK = 64 * 1024
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_lines(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """The header, then every row, as text in chunks of whole lines ending in CRLF (RFC 4180)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_safe(value) for value in row])
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell() > 0:
        yield buffer.getvalue()
