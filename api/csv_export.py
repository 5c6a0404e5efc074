"""A CSV download streamed as it is written (fairtrack.csvstream): constant memory at any size."""

from collections.abc import Iterable, Sequence
from typing import Any

from fastapi.responses import StreamingResponse

from fairtrack.csvstream import csv_lines


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> StreamingResponse:
    """`rows` is read lazily, while the answer is sent; `filename` is ours (never the caller's)."""
    return StreamingResponse(
        csv_lines(header, rows), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"',
                 "Cache-Control": "no-store"},
    )
