"""A busy database is a 503 with Retry-After, never a 500 nor a request hanging on: the pool and the
waits for locks are bounded by settings, and a request holds one connection at most."""

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from accounts.models import User
from api.app import create_app
from fairtrack.database import WRITE
from fairtrack.settings import Settings
from law.road import Role
from tests.support.road import PASSWORD, Road

V1 = "/api/v1"


@contextmanager
def app_with(settings: Settings, **limits: Any) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(settings.model_copy(update=limits))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield app, client
    finally:
        app.state.engine.dispose()


def _busy(response: Any) -> None:
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "database_busy" and response.json()["message"]
    assert int(response.headers["Retry-After"]) > 0
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_pool_comes_from_settings_and_an_exhausted_pool_answers_503(
    settings: Settings, road: Road
) -> None:
    nurse = road.applicant()
    with app_with(settings, db_pool_size=1, db_max_overflow=0, db_pool_timeout_seconds=0.2) as (
            app, client):
        pool = app.state.engine.pool
        assert (pool.size(), pool._max_overflow, pool._timeout) == (1, 0, 0.2)
        with app.state.engine.connect() as held:  # the only connection, taken
            held.execute(text("SELECT 1"))
            began = time.monotonic()
            _busy(client.get(f"{V1}/applications", headers=nurse.headers))
            assert time.monotonic() - began < 5
        assert client.get(f"{V1}/applications", headers=nurse.headers).status_code == 200


@contextmanager
def write_lock_held(app: FastAPI, backend: str, application_id: int) -> Iterator[None]:
    """Another writer holding what a step on the application needs: its row (PostgreSQL), the
    database's one write lock (SQLite). It lets go after 8 seconds at most, so that a request
    that waits for it (as before lock waits were bounded) ends, and the test fails, rather than
    hangs."""
    with app.state.engine.connect() as other:
        if backend == "postgresql":
            other.execute(text("BEGIN"))
            other.execute(text("SELECT id FROM applications WHERE id = :id FOR UPDATE"),
                          {"id": application_id})
        else:  # the engine's BEGIN hook: BEGIN IMMEDIATE for a write connection
            other.execution_options(**{WRITE: True}).begin()
        guard = threading.Timer(8, other.rollback)
        guard.start()
        try:
            yield
        finally:
            guard.cancel()
            guard.join()
            other.rollback()


def test_a_lock_wait_is_bounded_by_settings_and_answered_503(
    settings: Settings, road: Road, backend: str
) -> None:
    """Before: the wait lasted as long as the other writer (30 s on SQLite, for ever on PostgreSQL)."""
    nurse = road.applicant()
    reference = nurse.open("peo", "p-eng")
    app_id = int(reference.rsplit("-", 1)[1])
    with app_with(settings, db_lock_timeout_ms=300) as (app, client):
        with write_lock_held(app, backend, app_id):
            began = time.monotonic()
            response = client.post(f"{V1}/applications/{reference}/events", headers=nurse.headers,
                                   json={"trigger": "submit", "expected_version": 1})
            waited = time.monotonic() - began
        _busy(response)
        assert waited < 5, f"waited {waited:.1f} s"
        assert road.snapshot(reference).version == 1  # nothing was written
        retried = client.post(f"{V1}/applications/{reference}/events", headers=nurse.headers,
                              json={"trigger": "submit", "expected_version": 1})
        assert retried.status_code == 201, retried.text


def test_every_kind_of_request_needs_one_connection_only(
    settings: Settings, road: Road, registry: Any
) -> None:
    """With a pool of one connection and no overflow, a request that held two at once would wait
    for itself and answer 503: a bearer write, an API-key request (which notes the key's use), a
    registration, a login and refresh, and the pages' login, account page and logout."""
    from accounts import keys
    from fairtrack.database import transaction

    nurse = road.applicant()
    with transaction(road.sessions) as session:
        _, key = keys.create_key(session, registry, name="one", role=Role.regulator,
                                 organization="peo")
    with app_with(settings, db_pool_size=1, db_max_overflow=0, db_pool_timeout_seconds=2) as (
            _app, client):
        reference = nurse.open("peo", "p-eng")
        submitted = client.post(f"{V1}/applications/{reference}/events", headers=nurse.headers,
                                json={"trigger": "submit", "expected_version": 1})
        assert submitted.status_code == 201, submitted.text
        assert client.get(f"{V1}/applications/{reference}", headers={"X-API-Key": key}
                          ).status_code == 200
        assert client.post(f"{V1}/auth/register", json={
            "email": "one@example.org", "password": "a long enough passphrase"}).status_code == 201
        tokens = client.post(f"{V1}/auth/token", data={"username": nurse.email,
                                                       "password": PASSWORD})
        assert tokens.status_code == 200, tokens.text
        refreshed = client.post(f"{V1}/auth/refresh",
                                json={"refresh_token": tokens.json()["refresh_token"]})
        assert refreshed.status_code == 200, refreshed.text
        form = client.get("/login")
        csrf = form.text.split('name="csrf_token" value="')[1].split('"')[0]
        logged_in = client.post("/login", data={"email": nurse.email, "password": PASSWORD,
                                                "csrf_token": csrf}, follow_redirects=False)
        assert logged_in.status_code == 303, logged_in.text
        page = client.get("/me")
        assert page.status_code == 200
        csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        assert client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False
                           ).status_code == 303


def test_the_spec_documents_503_with_retry_after(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    answers = spec["paths"]["/api/v1/applications/{reference}/events"]["post"]["responses"]
    assert "Retry-After" in answers["503"]["headers"]


@pytest.fixture(autouse=True)
def _fresh_limits(app: FastAPI) -> None:
    app.state.limiter.reset()


def test_reading_the_caller_leaves_no_connection_held_while_the_route_waits_for_a_thread(
    app: FastAPI, road: Road, registry: Any, settings: Settings
) -> None:
    """The caller is read in a dependency; the route then waits for one of the server's 40 threads.
    A connection held across that wait wedged 100 writers on a pool of 40 until the pool timeout
    (bench/load.py: p50 10.3 s and 503s). Bearer tokens, API keys and page sessions alike."""
    from accounts import keys
    from accounts.page_sessions import PageSession
    from api.deps import current_actor
    from api.page_sessions import page_person
    from casefile.accounts import start_page_session
    from fairtrack.database import transaction

    nurse = road.applicant()
    with transaction(road.sessions) as session:
        _, key = keys.create_key(session, registry, name="one", role=Role.regulator,
                                 organization="peo")
    with road.sessions() as session:
        user = session.get(User, nurse.user_id)
        assert user is not None
        token = start_page_session(session, settings, user)
    pool = app.state.engine.pool
    for token_or_key in ((nurse.token, None), (None, key), (key, None)):
        with app.state.sessions() as session:
            actor = current_actor(*token_or_key, session, settings)
            assert actor.user_id is not None
            assert pool.checkedout() == 0, token_or_key
    page = PageSession.anonymous().logged_in(nurse.user_id, 0, token)
    with app.state.sessions() as session:
        assert page_person(page, session).id == nurse.user_id
        assert pool.checkedout() == 0
