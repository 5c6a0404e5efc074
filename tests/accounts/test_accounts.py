"""Accounts: the OAuth2 password flow, bearer tokens that expire and cannot be forged, argon2 hashes,
and `fairtrack users add` reading the password from standard input only."""

import base64
import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from accounts.models import User
from accounts.security import issue_token, verify_password
from cli.main import app as cli
from fairtrack.columns import utcnow
from tests.conftest import TEST_SECRET
from tests.support.road import PASSWORD, Person, Road

V1 = "/api/v1"
# Open to anyone by design: liveness, getting a token, and the public regulator registry that
# people use to find their regulator before they have an account (SPEC 5, "find your regulator").
PUBLIC = {
    ("GET", "/api/v1/health"),
    ("POST", "/api/v1/auth/token"),
    ("POST", "/api/v1/auth/refresh"),
    ("POST", "/api/v1/auth/register"),
    ("GET", "/api/v1/regulators"),
    ("GET", "/api/v1/regulators/{slug}"),
    ("GET", "/api/v1/regulators/{slug}/rules"),
    ("GET", "/api/v1/regulators/{slug}/rules/{version}"),
    ("GET", "/api/v1/assessors"),
    ("GET", "/api/v1/professions"),
    # Anyone may check a deadline (issue 9: the applicant, their lawyer).
    ("GET", "/api/v1/deadlines/calculate"),
}
PATH_VALUES = {"reference": "FT-2026-000001", "slug": "cno", "version": "1", "flag_id": "1",
               "key_id": "1", "user_id": "1", "job_id": "1", "subscription_id": "1",
               "delivery_id": "1", "seq": "1", "year": "2026", "kind": "events",
               "regulator": "cno"}
NEW_PASSWORD = "a-long-and-new-password-2026"


@pytest.fixture(autouse=True)
def fresh_login_limits(app: FastAPI) -> Iterator[None]:
    """Logins are rate-limited per process; each scenario starts with a clean slate."""
    limiter = getattr(app.state, "limiter", None)
    if limiter is not None:
        limiter.reset()
    yield
    if limiter is not None:
        limiter.reset()


def login(client: TestClient, email: str, password: str) -> Any:
    return client.post(f"{V1}/auth/token", data={"username": email, "password": password})


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def assert_not_authenticated(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["error"] == "not_authenticated"
    assert response.json()["message"]
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_person_logs_in_with_the_password_flow_and_the_token_works(road: Road) -> None:
    nurse = road.applicant()
    ref = nurse.open("cno", "rn")
    response = login(road.client, nurse.email.upper(), PASSWORD)  # emails are case-insensitive
    assert response.status_code == 200, response.text
    token = response.json()
    assert token["token_type"] == "bearer"
    assert token["expires_in"] == 30 * 60
    mine = road.client.get(f"{V1}/applications", headers=bearer(token["access_token"]))
    assert mine.status_code == 200
    assert [a["reference"] for a in mine.json()["items"]] == [ref]


def test_a_wrong_password_or_an_unknown_email_gets_the_same_401(road: Road) -> None:
    nurse = road.applicant()
    wrong_password = login(road.client, nurse.email, "not-the-password")
    unknown_email = login(road.client, "nobody@example.test", PASSWORD)
    assert_not_authenticated(wrong_password)
    assert_not_authenticated(unknown_email)
    assert wrong_password.json() == unknown_email.json()  # no hint which emails have accounts


def test_a_login_form_without_credentials_is_refused_with_a_message(road: Road) -> None:
    response = road.client.post(f"{V1}/auth/token", data={"username": "x@example.test"})
    assert response.status_code == 422
    assert "password" in response.json()["message"]


def test_an_expired_token_is_refused_and_a_fresh_one_is_not(road: Road) -> None:
    nurse = road.applicant()
    expired = issue_token(nurse.user_id, TEST_SECRET, 30, now=utcnow() - timedelta(minutes=31))
    nearly = issue_token(nurse.user_id, TEST_SECRET, 30, now=utcnow() - timedelta(minutes=29))
    assert_not_authenticated(road.client.get(f"{V1}/applications", headers=bearer(expired)))
    assert road.client.get(f"{V1}/applications", headers=bearer(nearly)).status_code == 200


def _segments(token: str) -> tuple[str, dict[str, Any], str]:
    header, payload, signature = token.split(".")
    return header, json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))), (
        signature)


def _encode(part: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(part).encode()).rstrip(b"=").decode()


def test_forged_and_tampered_tokens_are_refused(road: Road) -> None:
    nurse, officer = road.applicant(), road.regulator("cno")
    header, claims, signature = _segments(nurse.token)
    # Claiming to be the CNO officer, under the nurse's signature.
    as_officer = f"{header}.{_encode({**claims, 'sub': str(officer.user_id)})}.{signature}"
    # The signature's last bytes changed.
    flipped = nurse.token[:-6] + ("AAAAAA" if not nurse.token.endswith("AAAAAA") else "BBBBBB")
    # Signed with a key that is not the server's.
    other_key = jwt.encode({**claims}, "another-secret-of-sufficient-length-000", algorithm="HS256")
    # Not signed at all.
    unsigned = jwt.encode({**claims}, None, algorithm="none")
    for forged in (as_officer, flipped, other_key, unsigned, "not-a-token", nurse.token + "x"):
        assert_not_authenticated(road.client.get(f"{V1}/applications", headers=bearer(forged)))
    assert road.client.get(f"{V1}/applications", headers=nurse.headers).status_code == 200


