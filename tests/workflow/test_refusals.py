"""Every refusal says why and changes nothing: not the state, the version, the log or the timeline."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest

from fairtrack.columns import utcnow
from law.calendar import local_date
from law.road import Role
from tests.support.road import Person, Road

REGISTRAR_UNDER_REVIEW = [
    {"trigger": "request_information", "outcomes": []},
    {"trigger": "refer_to_committee", "outcomes": []},
    # A health registrar may register (with terms only if the applicant consents), but not refuse
    # or set requirements alone: those go to the Registration Committee (RHPA Code, facts s. 3).
    {"trigger": "issue_decision", "outcomes": ["registered", "registered_with_conditions"]},
]


@dataclass
class NurseFile:
    """A nurse's CNO application after NNAS's assessment, under the registrar's review."""

    ref: str
    nurse: Person
    nnas: Person
    cno: Person


@pytest.fixture
def nurse_file(road: Road) -> NurseFile:
    nurse, nnas, cno = road.applicant(), road.assessor("nnas"), road.regulator("cno")
    ref = nurse.open("cno", "rn")
    nurse.step(ref, "submit")
    nnas.step(ref, "start_assessment")
    nnas.step(ref, "complete_assessment")
    cno.step(ref, "begin_review")
    return NurseFile(ref, nurse, nnas, cno)


@pytest.fixture
def nurse_draft(road: Road) -> NurseFile:
    """A nurse's CNO application still in draft: enough for refusals that never reach the road."""
    nurse, nnas, cno = road.applicant(), road.assessor("nnas"), road.regulator("cno")
    return NurseFile(nurse.open("cno", "rn"), nurse, nnas, cno)


@pytest.fixture
def engineer_file(road: Road) -> tuple[str, Person]:
    """An engineer's PEO application under review (a non-health regulator: it may refuse itself)."""
    engineer, peo = road.applicant(), road.regulator("peo")
    ref = engineer.open("peo", "p-eng")
    engineer.step(ref, "submit")
    peo.step(ref, "begin_review")
    return ref, peo


def test_an_unknown_trigger_is_refused_naming_what_the_caller_may_do_now(
    nurse_file: NurseFile,
) -> None:
    body = nurse_file.cno.refused(nurse_file.ref, "approve_everything", 409, "invalid_trigger")
    assert body["state"] == "under_review"
    assert body["allowed"] == REGISTRAR_UNDER_REVIEW
    assert "approve_everything" in body["message"]


def test_a_trigger_that_is_no_step_from_here_is_refused_with_the_allowed_ones(
    nurse_file: NurseFile,
) -> None:
    body = nurse_file.cno.refused(nurse_file.ref, "begin_review", 409, "invalid_trigger")
    assert body["allowed"] == REGISTRAR_UNDER_REVIEW
    assert "under_review" in body["message"]
    # The applicant may only withdraw while the registrar reviews: an appeal is premature.
    body = nurse_file.nurse.refused(nurse_file.ref, "request_appeal", 409, "invalid_trigger")
    assert body["allowed"] == [{"trigger": "withdraw", "outcomes": []}]


@pytest.mark.parametrize(
    ("who", "trigger", "fields"),
    [
        ("nurse", "begin_review", {}),
        ("nurse", "issue_decision", {"outcome": "registered"}),
        ("nnas", "issue_decision", {"outcome": "registered"}),
        ("cno", "withdraw", {}),
        ("cno", "decide_appeal", {"outcome": "allowed"}),
        ("cno", "lapse", {}),
    ],
)
def test_a_trigger_for_another_role_is_forbidden(
    nurse_file: NurseFile, who: str, trigger: str, fields: dict[str, Any]
) -> None:
    person: Person = getattr(nurse_file, who)
    body = person.refused(nurse_file.ref, trigger, 403, "forbidden", **fields)
    assert person.role.value in body["message"]


@pytest.mark.parametrize("trigger", ["request_information", "withdraw", "lapse", "decide_appeal"])
def test_oversight_reads_everything_but_never_moves_an_application(
    road: Road, nurse_file: NurseFile, trigger: str
) -> None:
    ocf = road.oversight()
    assert ocf.get(f"/applications/{nurse_file.ref}").status_code == 200
    ocf.refused(nurse_file.ref, trigger, 403, "forbidden")


