"""The portal under issue 10's defences: a copied cookie dies on every page (error pages too) once
its session ends, sign-ups are throttled as a page, and a busy database or a crash is a page in the
visitor's language carrying the security headers."""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from fairtrack.settings import Settings
from law.road import Role
from tests.support.road import PASSWORD, Person, Road


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form token"
    return match.group(1)


def _h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert match, "the page has no heading"
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def _log_in(client: TestClient, person: Person) -> str:
    form = client.get("/login")
    answer = client.post("/login", data={"email": person.email, "password": PASSWORD,
                                         "csrf_token": _csrf(form.text)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(client.cookies["ft_session"])


@contextmanager
def thief_with(app: FastAPI, cookie: str) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False) as thief:
        thief.cookies.set("ft_session", cookie)
        yield thief


@contextmanager
def app_with(settings: Settings, **changes: Any) -> Iterator[tuple[FastAPI, TestClient]]:
    app = create_app(settings.model_copy(update=changes))
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            yield app, client
    finally:
        app.state.engine.dispose()


def test_a_copied_cookie_dies_on_the_applicant_pages_and_error_pages_at_logout(
    client: TestClient, road: Road, app: FastAPI
) -> None:
    nurse = road.applicant()
    cookie = _log_in(client, nurse)
    with thief_with(app, cookie) as thief:
        assert thief.get("/applications").status_code == 200
        # An error page counts the session while it lives...
        assert "Go to your applications" in thief.get("/no-such-page").text
    dashboard = client.get("/applications")
    assert client.post("/logout", data={"csrf_token": _csrf(dashboard.text)},
                       follow_redirects=False).status_code == 303
    with thief_with(app, cookie) as thief:
        answer = thief.get("/applications", follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/login"
        # ...and not after: nobody's page, and the dead cookie is replaced by an anonymous one.
        missing = thief.get("/no-such-page")
        assert missing.status_code == 404 and "Go to the home page" in missing.text
        assert "Log out" not in missing.text
        renewed = re.search(r"ft_session=([^;]+)", missing.headers["set-cookie"])
        assert renewed and renewed.group(1) != cookie


def test_an_administrators_revocation_ends_the_page_session_and_its_language_toggle(
    client: TestClient, road: Road, app: FastAPI
) -> None:
    nurse, admin = road.applicant(), road.person(Role.admin)
    cookie = _log_in(client, nurse)
    page = client.get("/applications")
    assert client.post(f"/api/v1/admin/users/{nurse.user_id}/revoke-sessions",
                       headers=admin.headers).status_code == 204
    assert client.get("/applications", follow_redirects=False).status_code == 303
    # The toggle still works for the browser, but no longer speaks for the account.
    with thief_with(app, cookie) as thief:
        toggled = thief.post("/language", data={"to": "fr", "next": "/",
                                                "csrf_token": _csrf(page.text)},
                             follow_redirects=False)
        assert toggled.status_code == 303
    with TestClient(app, raise_server_exceptions=False) as elsewhere:
        _log_in(elsewhere, nurse)
        assert '<html lang="en">' in elsewhere.get("/applications").text


def test_sign_ups_from_one_address_are_throttled_as_a_page(
    settings: Settings, sessions: sessionmaker[Session]
) -> None:
    with app_with(settings, registrations_per_address=2) as (_, client):
        form = client.get("/signup", headers={"Accept-Language": "fr"})
        attempt = {"email": "amara@example.org", "password": "short", "password_again": "short",
                   "csrf_token": _csrf(form.text)}
        assert [client.post("/signup", data=attempt).status_code for _ in range(2)] == [422, 422]
        refused = client.post("/signup", data=attempt, headers={"Accept-Language": "fr"})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
        assert refused.headers["content-type"].startswith("text/html")
        assert _h1(refused.text) == "Trop de tentatives" and "Réessayez dans" in refused.text


def test_a_busy_database_on_a_page_is_a_page_that_says_so(settings: Settings, road: Road) -> None:
    nurse = road.applicant()
    with app_with(settings, db_pool_size=1, db_max_overflow=0,
                  db_pool_timeout_seconds=0.2) as (app, client):
        _log_in(client, nurse)
        with app.state.engine.connect() as held:  # the pool's only connection, taken
            held.execute(text("SELECT 1"))
            busy = client.get("/applications", headers={"Accept-Language": "fr"})
        assert busy.status_code == 503 and int(busy.headers["Retry-After"]) > 0
        assert busy.headers["content-type"].startswith("text/html")
        assert _h1(busy.text) == "FairTrack est occupé"
        assert busy.headers["X-Content-Type-Options"] == "nosniff"
        # The session outlived the busy moment: the next page is the dashboard again.
        assert client.get("/applications").status_code == 200


def test_a_crash_on_a_page_is_the_error_page_with_the_security_headers(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("the disk caught fire at /var/secret/path")

    monkeypatch.setattr("api.pages.public.search_professions", broken)
    answer = client.get("/regulators/find?q=nurse", headers={"Accept-Language": "fr"})
    assert answer.status_code == 500 and answer.headers["content-type"].startswith("text/html")
    assert '<html lang="fr">' in answer.text and _h1(answer.text) == "Un problème est survenu"
    assert "disk" not in answer.text
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["Cache-Control"] == "no-store"
    # The API's crash stays JSON (tests/api/test_security.py).
