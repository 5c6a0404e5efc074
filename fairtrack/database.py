"""Database engines and sessions for SQLite (the zero-set-up default) and PostgreSQL (production),
and the one way to write: a unit of work on a session.

A session reads in a plain transaction. `unit_of_work` ends any read transaction first (its
connection goes back to the pool), then begins a write transaction: BEGIN IMMEDIATE on SQLite, so
that a second writer waits for the first instead of failing to upgrade its lock. A request thus
holds at most one pooled connection at a time.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from fairtrack.settings import Settings

# The execution option a write transaction's connection carries (read by the SQLite BEGIN hook).
WRITE = "fairtrack_write"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(
    url: str, *, lock_timeout_ms: int = 30_000, statement_timeout_ms: int = 0,
    pool_pre_ping: bool = True, **kwargs: Any
) -> Engine:
    """An engine; the defaults suit the command line (long waits allowed, no statement limit, a
    connection tested before each use)."""
    if is_sqlite(url):
        connect_args = {"check_same_thread": False, "timeout": lock_timeout_ms / 1000}
        engine = create_engine(url, connect_args=connect_args, **kwargs)
        _configure_sqlite(engine, lock_timeout_ms)
        return engine
    kwargs.setdefault("pool_size", 10)
    kwargs.setdefault("max_overflow", 20)
    # Bounded waits: a lock not granted in time, or a statement running too long, is an error the
    # API answers with 503, instead of a request hanging on.
    options = f"-c lock_timeout={lock_timeout_ms} -c statement_timeout={statement_timeout_ms}"
    return create_engine(url, pool_pre_ping=pool_pre_ping, connect_args={"options": options},
                         **kwargs)


def server_engine(settings: Settings) -> Engine:
    """The web server's engine: pool and time limits from settings (documented there)."""
    pool: dict[str, Any] = {
        "pool_size": settings.db_pool_size,
        "max_overflow": settings.db_max_overflow,
        "pool_timeout": settings.db_pool_timeout_seconds,
        "pool_recycle": settings.db_pool_recycle_seconds,
    }
    if make_url(settings.database_url).database in (None, "", ":memory:"):
        pool = {}  # an in-memory SQLite database lives in one connection: no pool to size
    return make_engine(
        settings.database_url,
        lock_timeout_ms=settings.db_lock_timeout_ms,
        statement_timeout_ms=settings.db_statement_timeout_ms,
        pool_pre_ping=settings.db_pool_pre_ping,
        **pool,
    )


def _configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, and BEGIN IMMEDIATE for write transactions.

    pysqlite's default deferred BEGIN lets two writers both read, then fail to upgrade their lock
    ("database is locked") instead of waiting; BEGIN IMMEDIATE makes the second writer wait its turn,
    which is what the version check on applications expects. Reads begin deferred: they never wait.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        write = connection.get_execution_options().get(WRITE, False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def unit_of_work(session: Session) -> Iterator[Session]:
    """One write transaction on `session`: commit on success, roll back on any error.

    A read transaction still open on the session (the caller's account, read to authorize) ends
    first; nothing was written in it. The unit starts from an empty identity map, as a new session
    would: rows read before it are read again, under its locks, never taken from a stale copy.
    Inside another unit of work on the same session it joins that one, which commits.
    """
    if session.info.get(WRITE):
        yield session
        return
    if session.in_transaction():
        session.commit()
    session.expunge_all()
    with session.begin():
        session.connection(execution_options={"fairtrack_write": True})  # WRITE
        session.info[WRITE] = True
        try:
            yield session
        finally:
            session.info[WRITE] = False


def release(session: Session) -> None:
    """End a read transaction, so that its connection goes back to the pool: a request that has
    read its caller then waits for a thread to run its route, and must hold no connection while it
    waits (100 requests holding 40 connections while waiting for 40 threads, whose own requests
    wait for a connection, wedge the server until the pool timeout). The rows read stay usable
    (sessions do not expire them on commit)."""
    if session.in_transaction() and not session.info.get(WRITE):
        session.commit()


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A new session and one unit of work on it (the command line, the scan, tests)."""
    with factory() as session, unit_of_work(session):
        yield session


@contextmanager
def scratch_postgres_database(server_url: str, prefix: str) -> Iterator[str]:
    """A new, empty database on the PostgreSQL server at `server_url`, dropped afterwards.

    For tests and benchmarks: each run gets its own database, so runs never see each other's rows.
    """
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield make_url(server_url).set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