def test_an_admin_does_not_move_applications_either(road: Road, nurse_file: NurseFile) -> None:
    road.person(Role.admin).refused(
        nurse_file.ref, "request_information", 403, "forbidden"
    )


def test_staff_of_another_organization_cannot_even_see_the_application(
    road: Road, nurse_file: NurseFile
) -> None:
    """404 rather than 403: a stranger must not learn that the application exists."""
    cpso, wes, other_nurse = road.regulator("cpso"), road.assessor("wes"), road.applicant()
    cpso.refused(nurse_file.ref, "request_information", 404, "not_found")
    wes.refused(nurse_file.ref, "start_assessment", 404, "not_found")
    other_nurse.refused(nurse_file.ref, "withdraw", 404, "not_found")
    for stranger in (cpso, wes, other_nurse):
        assert stranger.get(f"/applications/{nurse_file.ref}").status_code == 404
        assert stranger.get(f"/applications/{nurse_file.ref}/timeline").status_code == 404
    unknown = "FT-2026-999999"
    assert cpso.get(f"/applications/{unknown}").json()["message"].replace(unknown, "X") == (
        cpso.get(f"/applications/{nurse_file.ref}").json()["message"].replace(nurse_file.ref, "X")
    )


def test_an_appeal_body_cannot_decide_for_the_court_nor_the_court_for_the_appeal_body(
    road: Road, nurse_file: NurseFile
) -> None:
    ref, nurse, cno = nurse_file.ref, nurse_file.nurse, nurse_file.cno
    hparb, court = road.tribunal("hparb"), road.tribunal("divisional-court")
    cno.step(ref, "refer_to_committee", reasons="Practice hours are in doubt.")
    cno.step(ref, "begin_review")
    cno.step(ref, "issue_decision", outcome="refused", reasons="Practice hours not shown.")
    nurse.step(ref, "request_appeal", review_or_hearing="hearing")
    hparb.step(ref, "open_hearing")
    # The court has nothing before it yet: it does not see the case, let alone decide it.
    court.refused(ref, "decide_appeal", 404, "not_found", outcome="allowed")
    hparb.step(ref, "decide_appeal", outcome="dismissed", reasons="The order was reasonable.")
    nurse.step(ref, "file_court_appeal", served_on=local_date(utcnow()).isoformat())
    court.step(ref, "open_hearing")

    body = hparb.refused(ref, "decide_court", 403, "forbidden", outcome="allowed")
    assert "another organization" in body["message"]
    assert body["allowed"] == []
    # Another appeal body (a non-health one) never heard this nurse at all.
    road.tribunal("peo-registration-committee").refused(
        ref, "decide_court", 404, "not_found", outcome="allowed"
    )
    allowed = court.step(ref, "decide_court", outcome="allowed", reasons="The board erred.")
    assert allowed["state"] == "licensed"


def test_a_stale_expected_version_is_a_conflict_that_says_the_current_version(
    nurse_file: NurseFile,
) -> None:
    ref, cno = nurse_file.ref, nurse_file.cno
    current = cno.version(ref)
    for stale in (current - 1, current + 1, 0):
        body = cno.refused(ref, "request_information", 409, "version_conflict",
                           expected_version=stale)
        assert body["current_version"] == current
        assert str(current) in body["message"]


def test_occurred_at_can_be_back_dated_but_not_into_the_future_nor_before_the_last_event(
    road: Road, nurse_file: NurseFile
) -> None:
    ref, cno = nurse_file.ref, nurse_file.cno
    now = utcnow()
    body = cno.refused(ref, "request_information", 422, "invalid_request",
                       occurred_at=(now + timedelta(minutes=5)).isoformat())
    assert body["field"] == "occurred_at" and "future" in body["message"]
    body = cno.refused(ref, "request_information", 422, "invalid_request",
                       occurred_at=(now - timedelta(days=400)).isoformat(),
                       backdated_because="found in the paper file")
    assert body["field"] == "occurred_at" and "previous event" in body["message"]
    # Far outside any calendar the log could hold, in a zone east of UTC.
    cno.refused(ref, "request_information", 422, "invalid_request",
                occurred_at="0001-01-01T00:00:00+05:00")
    cno.refused(ref, "request_information", 422, "invalid_request",
                occurred_at="9999-12-31T23:59:59-05:00")

    last = cno.get(f"/applications/{ref}/timeline").json()["events"][-1]["occurred_at"]
    moved = cno.fire(ref, "request_information", occurred_at=last)
    assert moved.status_code == 201, moved.text
    assert moved.json()["event"]["occurred_at"] == last


