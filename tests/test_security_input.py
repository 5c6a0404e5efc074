"""Bad input is a clear error: each answers 4xx with a message and changes nothing."""

from typing import Any

import pytest

from tests.road import Road

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
