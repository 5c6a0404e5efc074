"""Many rows at once, in the caller's transaction: COPY on PostgreSQL (psycopg's `cursor.copy`),
batched executemany elsewhere. For bulk loads (the demo generator), which compute every row first
with the same functions as the write path; never for a user's action.

Rows are dicts keyed by column name; a column a row leaves out takes its model's scalar default;
JSON documents (dicts, lists) are sent as JSON text.
"""

import json
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, insert, text
from sqlalchemy.orm import Session

BATCH = 2000


def _defaults(table: Table) -> dict[str, Any]:
    return {c.name: c.default.arg for c in table.columns  # type: ignore[attr-defined]
            if c.default is not None and c.default.is_scalar}


def write_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` (all with the same keys) into `table`."""
    if not rows:
        return
    defaults = {k: v for k, v in _defaults(table).items() if k not in rows[0]}
    names = [*rows[0], *defaults]
    if session.get_bind().dialect.name != "postgresql":
        connection = session.connection()
        statement = insert(table).execution_options(render_nulls=True)
        for start in range(0, len(rows), BATCH):
            connection.execute(statement, [{**defaults, **row}
                                           for row in rows[start : start + BATCH]])
        return
    raw = session.connection().connection.dbapi_connection
    assert raw is not None  # noqa: S101 - a live transaction has its connection
    columns = ", ".join(f'"{name}"' for name in names)
    with raw.cursor() as cursor, cursor.copy(  # type: ignore[attr-defined]
        f"COPY {table.name} ({columns}) FROM STDIN"
    ) as copy:
        keys, tail = list(rows[0]), tuple(defaults.values())
        for row in rows:
            copy.write_row(tuple(_plain(row[k]) for k in keys) + tail)


def _plain(value: Any) -> Any:
    return json.dumps(value) if isinstance(value, dict | list) else value


def next_ids(session: Session, table: Table, count: int) -> list[int]:
    """`count` fresh ids for rows of `table` about to be written with their ids: from the table's
    sequence on PostgreSQL; on SQLite (whose write transaction excludes every other writer) the
    ones after the largest."""
    if count <= 0:
        return []
    if session.get_bind().dialect.name == "postgresql":
        return list(session.scalars(
            text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                 "FROM generate_series(1, :n)"), {"table": table.name, "n": count}
        ))
    top = session.scalar(text(f"SELECT COALESCE(MAX(id), 0) FROM {table.name}")) or 0  # noqa: S608
    return list(range(top + 1, top + 1 + count))


def chunks(items: Iterable[Any], size: int = BATCH) -> Iterable[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
