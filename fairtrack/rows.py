"""Writing a few model rows with SQLAlchemy Core, in the caller's transaction, without the ORM's
unit of work: the write path's rows (an event, its intervals, its visit, its deadlines).

Each statement is built once per table (and, for an UPDATE, per set of columns) and compiled once
per engine (SQLAlchemy's statement cache): a row costs one execute, not a flush. A new row stays out
of the session (it gets its id); a changed row loaded by the session is left clean (what it holds is
what was written), so no later flush writes it again.
"""

from typing import Any

from sqlalchemy import Insert, Table, Update, bindparam, insert, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

_INSERTS: dict[Table, Insert] = {}
_UPDATES: dict[tuple[Table, frozenset[str]], Update] = {}
_KEY = "_row_id"


def _table(row: Any) -> Table:
    return row.__table__  # type: ignore[no-any-return]


def insert_row(session: Session, row: Any) -> None:
    """INSERT a new row (a model instance not in the session); its id is set from the database."""
    table = _table(row)
    statement = _INSERTS.get(table)
    if statement is None:
        statement = _INSERTS[table] = insert(table)
    values = {column.key: getattr(row, column.key) for column in table.columns
              if not (column.primary_key and getattr(row, column.key) is None)}
    result = session.connection().execute(statement, values)
    (row.id,) = result.inserted_primary_key  # type: ignore[misc]


def update_row(session: Session, row: Any) -> bool:
    """UPDATE, by primary key, the columns changed on a row the session loaded; leave it clean.
    Returns whether anything was written."""
    state = inspect(row)
    changed = {key: getattr(row, key) for key, old in state.committed_state.items()
               if old is NO_VALUE or old != getattr(row, key)}
    if changed:
        table = _table(row)
        columns = frozenset(changed)
        statement = _UPDATES.get((table, columns))
        if statement is None:
            statement = _UPDATES[(table, columns)] = (
                update(table).where(table.c.id == bindparam(_KEY))
                .values({key: bindparam(f"v_{key}", type_=table.c[key].type)
                         for key in sorted(columns)})
            )
        params = {f"v_{key}": value for key, value in changed.items()}
        session.connection().execute(statement, {**params, _KEY: row.id})
    # What it holds is now what the database holds: no flush writes it again.
    state._commit_all(state.dict, session.identity_map)  # noqa: SLF001 - the one clean-up
    return bool(changed)


_GUARDED: dict[tuple[Table, frozenset[str], frozenset[str]], Update] = {}


def update_where(session: Session, table: Table, values: dict[str, Any],
                 where: dict[str, Any]) -> int:
    """UPDATE `table` SET `values` WHERE every column in `where` equals its value (a primary key
    and a version guard); returns the rows matched."""
    key = (table, frozenset(values), frozenset(where))
    statement = _GUARDED.get(key)
    if statement is None:
        statement = _GUARDED[key] = (
            update(table)
            .where(*[table.c[name] == bindparam(f"w_{name}") for name in sorted(where)])
            .values({name: bindparam(f"v_{name}", type_=table.c[name].type)
                     for name in sorted(values)})
        )
    params = {**{f"v_{k}": v for k, v in values.items()}, **{f"w_{k}": v for k, v in where.items()}}
    result = session.connection().execute(statement, params)
    return result.rowcount
