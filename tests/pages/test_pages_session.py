"""Page sessions: a signed HttpOnly SameSite cookie, and a CSRF token on every form that changes
something."""

import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.road import PASSWORD, Road


@pytest.fixture(autouse=True)
def fresh_limits(app: FastAPI) -> Iterator[None]:
    app.state.limiter.reset()
    yield


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form has no CSRF token"
    return match.group(1)


def test_log_in_see_your_account_and_log_out(client: TestClient, road: Road) -> None:
    nurse = road.applicant()
    form = client.get("/login")
    cookie = form.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie
    logged_in = client.post("/login", data={"email": nurse.email, "password": PASSWORD,
                                            "csrf_token": _csrf(form.text)}, follow_redirects=False)
    assert logged_in.status_code == 303 and logged_in.headers["location"] == "/applications"
    page = client.get("/me")
    assert page.status_code == 200 and nurse.email in page.text
    # The token changed at login: the one from the anonymous form is dead (no session fixation).
    assert _csrf(page.text) != _csrf(form.text)
    stale = client.post("/logout", data={"csrf_token": _csrf(form.text)}, follow_redirects=False)
    # A page's refusal is a page: it says what happened, in the visitor's language.
    assert stale.status_code == 403 and "This form has expired" in stale.text
    out = client.post("/logout", data={"csrf_token": _csrf(page.text)}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get("/me", follow_redirects=False).status_code == 303


def test_a_form_without_the_sessions_token_changes_nothing(client: TestClient, road: Road) -> None:
    nurse = road.applicant()
    client.get("/login")
    for token in ({}, {"csrf_token": ""}, {"csrf_token": "guessed"}):
        refused = client.post("/login", data={"email": nurse.email, "password": PASSWORD, **token},
                              follow_redirects=False)
        assert refused.status_code == 403
    assert client.get("/me", follow_redirects=False).status_code == 303


def test_a_wrong_password_shows_the_form_again(client: TestClient, road: Road) -> None:
    form = client.get("/login")
    again = client.post("/login", data={"email": road.applicant().email, "password": "wrong wrong",
                                        "csrf_token": _csrf(form.text)})
    assert again.status_code == 401 and 'role="alert"' in again.text
    assert 'href="#email"' in again.text  # the error summary links to the field


def test_forged_or_outdated_session_cookies_are_worth_nothing(
    client: TestClient, road: Road, app: FastAPI
) -> None:
    nurse = road.applicant()
    form = client.get("/login")
    client.post("/login", data={"email": nurse.email, "password": PASSWORD,
                                "csrf_token": _csrf(form.text)})
    signed = client.cookies["ft_session"]
    forged = signed[:-3] + ("aaa" if not signed.endswith("aaa") else "bbb")
    client.cookies.set("ft_session", forged)
    assert client.get("/me", follow_redirects=False).status_code == 303
    client.cookies.set("ft_session", signed)
    assert client.get("/me").status_code == 200
    nurse.post("/me/password", json={"current_password": PASSWORD,
                                     "new_password": "a fresh passphrase 7"})
    assert client.get("/me", follow_redirects=False).status_code == 303


def test_the_session_cookie_is_secure_over_tls(app: FastAPI, road: Road) -> None:
    with TestClient(app, base_url="https://fairtrack.example") as tls:
        assert "Secure" in tls.get("/login").headers["set-cookie"]
