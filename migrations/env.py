"""Alembic environment: the URL comes from settings (or the caller's connection), never alembic.ini."""

from alembic import context
from sqlalchemy import Connection

from fairtrack.database import is_sqlite, make_engine
from fairtrack.settings import get_settings
from migrations.tables import metadata


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        compare_type=True,
        render_as_batch=is_sqlite(str(connection.engine.url)),
    )


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = make_engine(get_settings().database_url)
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `fairtrack db upgrade`")
run_migrations_online()
