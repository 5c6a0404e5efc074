"""Bad input is a clear error: each answers 4xx with a message and changes nothing."""

from typing import Any

import pytest

from tests.support.road import Road

V1 = "/api/v1"


def _refused(response: Any, status: int | tuple[int, ...]) -> dict[str, Any]:
    statuses = status if isinstance(status, tuple) else (status,)
    assert response.status_code in statuses, response.text
    body = dict(response.json())
    assert body["message"], body
    return body


@pytest.mark.parametrize("occurred_at", [
    "2026-13-45T00:00:00Z", "yesterday", "2026-01-01T00:00:00", "9999-01-01T00:00:00Z",
    "1900-01-01T00:00:00Z",
])
def test_bad_dates_are_refused_and_change_nothing(road: Road, occurred_at: str) -> None:
    nurse = road.applicant()
    ref = nurse.open("peo", "p-eng")
    before = road.snapshot(ref)
    _refused(nurse.fire(ref, "submit", occurred_at=occurred_at), 422)
    assert road.snapshot(ref) == before


@pytest.mark.parametrize("reference", [
    "FT-2026-000001x", "ft-2026-1", "FT-99999-000001", "FT-2026-" + "9" * 30, "%00", "x" * 41,
])
def test_bad_references_are_not_found(road: Road, reference: str) -> None:
    _refused(road.oversight().get(f"/applications/{reference}"), (404, 422))


@pytest.mark.parametrize("query", [
    "limit=0", "limit=-1", "limit=100000", "limit=abc", "cursor=" + "9" * 50, "state=nonsense",
])
def test_pagination_and_filter_bounds(road: Road, query: str) -> None:
    _refused(road.oversight().get(f"/applications?{query}"), 422)


def test_enormous_strings_unknown_fields_and_wrong_content_types(road: Road) -> None:
    nurse = road.applicant()
    ref = nurse.open("peo", "p-eng")
    before = (road.snapshot(ref), road.applications())
    _refused(nurse.fire(ref, "submit", note="n" * 100_000), 422)
    _refused(nurse.fire(ref, "submit", shoe_size=44), 422)
    _refused(nurse.post("/applications", json={"regulator": "peo", "licence_class": "p-eng",
                                               "applicant_id": 1}), 422)
    _refused(nurse.post("/applications", json={"regulator": "r" * 10_000, "licence_class": "x"}), 422)
    wrong_type = road.client.post(f"{V1}/applications", content=b"regulator=peo&licence_class=p-eng",
                                  headers={**nurse.headers, "Content-Type": "text/plain"})
    _refused(wrong_type, (415, 422))
    broken_json = road.client.post(f"{V1}/applications/{ref}/events", content=b'{"trigger": ',
                                   headers={**nurse.headers, "Content-Type": "application/json"})
    _refused(broken_json, 422)
    _refused(road.client.post(f"{V1}/auth/register", json={"email": "e@example.org",
                                                           "password": "p" * 5000}), 422)
    assert (road.snapshot(ref), road.applications()) == before


def _refused_for_nul(response: Any, where: str) -> None:
    """PostgreSQL cannot store U+0000 (a 500 there once); both databases answer the same 422."""
    body = _refused(response, 422)
    assert body["error"] == "invalid_request" and body["where"] == where
    assert "NUL" in body["message"]


