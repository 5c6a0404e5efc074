"""The command line's database session: one engine per command, from settings, disposed at the end."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session

from fairtrack.database import make_engine, make_sessionmaker
from fairtrack.settings import get_settings


@contextmanager
def open_session() -> Iterator[Session]:
    engine = make_engine(get_settings().database_url)
    try:
        with make_sessionmaker(engine)() as session:
            yield session
    finally:
        engine.dispose()
