"""The command line's database session: one engine per command, from settings, disposed at the end;
a database whose schema is not this code's is refused in one line ("run `fairtrack db upgrade`")."""

from collections.abc import Iterator
from contextlib import contextmanager

import typer
from sqlalchemy.orm import Session

from fairtrack.database import make_engine, make_sessionmaker
from fairtrack.migrate import schema_state
from fairtrack.settings import get_settings


@contextmanager
def open_session() -> Iterator[Session]:
    engine = make_engine(get_settings().database_url)
    try:
        with engine.connect() as connection:
            state = schema_state(connection)
        if not state.is_current:
            typer.echo(f"error: {state.advice()}", err=True)
            raise typer.Exit(2)
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()
