"""A database the code is ahead of says so: readiness answers 503 "migrations pending", every command
that needs the schema says to run `fairtrack db upgrade` in one line, and `fairtrack db downgrade`
steps back with the data kept."""

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import Engine
from typer.testing import CliRunner

from api.app import create_app
from cli.demo import generate
from cli.main import app as cli
from fairtrack.database import make_engine, make_sessionmaker, transaction
from fairtrack.migrate import upgrade
from fairtrack.settings import Settings, get_settings
from regulators.registry import get_registry
from tests.support.road import password_hash

runner = CliRunner()
SECRET = "unmigrated-secret-key-0123456789-abcdef"


@pytest.fixture
def fresh_engine(fresh_database_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def cli_on(fresh_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The `fairtrack` command pointed at a new, empty database."""
    monkeypatch.setenv("FAIRTRACK_DATABASE_URL", fresh_database_url)
    get_settings.cache_clear()
    yield fresh_database_url
    get_settings.cache_clear()


def _health(url: str) -> tuple[int, dict[str, str]]:
    app = create_app(Settings(database_url=url, secret_key=SecretStr(SECRET)))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            response = client.get("/api/v1/health")
            return response.status_code, response.json()
    finally:
        app.state.engine.dispose()


@pytest.mark.parametrize("revision", [None, "0005_visits"], ids=["empty", "behind"])
def test_readiness_says_migrations_are_pending_until_the_upgrade(
    fresh_database_url: str, fresh_engine: Engine, revision: str | None
) -> None:
    if revision:
        upgrade(fresh_engine, revision)
    status, body = _health(fresh_database_url)
    assert status == 503, body
    assert body["status"] == "migrations pending" and "fairtrack db upgrade" in body["message"]
    upgrade(fresh_engine)
    assert _health(fresh_database_url) == (200, {"status": "ok", "database": "ok"})


COMMANDS = [
    ["verify"], ["scan"], ["demo", "--applications", "1"], ["keys", "list"],
    ["regulators", "sync"], ["users", "add", "amara@example.org", "--role", "applicant"],
    ["users", "revoke-sessions", "amara@example.org"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_on_an_unmigrated_database_says_to_upgrade_in_one_line(
    cli_on: str, command: list[str]
) -> None:
    result = runner.invoke(cli, command, input="a long enough passphrase\n")
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert "run `fairtrack db upgrade`" in lines[0] and "Traceback" not in result.output


def test_db_downgrade_steps_back_with_data_and_the_upgrade_brings_it_back_verified(
    cli_on: str, fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("cli.demo.hash_password", lambda _password: password_hash())
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    with transaction(make_sessionmaker(fresh_engine)) as session:
        generate(session, get_registry(), 20, seed=11)
    down = runner.invoke(cli, ["db", "downgrade", "-1"])
    assert down.exit_code == 0, down.output
    assert "run `fairtrack db upgrade`" in runner.invoke(cli, ["verify"]).output
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    verified = runner.invoke(cli, ["verify"])
    assert verified.exit_code == 0 and "20 applications verified" in verified.output, verified.output


def test_db_downgrade_needs_a_revision_and_refuses_an_unknown_one(cli_on: str) -> None:
    assert runner.invoke(cli, ["db", "upgrade"]).exit_code == 0
    assert runner.invoke(cli, ["db", "downgrade"]).exit_code == 2
    unknown = runner.invoke(cli, ["db", "downgrade", "no_such_revision"])
    assert unknown.exit_code == 2 and "no_such_revision" in unknown.output
    assert "Traceback" not in unknown.output


def test_any_request_that_reads_an_unmigrated_database_is_a_503_that_says_so(
    fresh_database_url: str,
) -> None:
    """A missing table is migrations pending (503 with Retry-After), on SQLite ('no such table') as
    on PostgreSQL (UndefinedTable), for the API and the pages alike: never a 500."""
    app = create_app(Settings(database_url=fresh_database_url, secret_key=SecretStr(SECRET)))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            api = client.get("/api/v1/regulators/cno/rules")
            form = client.get("/login")  # needs no table: the form and its CSRF token
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
            assert form.status_code == 200 and token
            page = client.post("/login", data={"csrf_token": token.group(1),
                                               "email": "amara@example.org", "password": "x" * 12},
                               follow_redirects=False)
    finally:
        app.state.engine.dispose()
    assert api.status_code == 503 and api.headers["Retry-After"], api.text
    assert api.json()["error"] == "migrations_pending"
    assert "fairtrack db upgrade" in api.json()["message"]
    assert page.status_code == 503 and page.headers["Retry-After"], page.text
    assert "<h1" in page.text
