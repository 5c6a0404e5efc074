"""HTTP hardening: security headers, request size limits, and no personal data in any log."""

import base64
import hashlib
import logging
import re
from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.support.road import PASSWORD, Road

V1 = "/api/v1"


@pytest.mark.parametrize("path", ["/api/v1/health", "/login", "/api/v1/applications", "/nowhere"])
def test_every_answer_carries_the_security_headers(client: TestClient, path: str) -> None:
    headers = client.get(path).headers
    policy = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["X-Frame-Options"] == "DENY"
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored


def test_hsts_is_sent_over_tls(app: FastAPI, road: Road) -> None:
    with TestClient(app, base_url="https://fairtrack.example") as tls:
        assert tls.get(f"{V1}/health").headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_api_docs_inline_script_is_allowed_by_its_hash_only(client: TestClient) -> None:
    response = client.get("/docs")
    policy = response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    scripts = re.findall(r"<script>(.*?)</script>", response.text, re.DOTALL)
    assert scripts
    for script in scripts:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy


def test_an_oversized_body_is_refused_with_413_and_changes_nothing(client: TestClient, road: Road) -> None:
    nurse = road.applicant()
    huge = {"regulator": "peo", "licence_class": "p-eng", "assessor": "x" * 2_000_000}
    response = client.post(f"{V1}/applications", json=huge, headers=nurse.headers)
    assert response.status_code == 413 and response.json()["message"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted while read
        yield b'{"regulator": "peo", "licence_class": "'
        for _ in range(40):
            yield b"y" * 50_000
        yield b'"}'

    streamed = client.post(f"{V1}/applications", content=chunks(),
                           headers={**nurse.headers, "Content-Type": "application/json"})
    assert streamed.status_code == 413 and streamed.json()["message"]
    assert road.applications() == 0


def test_no_personal_data_reaches_any_log_during_a_whole_scenario(
    client: TestClient, road: Road, caplog: pytest.LogCaptureFixture
) -> None:
    email, password = "Marie-Claire.Tremblay@example.org", "née le 1988-04-12 à Lyon"
    caplog.set_level(logging.DEBUG)
    client.post(f"{V1}/auth/register", json={"email": email, "password": password})
    client.post(f"{V1}/auth/register", json={"email": email, "password": password})  # refused
    client.post(f"{V1}/auth/token", data={"username": email, "password": "wrong wrong wrong"})
    token = client.post(f"{V1}/auth/token", data={"username": email, "password": password}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    opened = client.post(f"{V1}/applications", headers=headers,
                         json={"regulator": "peo", "licence_class": "p-eng"}).json()
    reference = opened["reference"]
    client.post(f"{V1}/applications/{reference}/events", headers=headers, json={
        "trigger": "submit", "expected_version": 1, "note": "Marie-Claire Tremblay, born 1988-04-12"})
    peo = road.regulator("peo")
    peo.step(reference, "begin_review")
    peo.step(reference, "issue_decision", outcome="refused",
             reasons="Ms. Tremblay (born 1988-04-12) did not show the experience.")
    client.post(f"{V1}/applications/{reference}/events", headers=headers, json={"trigger": "x" * 5000})
    client.post(f"{V1}/me/password", headers=headers,
                json={"current_password": password, "new_password": "Marie-Claire.Tremblay 2"})
    login_page = client.get("/login")
    client.post("/login", data={"email": email, "password": "nope", "csrf_token": "forged"})
    assert login_page.status_code == 200
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args!r}" for r in caplog.records).lower()
    assert "login refused: account " in logged  # the scenario was logged, pseudonymously
    for personal in ("marie", "tremblay", "example.org", "1988-04-12", "lyon", PASSWORD):
        assert personal not in logged, f"'{personal}' was logged"


def test_an_unexpected_error_is_a_500_with_the_security_headers_and_no_details(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_session: object) -> None:
        raise RuntimeError("the disk caught fire at /var/secret/path")

    monkeypatch.setattr("api.health.readiness", broken)
    response = client.get(f"{V1}/health")
    assert response.status_code == 500
    assert response.json() == {"error": "internal", "message": "internal error"}
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Cache-Control"] == "no-store"


def test_fairtrack_serve_runs_uvicorn_without_its_address_log_nor_its_header_trust() -> None:
    """uvicorn's access log prints "203.0.113.9:51234 - GET ..." beside our pseudonymised lines,
    and by default it rewrites the client from X-Forwarded-For when the peer is 127.0.0.1."""
    from cli.main import server_options
    from fairtrack.settings import Settings

    options = server_options(Settings())
    assert options["access_log"] is False and options["proxy_headers"] is False


def test_the_access_log_names_clients_by_pseudonym_only(
    app: FastAPI, road: Road, caplog: pytest.LogCaptureFixture
) -> None:
    from accounts.security import pseudonym

    caplog.set_level(logging.INFO)
    with TestClient(app, raise_server_exceptions=False, client=("203.0.113.9", 51234)) as visitor:
        visitor.get(f"{V1}/health?probe=1")
        visitor.post(f"{V1}/auth/token", data={"username": "who@example.org", "password": "nope"})
    lines = [r.getMessage() for r in caplog.records if r.name == "fairtrack.access"]
    secret = app.state.settings.secret_key.get_secret_value()
    address = pseudonym(secret, "address", "203.0.113.9")
    assert [line.rsplit(" ", 2)[0] for line in lines] == [
        f'address {address} "GET /api/v1/health" 200',
        f'address {address} "POST /api/v1/auth/token" 401']
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "203.0.113.9" not in logged and "who@example.org" not in logged
