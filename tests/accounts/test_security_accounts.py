"""People's accounts: self-registration, password rules, token refresh with rotation, password change."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from accounts.models import User
from api.app import create_app
from fairtrack.settings import Settings
from tests.support.live import serving
from tests.support.road import PASSWORD, Road

V1 = "/api/v1"


@pytest.fixture
def low_limits(app: FastAPI) -> Iterator[None]:
    """Small limits, so that reaching them takes few (slow, argon2) attempts."""
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"registrations_per_address": 2})
    yield
    app.state.settings = settings


@pytest.fixture
def no_grace(app: FastAPI) -> Iterator[None]:
    """A refresh token used twice is taken for a theft at once (no grace for parallel uses)."""
    settings = app.state.settings
    app.state.settings = settings.model_copy(update={"refresh_reuse_grace_seconds": 0})
    yield
    app.state.settings = settings


def _register(client: TestClient, email: str, password: str, **extra: str) -> tuple[int, dict]:  # type: ignore[type-arg]
    response = client.post(f"{V1}/auth/register", json={"email": email, "password": password, **extra})
    return response.status_code, response.json()


def _login(client: TestClient, email: str, password: str) -> dict:  # type: ignore[type-arg]
    response = client.post(f"{V1}/auth/token", data={"username": email, "password": password})
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_a_newcomer_registers_in_french_logs_in_and_opens_an_application(client: TestClient) -> None:
    status, account = _register(client, "Amara@Example.org", "mon mot de passe long", preferred_language="fr")
    assert status == 201, account
    assert account["role"] == "applicant" and account["preferred_language"] == "fr"
    assert "email" not in account and "password" not in str(account)
    tokens = _login(client, "amara@example.org", "mon mot de passe long")
    headers = {"Authorization": f"Bearer {tokens['access_token']}"}
    opened = client.post(f"{V1}/applications", json={"regulator": "peo", "licence_class": "p-eng"},
                         headers=headers)
    assert opened.status_code == 201


@pytest.mark.parametrize(("email", "password", "field"), [
    ("not-an-email", "a long enough passphrase", "email"),
    ("short@example.org", "short", "password"),
    ("repeat@example.org", "aaaaaaaaaaaaaaaaaaaa", "password"),
    ("longname@example.org", "my longname is secret", "password"),
    ("huge@example.org", "x1y2z3" * 30, "password"),
])
def test_registration_refuses_weak_or_malformed_credentials(
    client: TestClient, road: Road, email: str, password: str, field: str
) -> None:
    status, body = _register(client, email, password)
    assert status == 422 and body["field"] == field and body["message"]


def test_registration_cannot_choose_a_role_nor_take_an_email_twice(client: TestClient) -> None:
    status, body = _register(client, "sam@example.org", "a long enough passphrase", role="admin")
    assert status == 422 and "role" in body["message"]
    assert _register(client, "sam@example.org", "a long enough passphrase")[0] == 201
    status, body = _register(client, "SAM@example.org", "a long enough passphrase")
    assert status == 422 and body["field"] == "email"


def test_refresh_rotates_and_a_reused_refresh_token_revokes_its_family(
    client: TestClient, no_grace: None
) -> None:
    _register(client, "rota@example.org", "a long enough passphrase")
    first = _login(client, "rota@example.org", "a long enough passphrase")
    second = client.post(f"{V1}/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    assert second["refresh_token"] != first["refresh_token"]
    replay = client.post(f"{V1}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and "used already" in replay.json()["message"]
    # The thief's replay also ended the owner's newer token: both must log in again.
    after = client.post(f"{V1}/auth/refresh", json={"refresh_token": second["refresh_token"]})
    assert after.status_code == 401
    garbage = client.post(f"{V1}/auth/refresh", json={"refresh_token": "rt_nothing"})
    assert garbage.status_code == 401 and garbage.json()["message"]


def test_a_password_change_ends_older_access_and_refresh_tokens(client: TestClient, road: Road) -> None:
    nurse = road.applicant()
    tokens = _login(client, nurse.email, PASSWORD)
    wrong = nurse.post("/me/password", json={"current_password": "not it at all", "new_password": "x"})
    assert wrong.status_code == 422 and wrong.json()["field"] == "current_password"
    weak = nurse.post("/me/password", json={"current_password": PASSWORD, "new_password": "short"})
    assert weak.status_code == 422
    changed = nurse.post("/me/password", json={
        "current_password": PASSWORD, "new_password": "a brand new passphrase"})
    assert changed.status_code == 204
    assert nurse.get("/applications").status_code == 401
    old_access = {"Authorization": f"Bearer {tokens['access_token']}"}
    assert client.get(f"{V1}/applications", headers=old_access).status_code == 401
    old_refresh = client.post(f"{V1}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert old_refresh.status_code == 401
    assert client.post(f"{V1}/auth/token", data={"username": nurse.email, "password": PASSWORD}
                       ).status_code == 401
    _login(client, nurse.email, "a brand new passphrase")


def test_registration_is_limited_per_address(
    client: TestClient, app: FastAPI, low_limits: None
) -> None:
    for n in range(app.state.settings.registrations_per_address):
        assert _register(client, f"bulk{n}@example.org", "a long enough passphrase")[0] == 201
    status, body = _register(client, "one-more@example.org", "a long enough passphrase")
    assert status == 429 and body["error"] == "rate_limited"


REGISTRANTS = 8


@pytest.mark.postgres_only
def test_the_same_email_registered_at_the_same_instant_gets_one_account_and_clear_422s(
    backend: str, settings: Settings, road: Road
) -> None:
    """Both requests find the email free, hash their passwords, and insert: PostgreSQL's unique index
    makes the later insert wait for the earlier commit and then fail. That must be the 422 of a
    duplicate registered later, not a 500."""
    if backend != "postgresql":
        pytest.skip("SQLite takes its one write lock at BEGIN IMMEDIATE: two registrations never "
                    "overlap there, and the sequential duplicate has its own test")
    roomy = settings.model_copy(update={"registrations_per_address": 10 * REGISTRANTS})
    body = {"email": "twice@example.org", "password": "a long enough passphrase"}
    barrier = threading.Barrier(REGISTRANTS, timeout=30)
    limits = httpx.Limits(max_connections=REGISTRANTS)
    with serving(create_app(roomy), backlog=2 * REGISTRANTS) as base, \
            httpx.Client(base_url=f"{base}{V1}", timeout=60, limits=limits) as client:

        def register() -> httpx.Response:
            barrier.wait()
            return client.post("/auth/register", json=body)

        with ThreadPoolExecutor(max_workers=REGISTRANTS) as pool:
            answers = list(pool.map(lambda _: register(), range(REGISTRANTS)))
        later = client.post("/auth/register", json=body)

    statuses = sorted(answer.status_code for answer in answers)
    assert statuses == [201] + [422] * (REGISTRANTS - 1), [a.text for a in answers]
    assert later.status_code == 422
    for answer in answers:
        if answer.status_code == 422:
            assert answer.json() == later.json()
    with road.sessions() as session:
        assert session.scalar(select(func.count()).select_from(User)) == 1


@pytest.mark.parametrize("password", [
    "password1234", "qwertyuiop123", "iloveyou2026!!", "Qwerty123456", "123456789012",
    "ＰＡＳＳＷＯＲＤ１２３４",  # full-width: "PASSWORD1234" once normalized
])
def test_common_passwords_are_refused(client: TestClient, password: str) -> None:
    status, body = _register(client, "common@example.org", password)
    assert status == 422 and body["field"] == "password" and "common" in body["message"]


def test_a_password_is_the_same_however_its_accents_are_encoded(client: TestClient) -> None:
    """NFKC: "é" typed as one character (a French keyboard) or as e + U+0301 (another system)."""
    composed = "Crème brûlée à minuit"
    decomposed = "Cre\u0300me bru\u0302le\u0301e a\u0300 minuit"
    assert composed != decomposed
    assert _register(client, "brulee@example.org", composed)[0] == 201
    assert _login(client, "brulee@example.org", decomposed)["access_token"]
    assert _login(client, "brulee@example.org", composed)["access_token"]


def test_a_password_hashed_before_normalization_still_opens_its_account() -> None:
    from argon2 import PasswordHasher

    from accounts.security import verify_password

    decomposed = "Cre\u0300me bru\u0302le\u0301e a\u0300 minuit"
    legacy = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash(decomposed)
    assert verify_password(legacy, decomposed)
    assert not verify_password(legacy, "something else entirely")
