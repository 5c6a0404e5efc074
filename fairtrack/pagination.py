"""Keyset pagination, written once: every list answers a page of items and the cursor of the next.

A list fetches `limit + 1` rows after the cursor, in key order; the extra row only says that there is
a next page, whose cursor is the key of the last item shown. Cursors are opaque strings to callers.
"""

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from fairtrack.errors import InvalidRequest

MAX_PAGE = 100
# Row ids are INTEGER columns: a larger cursor names no row, and PostgreSQL refuses the bind.
MAX_ID = 2**31 - 1

Item = TypeVar("Item")
Row = TypeVar("Row")


class Page(BaseModel, Generic[Item]):
    items: list[Item]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null at the end.")


def id_cursor(cursor: str | None) -> int | None:
    """The row id a cursor carries (None: the first page); a cursor no page gave is refused."""
    if cursor is None:
        return None
    # isdigit() alone also admits digits int() refuses, such as '²'
    if not (cursor.isascii() and cursor.isdigit()) or int(cursor) > MAX_ID:
        raise InvalidRequest("cursor must be a value returned as next_cursor", field="cursor")
    return int(cursor)


def cut(rows: Sequence[Row], limit: int, key: Callable[[Row], Any]) -> tuple[list[Row], str | None]:
    """The page in `rows` (fetched with limit + 1, in key order) and the next page's cursor."""
    if len(rows) > limit:
        page = list(rows[:limit])
        return page, str(key(page[-1]))
    return list(rows), None


def after(keys: Sequence[str], limit: int, cursor: str | None) -> tuple[list[str], str | None]:
    """The same over keys held in memory (the registry's slugs): those after `cursor`, in order."""
    return cut([k for k in sorted(keys) if cursor is None or k > cursor][: limit + 1], limit, str)


def keys_cursor(keys: Sequence[int]) -> str:
    """A cursor carrying a composite key (whole numbers, e.g. a flag, a time in microseconds, an id)
    for lists ordered by more than their id."""
    return ".".join(str(k) for k in keys)


def cursor_keys(cursor: str | None, size: int) -> tuple[int, ...] | None:
    """The composite key a cursor from keys_cursor carries (None: the first page); a cursor no page
    gave is refused."""
    if cursor is None:
        return None
    parts = cursor.split(".")
    if len(parts) != size or not all(p.isascii() and p.isdigit() and len(p) <= 19 for p in parts):
        raise InvalidRequest("cursor must be a value returned as next_cursor", field="cursor")
    return tuple(int(p) for p in parts)