def test_a_disabled_account_s_token_stops_working(road: Road) -> None:
    nurse = road.applicant()
    assert nurse.get("/applications").status_code == 200
    with road.sessions.begin() as session:
        session.execute(update(User).where(User.id == nurse.user_id).values(is_active=False))
    assert_not_authenticated(nurse.get("/applications"))
    assert_not_authenticated(login(road.client, nurse.email, PASSWORD))


def _routes(app: FastAPI) -> list[tuple[str, str]]:
    return [
        (method.upper(), path)
        for path, operations in app.openapi()["paths"].items()
        for method in operations
    ]


def test_every_api_route_but_the_public_ones_needs_a_token(app: FastAPI, road: Road) -> None:
    routes = _routes(app)
    assert set(routes) >= PUBLIC, PUBLIC - set(routes)
    guarded = [route for route in routes if route not in PUBLIC]
    assert ("POST", "/api/v1/applications/{reference}/events") in guarded
    for method, path in guarded:
        url = path.format(**PATH_VALUES)
        assert_not_authenticated(road.client.request(method, url, json={}))
        assert_not_authenticated(road.client.request(
            method, url, json={}, headers={"Authorization": "Bearer"}))
        # The OpenAPI document says so too, so that clients know to send a token.
        operation = app.openapi()["paths"][path][method.lower()]
        assert operation.get("security"), (method, path)
    for method, path in PUBLIC:
        response = road.client.request(method, path.format(**PATH_VALUES))
        assert response.status_code != 401, (method, path, response.text)


@pytest.mark.parametrize("path", ["/api/v1/health", "/docs", "/openapi.json"])
def test_health_and_the_api_documentation_need_no_token(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 200


# --- accounts from the command line -----------------------------------------------------------


def users_add(*args: str, password: str) -> Any:
    return CliRunner().invoke(cli, ["users", "add", *args], input=password + "\n")


def stored_user(road: Road, email: str) -> User | None:
    with road.sessions() as session:
        return session.scalars(select(User).where(User.email == email)).one_or_none()


def test_users_add_reads_the_password_from_stdin_and_stores_only_an_argon2_hash(
    road: Road, cli_database: None
) -> None:
    result = users_add("officer@cno.example", "--role", "regulator", "--organization", "cno",
                       password=NEW_PASSWORD)
    assert result.exit_code == 0, result.output
    assert NEW_PASSWORD not in result.output

    user = stored_user(road, "officer@cno.example")
    assert user is not None
    assert (user.role, user.organization) == ("regulator", "cno")
    assert user.password_hash.startswith("$argon2id$")
    assert NEW_PASSWORD not in user.password_hash
    assert verify_password(user.password_hash, NEW_PASSWORD)

    token = login(road.client, "officer@cno.example", NEW_PASSWORD)
    assert token.status_code == 200, token.text
    assert road.client.get(f"{V1}/applications",
                           headers=bearer(token.json()["access_token"])).status_code == 200


def test_people_made_by_the_test_driver_have_argon2_hashes_too(road: Road) -> None:
    nurse: Person = road.applicant()
    user = stored_user(road, nurse.email)
    assert user is not None and user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


@pytest.mark.parametrize(
    ("args", "password", "says"),
    [
        (["officer@x.example", "--role", "regulator", "--organization", "nowhere"],
         NEW_PASSWORD, "organization"),
        (["officer@x.example", "--role", "regulator"], NEW_PASSWORD, "organization"),
        (["nurse@x.example", "--role", "applicant", "--organization", "cno"],
         NEW_PASSWORD, "organization"),
        (["officer@x.example", "--role", "regulator", "--organization", "cno"],
         "short", "password"),
        (["not-an-email", "--role", "applicant"], NEW_PASSWORD, "email"),
    ],
)
def test_users_add_refuses_what_create_user_refuses_with_exit_code_2(
    road: Road, cli_database: None, args: list[str], password: str, says: str
) -> None:
    result = users_add(*args, password=password)
    assert result.exit_code == 2, result.output
    assert says in result.output
    assert password not in result.output
    assert stored_user(road, args[0]) is None


def test_users_add_takes_no_password_argument(road: Road, cli_database: None) -> None:
    result = CliRunner().invoke(cli, ["users", "add", "officer@cno.example", "--role", "regulator",
                                      "--organization", "cno", "--password", NEW_PASSWORD])
    assert result.exit_code == 2
    assert "--password" in result.output
    assert stored_user(road, "officer@cno.example") is None
