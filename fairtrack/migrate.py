"""Applying Alembic migrations from code (the CLI, tests, start-up), and telling whether a database's
schema is the one this code needs."""

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from fairtrack.errors import ServiceUnavailable

ROOT = Path(__file__).resolve().parent.parent
UPGRADE = "run `fairtrack db upgrade`"


def alembic_config() -> Config:
    config = Config(str(ROOT / "alembic.ini")) if (ROOT / "alembic.ini").exists() else Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


class UnknownRevision(ValueError):
    """A revision the migrations do not have; the message names it."""


def downgrade(engine: Engine, revision: str) -> None:
    """Undo migrations down to `revision` ("-1": one step), keeping the data the older schema holds."""
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        try:
            command.downgrade(config, revision)
        except CommandError as exc:
            raise UnknownRevision(f"cannot downgrade to '{revision}': {exc}") from exc


@lru_cache
def head_revisions() -> tuple[str, ...]:
    """The revisions this code's migrations end at (read from the files once)."""
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


@lru_cache
def known_revisions() -> frozenset[str]:
    return frozenset(r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions())


@dataclass(frozen=True)
class SchemaState:
    current: tuple[str, ...]
    heads: tuple[str, ...]

    @property
    def is_current(self) -> bool:
        return set(self.current) == set(self.heads)

    def advice(self) -> str:
        """One line for people: what is wrong with the schema and what to run."""
        at = ", ".join(self.current) or "no schema"
        unknown = [r for r in self.current if r not in known_revisions()]
        if unknown:
            return (f"the database is at revision {', '.join(unknown)}, which this FairTrack does "
                    f"not know: run the FairTrack that migrated it")
        return (f"the database schema is not up to date (at {at}, this FairTrack needs "
                f"{', '.join(self.heads)}): {UPGRADE}")


def schema_state(connection: Connection) -> SchemaState:
    """Where the database's schema is (one read of alembic_version), against this code's head."""
    current = MigrationContext.configure(connection).get_current_heads()
    return SchemaState(tuple(current), head_revisions())


class MigrationsPending(ServiceUnavailable):
    code = "migrations_pending"


def readiness(session: Session) -> SchemaState:
    """The database answers and its schema is this code's; MigrationsPending (503) otherwise."""
    state = schema_state(session.connection())
    if not state.is_current:
        raise MigrationsPending(state.advice(), status="migrations pending")
    return state


# What each database says when a statement names a table or column the schema does not have yet.
_SCHEMA_MISSING = ("no such table", "no such column", "UndefinedTable", "UndefinedColumn")


def schema_missing(error: DBAPIError) -> bool:
    """The statement failed because migrations are pending, not because the database is busy:
    SQLite's "no such table/column" (an OperationalError) or PostgreSQL's UndefinedTable/Column (a
    ProgrammingError)."""
    cause = error.orig
    return any(mark in f"{type(cause).__name__} {cause}" for mark in _SCHEMA_MISSING)


def pending_advice() -> MigrationsPending:
    return MigrationsPending(
        "the database's schema is older than this code: run `fairtrack db upgrade`",
        status="migrations pending",
    )
