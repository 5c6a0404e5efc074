"""Sessions that end: logout, a password change and an administrator's revocation end a page
session on the server (a copied cookie stops working at once); a refresh-token family that ends
takes its access tokens with it; two parallel refreshes with one token do not log their owner out."""

import re
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import col
from typer.testing import CliRunner

from accounts.models import RefreshToken
from api.app import create_app
from cli.main import app as cli
from fairtrack.settings import Settings
from law.road import Role
from tests.support.live import serving
from tests.support.road import PASSWORD, Person, Road

V1 = "/api/v1"


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the form has no CSRF token"
    return match.group(1)


def logged_in_page(client: TestClient, person: Person) -> str:
    """Log in through the page; returns the session cookie (what a thief would copy)."""
    form = client.get("/login")
    answer = client.post("/login", data={"email": person.email, "password": PASSWORD,
                                         "csrf_token": _csrf(form.text)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return str(client.cookies["ft_session"])


def opens_the_account_page(app: FastAPI, cookie: str) -> bool:
    with TestClient(app, raise_server_exceptions=False) as thief:
        thief.cookies.set("ft_session", cookie)
        return thief.get("/me", follow_redirects=False).status_code == 200


def tokens_of(client: TestClient, person: Person) -> dict[str, Any]:
    response = client.post(f"{V1}/auth/token", data={"username": person.email, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return dict(response.json())


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_logout_ends_a_copied_cookie_at_once(client: TestClient, road: Road, app: FastAPI) -> None:
    nurse = road.applicant()
    cookie = logged_in_page(client, nurse)
    assert opens_the_account_page(app, cookie)
    page = client.get("/me")
    assert client.post("/logout", data={"csrf_token": _csrf(page.text)},
                       follow_redirects=False).status_code == 303
    assert not opens_the_account_page(app, cookie)


def test_an_administrator_ends_every_session_of_an_account(
    client: TestClient, road: Road, app: FastAPI
) -> None:
    nurse, admin = road.applicant(), road.person(Role.admin)
    cookie = logged_in_page(client, nurse)
    tokens = tokens_of(client, nurse)
    assert client.get(f"{V1}/applications", headers=bearer(tokens["access_token"])).status_code == 200
    assert client.post(f"{V1}/admin/users/{nurse.user_id}/revoke-sessions",
                       headers=nurse.headers).status_code == 403
    revoked = client.post(f"{V1}/admin/users/{nurse.user_id}/revoke-sessions", headers=admin.headers)
    assert revoked.status_code == 204, revoked.text
    assert not opens_the_account_page(app, cookie)
    assert client.get(f"{V1}/applications", headers=bearer(tokens["access_token"])).status_code == 401
    assert client.post(f"{V1}/auth/refresh", json={"refresh_token": tokens["refresh_token"]}
                       ).status_code == 401
    # The password is unchanged: the owner logs in again.
    assert tokens_of(client, nurse)["access_token"]
    assert client.post(f"{V1}/admin/users/999999/revoke-sessions", headers=admin.headers
                       ).status_code == 404


def test_the_command_line_ends_every_session_of_an_account(
    client: TestClient, road: Road, app: FastAPI, cli_database: None
) -> None:
    nurse = road.applicant()
    cookie = logged_in_page(client, nurse)
    result = CliRunner().invoke(cli, ["users", "revoke-sessions", nurse.email.upper()])
    assert result.exit_code == 0, result.output
    assert not opens_the_account_page(app, cookie)
    unknown = CliRunner().invoke(cli, ["users", "revoke-sessions", "nobody@example.org"])
    assert unknown.exit_code == 2 and "no such account" in unknown.output


def test_a_password_change_ends_page_sessions_on_the_server(
    client: TestClient, road: Road, app: FastAPI
) -> None:
    nurse = road.applicant()
    cookie = logged_in_page(client, nurse)
    changed = nurse.post("/me/password", json={"current_password": PASSWORD,
                                               "new_password": "a fresh passphrase 7"})
    assert changed.status_code == 204
    assert not opens_the_account_page(app, cookie)


def test_a_refresh_family_ended_by_a_reused_token_takes_its_access_tokens_with_it(
    client: TestClient, road: Road, app: FastAPI, sessions: Any
) -> None:
    nurse = road.applicant()
    first = tokens_of(client, nurse)
    second = client.post(f"{V1}/auth/refresh", json={"refresh_token": first["refresh_token"]}).json()
    with sessions.begin() as session:  # the first use was a minute ago: past the grace
        for used in session.scalars(select(RefreshToken).where(col(RefreshToken.used_at).is_not(None))):
            used.used_at = used.used_at - timedelta(minutes=1)
    stolen = client.post(f"{V1}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert stolen.status_code == 401 and "used already" in stolen.json()["message"]
    for access in (first["access_token"], second["access_token"]):
        refused = client.get(f"{V1}/applications", headers=bearer(access))
        assert refused.status_code == 401 and "ended" in refused.json()["message"]
    # Another login (another family) is unaffected.
    assert client.get(f"{V1}/applications", headers=nurse.headers).status_code == 200


def test_the_same_refresh_token_used_twice_at_once_keeps_its_owner_logged_in(
    client: TestClient, road: Road
) -> None:
    nurse = road.applicant()
    first = tokens_of(client, nurse)
    one = client.post(f"{V1}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    two = client.post(f"{V1}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert (one.status_code, two.status_code) == (200, 200), two.text
    for pair in (one.json(), two.json()):
        assert client.get(f"{V1}/applications", headers=bearer(pair["access_token"])).status_code == 200
        again = client.post(f"{V1}/auth/refresh", json={"refresh_token": pair["refresh_token"]})
        assert again.status_code == 200, again.text


RACERS = 6


@pytest.fixture
def live(settings: Settings, backend: str) -> Iterator[httpx.Client]:
    if backend != "postgresql":
        pytest.skip("about parallel requests meeting at PostgreSQL's row lock; SQLite serializes "
                    "them (the sequential case is tested on both)")
    with serving(create_app(settings), backlog=4 * RACERS) as base, \
            httpx.Client(base_url=f"{base}{V1}", timeout=30) as http:
        yield http


def test_parallel_refreshes_over_http_all_succeed(road: Road, live: httpx.Client) -> None:
    nurse = road.applicant()
    first = live.post("/auth/token", data={"username": nurse.email, "password": PASSWORD}).json()
    barrier = threading.Barrier(RACERS, timeout=30)

    def refresh(_: int) -> httpx.Response:
        barrier.wait()
        return live.post("/auth/refresh", json={"refresh_token": first["refresh_token"]})

    with ThreadPoolExecutor(max_workers=RACERS) as pool:
        answers = list(pool.map(refresh, range(RACERS)))
    assert [a.status_code for a in answers] == [200] * RACERS, [a.text for a in answers]
    assert len({a.json()["refresh_token"] for a in answers}) == RACERS
    assert live.get("/applications", headers=bearer(answers[0].json()["access_token"])
                    ).status_code == 200