def test_occurred_at_without_a_time_zone_is_refused(nurse_file: NurseFile) -> None:
    body = nurse_file.cno.refused(
        nurse_file.ref, "request_information", 422, "invalid_request",
        occurred_at=utcnow().replace(tzinfo=None).isoformat(),
    )
    assert "time zone" in body["message"]


@pytest.mark.parametrize("outcome", ["refused", "registered_with_conditions", "requirements"])
@pytest.mark.parametrize("reasons", [None, "", "   \n "])
def test_a_decision_against_the_applicant_needs_written_reasons(
    engineer_file: tuple[str, Person], outcome: str, reasons: str | None
) -> None:
    ref, peo = engineer_file
    fields: dict[str, Any] = {"outcome": outcome, "requirements": ["examination"]}
    if reasons is not None:
        fields["reasons"] = reasons
    if outcome != "requirements":
        fields.pop("requirements")
    body = peo.refused(ref, "issue_decision", 422, "invalid_request", **fields)
    assert body["field"] == "reasons"
    assert outcome in body["message"]


def test_the_registration_committee_also_gives_reasons(
    road: Road, nurse_file: NurseFile
) -> None:
    ref, cno = nurse_file.ref, nurse_file.cno
    cno.step(ref, "refer_to_committee", reasons="Practice hours are in doubt.")
    cno.step(ref, "begin_review")
    body = cno.refused(ref, "issue_decision", 422, "invalid_request", outcome="refused")
    assert body["field"] == "reasons"
    assert cno.step(ref, "issue_decision", outcome="refused", reasons="Hours not shown.")[
        "state"
    ] == "refused_appealable"


def test_requirements_must_be_named_from_the_known_codes(
    engineer_file: tuple[str, Person],
) -> None:
    ref, peo = engineer_file
    reasons = "Two academic deficiencies remain."
    body = peo.refused(ref, "issue_decision", 422, "invalid_request",
                       outcome="requirements", reasons=reasons)
    assert body["field"] == "requirements"
    body = peo.refused(ref, "issue_decision", 422, "invalid_request",
                       outcome="requirements", reasons=reasons, requirements=["charm_school"])
    assert "charm_school" in body["message"]
    moved = peo.step(ref, "issue_decision", outcome="requirements", reasons=reasons,
                     requirements=["examination", "canadian_experience"],
                     alternatives_accepted=True)
    assert moved["state"] == "requirements_outstanding"


@pytest.mark.parametrize("outcome", ["refused", "requirements"])
def test_a_health_registrar_cannot_refuse_or_set_requirements_alone(
    nurse_file: NurseFile, outcome: str
) -> None:
    """RHPA Code (facts s. 3): a refusal or requirements go to the Registration Committee."""
    body = nurse_file.cno.refused(
        nurse_file.ref, "issue_decision", 409, "invalid_trigger",
        outcome=outcome, reasons="The registrar's own view.", requirements=["examination"],
    )
    assert outcome in body["message"]
    assert {"trigger": "refer_to_committee", "outcomes": []} in body["allowed"]


def test_a_health_registrar_imposes_terms_only_with_the_applicants_consent(
    nurse_file: NurseFile,
) -> None:
    """RHPA Code (facts s. 3): terms the applicant does not accept go to the committee."""
    ref, cno = nurse_file.ref, nurse_file.cno
    terms = {"outcome": "registered_with_conditions", "reasons": "Supervised practice, 6 months."}
    body = cno.refused(ref, "issue_decision", 422, "invalid_request", **terms)
    assert body["field"] == "consent_to_conditions" and "Registration Committee" in body["message"]
    cno.refused(ref, "issue_decision", 422, "invalid_request", consent_to_conditions=False,
                **terms)
    assert cno.step(ref, "issue_decision", consent_to_conditions=True, **terms)["state"] == (
        "licensed")