def test_a_nul_character_is_refused_in_every_kind_of_input_and_changes_nothing(road: Road) -> None:
    nurse, client = road.applicant(), road.client
    ref = nurse.open("peo", "p-eng")
    before = (road.snapshot(ref), road.applications())
    # The path and the query string, percent-encoded as a client sends them.
    _refused_for_nul(client.get(f"{V1}/applications/FT-2026%00-000001", headers=nurse.headers),
                     "path")
    _refused_for_nul(nurse.get("/applications?regulator=cm%00to"), "query string")
    _refused_for_nul(nurse.get("/applications?state=dr%00aft"), "query string")
    _refused_for_nul(client.get(f"{V1}/professions?q=nu%00rse"), "query string")
    # JSON bodies: a value, a nested value, a key; written as \u0000 or sent without a content type.
    _refused_for_nul(nurse.fire(ref, "submit", note="hello\u0000world"), "body")
    _refused_for_nul(nurse.post("/applications", json={"regulator": "peo\u0000",
                                                       "licence_class": "p-eng"}), "body")
    _refused_for_nul(nurse.fire(ref, "submit", **{"no\u0000te": "x"}), "body")
    untyped = client.post(f"{V1}/applications/{ref}/events", headers=nurse.headers,
                          content=b'{"trigger": "submit", "expected_version": 1, "note": "a\\u0000b"}')
    _refused_for_nul(untyped, "body")
    _refused_for_nul(client.post(f"{V1}/auth/register", json={
        "email": "a\u0000b@example.org", "password": "a long enough passphrase"}), "body")
    # Form bodies: the token endpoint and the login page, percent-encoded or raw.
    _refused_for_nul(client.post(f"{V1}/auth/token",
                                 data={"username": "a\u0000b@x.org", "password": "x" * 12}), "body")
    _refused_for_nul(client.post("/login", content=b"email=a%00b%40x.org&password=xxxxxxxxxxxx",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"}),
                     "body")
    assert (road.snapshot(ref), road.applications()) == before


def test_text_that_only_looks_like_a_nul_is_accepted(road: Road) -> None:
    """An escaped backslash before u0000, or %2500, is ordinary text, not U+0000."""
    nurse = road.applicant()
    ref = nurse.open("peo", "p-eng")
    submitted = nurse.fire(ref, "submit", note="C:\\u0000 and %00 are text here")
    assert submitted.status_code == 201, submitted.text
    assert nurse.get("/applications?regulator=%2500").status_code in (200, 422)
    assert nurse.get("/applications?regulator=%2500").json().get("where") is None


def test_a_deeply_nested_json_body_is_refused_with_422_not_a_crash(road: Road) -> None:
    """671 bytes of nested arrays once recursed through the NUL check into a 500."""
    body = b'{"email": ' + b"[" * 330 + b"]" * 330 + b"}"
    assert len(body) == 671
    response = road.client.post(f"{V1}/auth/register", content=body,
                                headers={"Content-Type": "application/json"})
    refused = _refused(response, 422)
    assert refused["error"] == "invalid_request" and "deep" in refused["message"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    # Far deeper than Python's recursion limit, and a shallow body still reaches its route.
    abyss = b"[" * 200_000 + b"]" * 200_000
    _refused(road.client.post(f"{V1}/auth/register", content=abyss,
                              headers={"Content-Type": "application/json"}), 422)
    _refused(road.client.post(f"{V1}/auth/register", content=b'{"email": [[["x"]]]}',
                              headers={"Content-Type": "application/json"}), 422)
    assert road.applications() == 0


def test_a_body_that_cannot_be_decoded_is_a_documented_400(road: Road) -> None:
    response = road.client.post(f"{V1}/auth/register", content=b'{"email": "\xff\xfe"}',
                                headers={"Content-Type": "application/json"})
    assert _refused(response, 400)["error"] == "malformed_body"
    spec = road.client.get("/openapi.json").json()
    with_bodies = [(path, method, operation) for path, item in spec["paths"].items()
                   for method, operation in item.items() if "requestBody" in operation]
    assert len(with_bodies) >= 5
    for path, method, operation in with_bodies:
        assert "400" in operation["responses"], f"{method.upper()} {path} does not document 400"


@pytest.mark.parametrize(("method", "path", "allowed"), [
    ("DELETE", "/api/v1/applications", {"GET", "POST"}),
    ("PUT", "/login", {"GET", "POST"}),
    ("PATCH", "/api/v1/me/profile", {"GET", "PUT"}),
])
def test_a_wrong_method_is_answered_405_with_every_allowed_method(
    road: Road, method: str, path: str, allowed: set[str]
) -> None:
    response = road.client.request(method, path)
    assert response.status_code == 405
    if path.startswith("/api/"):
        assert response.json()["message"]
    else:  # a page's refusal is a page (api/pages/errors.py), saying what happened
        assert response.headers["content-type"].startswith("text/html") and "<h1>" in response.text
    assert {m.strip() for m in response.headers["Allow"].split(",")} - {"HEAD"} == allowed
    assert response.headers["X-Content-Type-Options"] == "nosniff"
