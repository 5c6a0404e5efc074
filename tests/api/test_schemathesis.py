"""Property-based fuzzing of the API against its own OpenAPI spec, with real credentials per role.

It runs on SQLite and on PostgreSQL: the HTTP contract (no 5xx, every answer as the spec says)
does depend on the database, since PostgreSQL refuses values SQLite stores (a NUL character in text
once gave a 500 there only). Each backend gets its own scratch database.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, Phase, given, settings
from pydantic import SecretStr
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from accounts import keys
from accounts.actor import Actor
from accounts.models import User
from accounts.security import issue_token
from api.app import create_app
from casefile.applications import create_application
from fairtrack.database import transaction
from fairtrack.migrate import upgrade
from fairtrack.settings import Settings
from law.road import Role
from regulators.registry import get_registry
from tests.conftest import _postgres_database as postgres_database
from tests.support.road import password_hash
from workflow.schemas import ApplicationCreate

SECRET = "schemathesis-secret-key-0123456789-abcdef"
EXAMPLES_PER_OPERATION = 12
MINIMUM_CASES = 1000
CHECKS = [
    not_a_server_error, status_code_conformance, content_type_conformance,
    response_schema_conformance, response_headers_conformance, negative_data_rejection,
]
CALLERS: dict[str, tuple[Role, str | None]] = {
    "applicant": (Role.applicant, None),
    "regulator": (Role.regulator, "cno"),
    "assessor": (Role.assessor, "nnas"),
    "tribunal": (Role.tribunal, "hparb"),
    "oversight": (Role.oversight, None),
    "admin": (Role.admin, None),
    "regulator_key": (Role.regulator, "cno"),
}


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def fuzz_database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        path: Path = tmp_path_factory.mktemp("fuzz") / "fuzz.db"
        yield f"sqlite:///{path}"
    else:
        yield from postgres_database()


@pytest.fixture(scope="module")
def fuzzed_app(fuzz_database_url: str) -> Iterator[tuple[FastAPI, dict[str, dict[str, str]]]]:
    config = Settings(database_url=fuzz_database_url, secret_key=SecretStr(SECRET))
    app = create_app(config)
    upgrade(app.state.engine)
    registry = get_registry()
    headers: dict[str, dict[str, str]] = {}
    with transaction(app.state.sessions) as session:
        for name, (role, organization) in CALLERS.items():
            if name == "regulator_key":
                _, key = keys.create_key(session, registry, name="fuzz", role=role,
                                         organization="cno")
                headers[name] = {"X-API-Key": key}
                continue
            user = User(email=f"{name}@fuzz.example", password_hash=password_hash(), role=role.value,
                        organization=organization)
            session.add(user)
            session.flush()
            assert user.id is not None
            headers[name] = {"Authorization": f"Bearer {issue_token(user.id, SECRET, 60)}"}
            if role is Role.applicant:  # something real to find among the random references
                create_application(session, Actor(user.id, role), registry,
                                   ApplicationCreate(regulator="cno", licence_class="rn"))
    yield app, headers
    app.state.engine.dispose()


@pytest.mark.parametrize("caller", list(CALLERS))
def test_the_api_keeps_its_contract_under_generated_input(
    caller: str, fuzzed_app: tuple[FastAPI, dict[str, dict[str, str]]]
) -> None:
    app, headers = fuzzed_app
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    count = 0
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
                  derandomize=True, phases=[Phase.explicit, Phase.generate],
                  suppress_health_check=list(HealthCheck))
        def run(case: Any) -> None:
            nonlocal count
            count += 1
            app.state.limiter.reset()  # limits have their own tests; here every case is judged
            case.call_and_validate(headers={**(case.headers or {}), **headers[caller]},
                                   checks=CHECKS)

        run()
    # Every caller's share of the minimum, so each database gets at least MINIMUM_CASES in all.
    assert count >= MINIMUM_CASES / len(CALLERS), f"only {count} cases for {caller}"
    print(f"schemathesis on {app.state.engine.dialect.name} as {caller}: {count} cases")  # noqa: T201
