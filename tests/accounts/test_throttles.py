"""Throttles that count failures only, per (account, address), with a delay that doubles: a stranger
cannot lock the owner out, a correct password from a clean address is never refused, spoofed
forwarding headers change nothing, and every server process counts together."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from fairtrack.columns import utcnow
from fairtrack.settings import Settings
from tests.support.road import PASSWORD, Road

V1 = "/api/v1"
STRANGER, OWNER_HOME = "198.51.100.7", "203.0.113.20"


@pytest.fixture
def throttled(settings: Settings) -> Settings:
    return settings.model_copy(update={
        "login_free_failures": 3, "login_address_free_failures": 6, "login_delay_seconds": 30.0,
        "login_max_delay_seconds": 600.0})


@contextmanager
def served(settings: Settings) -> Iterator[FastAPI]:
    app = create_app(settings)
    try:
        yield app
    finally:
        app.state.engine.dispose()


@contextmanager
def from_address(app: FastAPI, address: str) -> Iterator[TestClient]:
    with TestClient(app, raise_server_exceptions=False, client=(address, 40000)) as client:
        yield client


def login(client: TestClient, email: str, password: str, **headers: str) -> Any:
    return client.post(f"{V1}/auth/token", data={"username": email, "password": password},
                       headers=headers)


def test_a_stranger_guessing_cannot_lock_the_owner_out(throttled: Settings, road: Road) -> None:
    nurse = road.applicant()
    with served(throttled) as app, from_address(app, STRANGER) as stranger, \
            from_address(app, OWNER_HOME) as owner:
        answers = [login(stranger, nurse.email, "guess guess guess").status_code for _ in range(12)]
        # Three free failures, then the pair waits: 429 with Retry-After, no password checked.
        assert answers[:4] == [401, 401, 401, 401] and set(answers[4:]) == {429}
        blocked = login(stranger, nurse.email, PASSWORD)
        assert blocked.status_code == 429 and int(blocked.headers["Retry-After"]) >= 1
        assert blocked.json()["message"]
        # The owner, from an address with no failures: never refused.
        assert login(owner, nurse.email, PASSWORD).status_code == 200


def test_successful_logins_do_not_count(throttled: Settings, road: Road) -> None:
    nurse = road.applicant()
    with served(throttled) as app, from_address(app, OWNER_HOME) as owner:
        # More than the ten logins a window once allowed, successes included.
        assert [login(owner, nurse.email, PASSWORD).status_code for _ in range(12)] == [200] * 12
        # A success clears its pair's failures: three more are free again.
        for _ in range(3):
            assert login(owner, nurse.email, "typo typo typo").status_code == 401
        assert login(owner, nurse.email, PASSWORD).status_code == 200
        assert [login(owner, nurse.email, "typo typo typo").status_code for _ in range(3)] == [401] * 3


def test_the_delay_doubles_with_each_failure(
    throttled: Settings, road: Road, monkeypatch: pytest.MonkeyPatch
) -> None:
    nurse = road.applicant()
    clock = [utcnow()]
    monkeypatch.setattr("casefile.accounts.utcnow", lambda: clock[0])
    waits = []
    with served(throttled) as app, from_address(app, STRANGER) as stranger:
        for _ in range(3):
            assert login(stranger, nurse.email, "guess guess guess").status_code == 401
        for _ in range(5):
            assert login(stranger, nurse.email, "guess guess guess").status_code == 401
            refused = login(stranger, nurse.email, "guess guess guess")
            assert refused.status_code == 429
            waits.append(int(refused.headers["Retry-After"]))
            clock[0] += timedelta(seconds=waits[-1])  # wait as told, then fail again
    assert waits == [30, 60, 120, 240, 480]


def test_an_address_failing_on_many_accounts_is_delayed_but_not_the_others(
    throttled: Settings, road: Road
) -> None:
    people = [road.applicant() for _ in range(4)]
    with served(throttled) as app, from_address(app, STRANGER) as sprayer, \
            from_address(app, OWNER_HOME) as owner:
        statuses = [login(sprayer, person.email, "Summer2026!!").status_code
                    for person in people for _ in range(2)]
        assert statuses[:7] == [401] * 7 and statuses[7:] == [429]  # six free, a delay after
        assert login(sprayer, people[0].email, PASSWORD).status_code == 429
        assert all(login(owner, p.email, PASSWORD).status_code == 200 for p in people)


def test_a_spoofed_forwarded_header_is_not_believed_without_a_trusted_proxy(
    throttled: Settings, road: Road
) -> None:
    nurse = road.applicant()
    with served(throttled) as app, from_address(app, STRANGER) as stranger:
        statuses = [login(stranger, nurse.email, "guess guess guess",
                          **{"X-Forwarded-For": f"192.0.2.{n}"}).status_code for n in range(6)]
        assert statuses[4:] == [429, 429]


def test_behind_a_trusted_proxy_the_forwarded_client_is_the_address(
    throttled: Settings, road: Road
) -> None:
    nurse = road.applicant()
    proxied = throttled.model_copy(update={"trusted_proxies": ["10.0.0.0/8"]})
    with served(proxied) as app, from_address(app, "10.0.0.2") as proxy:
        hops = {"X-Forwarded-For": f"192.0.2.66, {STRANGER}, 10.0.0.9"}  # the first is the client's say
        statuses = [login(proxy, nurse.email, "guess guess guess", **hops).status_code
                    for _ in range(5)]
        assert statuses == [401, 401, 401, 401, 429]
        # Another client behind the same proxy: its own address, its own (clean) throttle.
        assert login(proxy, nurse.email, PASSWORD, **{"X-Forwarded-For": OWNER_HOME}
                     ).status_code == 200


def test_two_server_processes_count_the_same_failures(throttled: Settings, road: Road) -> None:
    """Two apps, as two server processes would be, on one database."""
    nurse = road.applicant()
    with served(throttled) as first, served(throttled) as second, \
            from_address(first, STRANGER) as one, from_address(second, STRANGER) as other:
        for client in (one, other, one, other):
            assert login(client, nurse.email, "guess guess guess").status_code == 401
        assert login(one, nurse.email, "guess guess guess").status_code == 429
        assert login(other, nurse.email, "guess guess guess").status_code == 429


def test_wrong_current_passwords_are_throttled_too(throttled: Settings, road: Road) -> None:
    nurse = road.applicant()
    with served(throttled) as app, from_address(app, OWNER_HOME) as client:
        def change(current: str) -> Any:
            return client.post(f"{V1}/me/password", headers=nurse.headers, json={
                "current_password": current, "new_password": "a brand new passphrase"})

        assert [change("not it at all").status_code for _ in range(4)] == [422] * 4
        refused = change(PASSWORD)
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1


def test_the_page_login_is_throttled_the_same_way(throttled: Settings, road: Road) -> None:
    nurse = road.applicant()
    with served(throttled) as app, from_address(app, STRANGER) as stranger, \
            from_address(app, OWNER_HOME) as owner:
        for client, password, expected in [(stranger, "guess guess guess", 401)] * 4 + [
                (stranger, PASSWORD, 429), (owner, PASSWORD, 303)]:
            form = client.get("/login").text
            csrf = form.split('name="csrf_token" value="')[1].split('"')[0]
            answer = client.post("/login", data={"email": nurse.email, "password": password,
                                                 "csrf_token": csrf}, follow_redirects=False)
            assert answer.status_code == expected, answer.text
