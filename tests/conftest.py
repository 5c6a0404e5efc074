"""Fixtures: every database test runs on SQLite and on PostgreSQL, each migrated by Alembic.

PostgreSQL comes from FAIRTRACK_TEST_POSTGRES_URL (default: the local `test` database). When it is
unreachable its cases are skipped, visibly, unless FAIRTRACK_REQUIRE_POSTGRES=1 (CI), which fails them.
"""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine, create_engine, make_url, text
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from fairtrack.database import make_engine, make_sessionmaker, scratch_postgres_database
from fairtrack.migrate import upgrade
from fairtrack.settings import Settings, get_settings
from migrations.tables import metadata
from regulators.registry import Registry, get_registry
from regulators.service import forget_rules
from tests.support.road import Road

POSTGRES_URL = os.environ.get(
    "FAIRTRACK_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("FAIRTRACK_REQUIRE_POSTGRES") == "1"
TEST_SECRET = "test-secret-key-not-for-production-0123456789"


def _postgres_database() -> Iterator[str]:
    """A throw-away database on the PostgreSQL server, dropped at the end of the run."""
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any failure to connect means "no PostgreSQL here"
        admin.dispose()
        message = f"PostgreSQL unreachable at {make_url(POSTGRES_URL).render_as_string()}: {exc}"
        if REQUIRE_POSTGRES:
            pytest.fail(message)
        pytest.skip(message)
    admin.dispose()
    with scratch_postgres_database(POSTGRES_URL, "fairtrack_test") as url:
        yield url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("db") / "fairtrack.db"
        yield f"sqlite:///{path}"
    else:
        yield from _postgres_database()


@pytest.fixture
def fresh_database_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A new, empty database on the same backend as `database_url`, for one test."""
    if database_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    upgrade(engine)
    yield engine
    engine.dispose()


def _empty_tables(engine: Engine) -> None:
    """Delete every row, children first, and start ids again from 1.

    DELETE rather than TRUNCATE on PostgreSQL: a test leaves a handful of rows, and TRUNCATE's new
    files and fsyncs cost ~0.2 s per test, DELETE ~2 ms.
    """
    tables = list(reversed(metadata.sorted_tables))
    with engine.begin() as conn:
        for table in tables:
            conn.execute(table.delete())
        if engine.dialect.name == "postgresql":
            conn.execute(text(
                "SELECT setval(c.oid, 1, false) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            ))


@pytest.fixture
def sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """Sessions on a migrated, empty database; emptied again after the test."""
    yield make_sessionmaker(engine)
    _empty_tables(engine)
    forget_rules()  # the rules documents read from the rows just deleted


@pytest.fixture(scope="session")
def registry() -> Registry:
    return get_registry()


@pytest.fixture(scope="session")
def settings(database_url: str) -> Settings:
    return Settings(database_url=database_url, secret_key=SecretStr(TEST_SECRET))


@pytest.fixture(scope="session")
def app(settings: Settings, engine: Engine) -> Iterator[FastAPI]:
    application = create_app(settings)
    yield application
    application.state.engine.dispose()


@pytest.fixture
def client(app: FastAPI, sessions: sessionmaker[Session]) -> Iterator[TestClient]:
    # The app lives for the whole run and every test client logs in from one address: start each
    # test with the login and registration rate limits' counters at zero.
    app.state.limiter.reset()
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def road(client: TestClient, sessions: sessionmaker[Session], registry: Registry) -> Road:
    return Road(client, sessions, registry)


@pytest.fixture
def backend(engine: Engine) -> str:
    return engine.dialect.name


@pytest.fixture
def cli_database(
    database_url: str, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """The `fairtrack` command pointed at the test database (settings are cached: cleared around)."""
    monkeypatch.setenv("FAIRTRACK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


# The modules whose tests take longest (a browser walking every page, every regulator's road, the
# generated API cases, benchmark scripts in a subprocess): run first, so that no worker is left
# with one of them at the end while the other has nothing to do (with --dist worksteal, addopts).
SLOWEST_FIRST = (
    "test_portal_walk.py", "test_routes_every_regulator.py", "test_staff_walk.py",
    "test_schemathesis.py", "test_bench_scripts.py", "test_worker_process.py",
    "test_flags_write_path.py", "test_replay_properties.py", "test_outcome_rollups.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    rank = {name: number for number, name in enumerate(SLOWEST_FIRST)}
    items.sort(key=lambda item: rank.get(item.path.name, len(SLOWEST_FIRST)))
