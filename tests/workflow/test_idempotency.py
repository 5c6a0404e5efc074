"""Idempotency-Key: a write sent again with the same key gets the first answer and changes nothing."""

from typing import Any

from httpx import Response

from tests.support.road import Person, Road


def send(person: Person, ref: str, body: dict[str, Any], key: str) -> Response:
    return person.post(f"/applications/{ref}/events", json=body, headers={"Idempotency-Key": key})


def open_with_key(person: Person, body: dict[str, Any], key: str) -> Response:
    return person.post("/applications", json=body, headers={"Idempotency-Key": key})


def test_a_resent_event_gets_the_first_answer_and_adds_no_event(road: Road) -> None:
    engineer = road.applicant()
    ref = engineer.open("peo", "p-eng")
    body = {"trigger": "submit", "expected_version": 1, "note": "All transcripts attached."}

    first = send(engineer, ref, body, "submit-1")
    assert first.status_code == 201, first.text
    after_first = road.snapshot(ref)
    assert after_first.events == 2

    for _ in range(3):
        again = send(engineer, ref, body, "submit-1")
        assert again.status_code == first.status_code
        assert again.json() == first.json()
    assert road.snapshot(ref) == after_first


def test_without_a_key_the_same_event_sent_twice_is_refused_as_stale(road: Road) -> None:
    """The control for the test above: the key is what makes the resend safe."""
    engineer = road.applicant()
    ref = engineer.open("peo", "p-eng")
    body = {"trigger": "submit", "expected_version": 1}
    assert engineer.post(f"/applications/{ref}/events", json=body).status_code == 201
    resent = engineer.post(f"/applications/{ref}/events", json=body)
    assert resent.status_code == 409
    assert resent.json()["error"] == "version_conflict"


def test_a_retry_that_arrives_after_the_application_moved_on_still_gets_the_first_answer(
    road: Road,
) -> None:
    engineer, peo = road.applicant(), road.regulator("peo")
    ref = engineer.open("peo", "p-eng")
    body = {"trigger": "submit", "expected_version": 1}
    first = send(engineer, ref, body, "late-retry")
    assert first.status_code == 201
    peo.step(ref, "begin_review")
    before = road.snapshot(ref)

    late = send(engineer, ref, body, "late-retry")
    assert (late.status_code, late.json()) == (201, first.json())
    assert late.json()["application"]["state"] == "submitted"  # the answer then, not the state now
    assert road.snapshot(ref) == before


def test_the_same_key_for_a_different_request_is_refused(road: Road) -> None:
    engineer = road.applicant()
    ref = engineer.open("peo", "p-eng")
    other_ref = engineer.open("peo", "eit")
    body = {"trigger": "submit", "expected_version": 1}
    assert send(engineer, ref, body, "k").status_code == 201
    before, other_before = road.snapshot(ref), road.snapshot(other_ref)

    for different, target in (
        ({**body, "note": "one more thing"}, ref),
        ({"trigger": "withdraw", "expected_version": 1}, ref),
        ({**body, "expected_version": 2}, ref),
        (body, other_ref),  # the same body for another application is another request
    ):
        refused = send(engineer, target, different, "k")
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"] == "idempotency_key_reused"
        assert "new key" in refused.json()["message"]
    assert road.snapshot(ref) == before
    assert road.snapshot(other_ref) == other_before


def test_different_people_may_use_the_same_key_independently(road: Road) -> None:
    engineer, peo = road.applicant(), road.regulator("peo")
    ref = engineer.open("peo", "p-eng")
    submitted = send(engineer, ref, {"trigger": "submit", "expected_version": 1}, "monday-batch")
    reviewed = send(peo, ref, {"trigger": "begin_review", "expected_version": 2}, "monday-batch")
    assert submitted.status_code == reviewed.status_code == 201, reviewed.text
    assert reviewed.json()["application"]["state"] == "under_review"
    assert road.snapshot(ref).events == 3


def test_opening_an_application_twice_with_one_key_opens_it_once(road: Road) -> None:
    nurse = road.applicant()
    body = {"regulator": "cno", "licence_class": "rn", "assessor": "nnas"}
    first = open_with_key(nurse, body, "my-nursing-application")
    assert first.status_code == 201, first.text
    again = open_with_key(nurse, body, "my-nursing-application")
    assert (again.status_code, again.json()) == (201, first.json())
    assert road.applications() == 1
    listed = nurse.get("/applications").json()["items"]
    assert [a["reference"] for a in listed] == [first.json()["reference"]]


def test_opening_with_a_used_key_and_another_body_is_refused(road: Road) -> None:
    nurse = road.applicant()
    assert open_with_key(nurse, {"regulator": "cno", "licence_class": "rn"}, "k").status_code == 201
    refused = open_with_key(nurse, {"regulator": "cno", "licence_class": "rpn"}, "k")
    assert refused.status_code == 422
    assert refused.json()["error"] == "idempotency_key_reused"
    assert road.applications() == 1


def test_two_applicants_may_open_with_the_same_key(road: Road) -> None:
    body = {"regulator": "oct", "licence_class": "oct-certificate"}
    first = open_with_key(road.applicant(), body, "apply")
    second = open_with_key(road.applicant(), body, "apply")
    assert first.status_code == second.status_code == 201
    assert first.json()["reference"] != second.json()["reference"]
    assert road.applications() == 2


def test_a_key_used_to_open_an_application_cannot_be_reused_for_an_event(road: Road) -> None:
    teacher = road.applicant()
    opened = open_with_key(teacher, {"regulator": "oct", "licence_class": "oct-certificate"}, "k")
    ref = opened.json()["reference"]
    refused = send(teacher, ref, {"trigger": "submit", "expected_version": 1}, "k")
    assert refused.status_code == 422
    assert refused.json()["error"] == "idempotency_key_reused"
    assert road.snapshot(ref).version == 1