def test_a_decision_needs_an_outcome_of_its_own_kind(nurse_file: NurseFile) -> None:
    ref, cno = nurse_file.ref, nurse_file.cno
    body = cno.refused(ref, "issue_decision", 422, "invalid_request")
    assert body["field"] == "outcome" and "registered" in body["message"]
    for wrong in ("approved", "dismissed", "remitted"):
        body = cno.refused(ref, "issue_decision", 422, "invalid_request", outcome=wrong)
        assert body["field"] == "outcome"


def test_a_trigger_that_takes_no_outcome_refuses_one(nurse_file: NurseFile) -> None:
    body = nurse_file.cno.refused(nurse_file.ref, "request_information", 422, "invalid_request",
                                  outcome="registered")
    assert body["field"] == "outcome" and "takes no outcome" in body["message"]


@pytest.mark.parametrize(
    "reference",
    ["nonsense", "FT-2026-12", "FT-26-000001", "ft-2026-000001", "FT-2026-000001x",
     "FT-2026-999999999999", "FT-2026-٠٠٠٠٠١", "FT-1999-{id}", "FT-2026-0{id}"],
)
def test_a_malformed_or_unknown_reference_is_not_found(
    nurse_draft: NurseFile, reference: str
) -> None:
    nurse_file = nurse_draft
    app_id = int(nurse_file.ref.rsplit("-", 1)[1])
    reference = reference.format(id=f"{app_id:06d}")
    before = nurse_file.cno.road.snapshot(nurse_file.ref)
    for response in (
        nurse_file.cno.post(f"/applications/{reference}/events",
                            json={"trigger": "request_information", "expected_version": 5}),
        nurse_file.cno.get(f"/applications/{reference}"),
        nurse_file.cno.get(f"/applications/{reference}/timeline"),
    ):
        assert response.status_code == 404, response.text
        assert response.json()["error"] == "not_found"
    assert nurse_file.cno.road.snapshot(nurse_file.ref) == before


@pytest.mark.parametrize(
    "extra", [{"state": "licensed"}, {"version": 99}, {"actor_role": "regulator"}, {"hash": "0"}]
)
def test_a_caller_cannot_set_what_only_the_road_decides(
    nurse_draft: NurseFile, extra: dict[str, Any]
) -> None:
    body = nurse_draft.nurse.refused(nurse_draft.ref, "withdraw", 422, "invalid_request", **extra)
    assert next(iter(extra)) in body["message"]


@pytest.mark.parametrize(
    "raw",
    [
        b"not json",
        b"[]",
        b'"withdraw"',
        b"{}",
        b'{"trigger": "withdraw"}',
        b'{"trigger": "withdraw", "expected_version": -1}',
        b'{"trigger": "withdraw", "expected_version": "five"}',
        b'{"trigger": "withdraw", "expected_version": 1e400}',
        b'{"trigger": "", "expected_version": 5}',
        b'{"trigger": null, "expected_version": 5}',
        b'{"trigger": "' + b"w" * 41 + b'", "expected_version": 5}',
        b'{"trigger": "withdraw", "expected_version": 5, "occurred_at": "yesterday"}',
        b'{"trigger": "withdraw", "expected_version": 5, "requirements": "examination"}',
        b'{"trigger": "withdraw", "expected_version": 5, "documents": [""]}',
        b'{"trigger": "withdraw", "expected_version": 5, "note": "' + b"x" * 5001 + b'"}',
    ],
)
def test_a_malformed_body_is_refused_with_a_message_never_a_crash(
    road: Road, nurse_draft: NurseFile, raw: bytes
) -> None:
    nurse_file = nurse_draft
    before = road.snapshot(nurse_file.ref)
    response = road.client.post(
        f"/api/v1/applications/{nurse_file.ref}/events",
        content=raw,
        headers={**nurse_file.nurse.headers, "Content-Type": "application/json"},
    )
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert response.json()["message"]
    assert road.snapshot(nurse_file.ref) == before
