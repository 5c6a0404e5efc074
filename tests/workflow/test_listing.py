"""Reading applications: each caller sees their own scope, filtered and paged; a file's timeline."""

from datetime import UTC, datetime

import pytest

from tests.support.road import Person, Road


def references(person: Person, **params: str | int) -> list[str]:
    response = person.get("/applications", params={"limit": 100, **params})
    assert response.status_code == 200, response.text
    assert response.json()["next_cursor"] is None
    return [item["reference"] for item in response.json()["items"]]


def test_each_caller_sees_only_the_applications_in_their_scope(road: Road) -> None:
    nurse, other_nurse, engineer = road.applicant(), road.applicant(), road.applicant()
    cno, peo, nnas = road.regulator("cno"), road.regulator("peo"), road.assessor("nnas")
    hparb, court, ocf = road.tribunal("hparb"), road.tribunal("divisional-court"), road.oversight()
    nursing = nurse.open("cno", "rn")
    other_nursing = other_nurse.open("cno", "rpn")
    engineering = engineer.open("peo", "p-eng")

    assert references(nurse) == [nursing]
    assert references(engineer) == [engineering]
    assert references(cno) == [nursing, other_nursing]
    assert references(peo) == [engineering]
    # An assessor sees a file only once it came to it: drafts are the applicants' (need-to-know).
    assert references(nnas) == []
    assert references(road.assessor("wes")) == []
    assert references(hparb) == []
    assert references(court) == []
    assert references(ocf) == [nursing, other_nursing, engineering]

    # A case comes into HPARB's list when a committee order opens the time to ask HPARB (HPARB
    # may extend that time, even once it lapsed: issue 9), and it stays there afterwards.
    nurse.step(nursing, "submit")
    assert references(nnas) == [nursing]
    nnas.step(nursing, "start_assessment")
    nnas.step(nursing, "complete_assessment")
    cno.step(nursing, "begin_review")
    cno.step(nursing, "refer_to_committee", reasons="Practice hours are in doubt.")
    cno.step(nursing, "begin_review")
    assert references(hparb) == []
    cno.step(nursing, "issue_decision", outcome="refused", reasons="Practice hours not shown.")
    assert references(hparb) == [nursing]
    nurse.step(nursing, "request_appeal", review_or_hearing="review")
    assert references(hparb) == [nursing]
    hparb.step(nursing, "decide_appeal", outcome="remitted", reasons="Reconsider the hours.")
    assert references(hparb) == [nursing]
    assert references(road.tribunal("peo-registration-committee")) == []


def test_filters_by_state_stage_and_regulator(road: Road) -> None:
    nurse, engineer, ocf = road.applicant(), road.applicant(), road.oversight()
    peo = road.regulator("peo")
    draft_nursing = nurse.open("cno", "rn")
    submitted_nursing = nurse.open("cno", "rpn")
    nurse.step(submitted_nursing, "submit")
    reviewed_engineering = engineer.open("peo", "p-eng")
    engineer.step(reviewed_engineering, "submit")
    peo.step(reviewed_engineering, "begin_review")
    draft_engineering = engineer.open("peo", "eit")

    assert references(ocf, state="draft") == [draft_nursing, draft_engineering]
    assert references(ocf, state="assessment_queued") == [submitted_nursing]
    assert references(ocf, stage="regulator_review") == [reviewed_engineering]
    assert references(ocf, stage="intake") == [draft_nursing, draft_engineering]
    assert references(ocf, stage="closed") == []
    assert references(ocf, regulator="cno") == [draft_nursing, submitted_nursing]
    assert references(ocf, regulator="peo", stage="intake") == [draft_engineering]
    assert references(ocf, regulator="nobody") == []
    # Filters narrow the caller's scope; they never widen it.
    assert references(nurse, regulator="peo") == []
    assert references(peo, regulator="cno") == []


def test_pages_walk_every_application_exactly_once_even_as_new_ones_arrive(road: Road) -> None:
    teacher, ocf = road.applicant(), road.oversight()
    opened = [teacher.open("oct", "oct-certificate") for _ in range(7)]

    seen: list[str] = []
    cursor: str | None = None
    pages = 0
    while True:
        params: dict[str, str | int] = {"limit": 3}
        if cursor is not None:
            params["cursor"] = cursor
        page = ocf.get("/applications", params=params).json()
        pages += 1
        seen += [item["reference"] for item in page["items"]]
        assert len(page["items"]) <= 3
        if pages == 1:  # one more arrives while the reader is on the first page
            opened.append(teacher.open("oct", "oct-certificate"))
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == opened
    assert pages == 3

    one_by_one, cursor = [], None
    while True:
        page = teacher.get("/applications", params={"limit": 1, **(
            {"cursor": cursor} if cursor else {})}).json()
        one_by_one += [item["reference"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert one_by_one == opened


@pytest.mark.parametrize(
    "params",
    [
        {"limit": 0}, {"limit": 101}, {"limit": "ten"}, {"limit": -1},
        {"cursor": "abc"}, {"cursor": "-1"}, {"cursor": "1.5"}, {"cursor": "²"},
        {"cursor": "999999999999"}, {"cursor": "9" * 21},
        {"state": "approved"}, {"state": ""}, {"stage": "limbo"},
    ],
)
def test_a_bad_page_or_filter_is_refused_with_a_message(
    road: Road, params: dict[str, str | int]
) -> None:
    ocf = road.oversight()
    road.applicant().open("oct", "oct-certificate")
    response = ocf.get("/applications", params=params)
    assert response.status_code == 422, response.text
    assert response.json()["error"] == "invalid_request"
    assert response.json()["message"]


def test_an_application_shows_each_caller_the_steps_they_may_take_now(road: Road) -> None:
    nurse, nnas, cno, ocf = (road.applicant(), road.assessor("nnas"), road.regulator("cno"),
                             road.oversight())
    ref = nurse.open("cno", "rn")

    def offered(person: Person) -> list[dict[str, object]]:
        response = person.get(f"/applications/{ref}")
        assert response.status_code == 200
        return list(response.json()["allowed_triggers"])

    assert offered(nurse) == [{"trigger": "submit", "outcomes": []},
                              {"trigger": "withdraw", "outcomes": []}]
    assert offered(cno) == []
    assert offered(ocf) == []
    nurse.step(ref, "submit")
    assert offered(nnas) == [{"trigger": "start_assessment", "outcomes": []}]
    nnas.step(ref, "start_assessment")
    nnas.step(ref, "complete_assessment")
    cno.step(ref, "begin_review")
    assert offered(cno) == [
        {"trigger": "request_information", "outcomes": []},
        {"trigger": "refer_to_committee", "outcomes": []},
        {"trigger": "issue_decision", "outcomes": ["registered", "registered_with_conditions"]},
    ]
    assert offered(nurse) == [{"trigger": "withdraw", "outcomes": []}]
    view = nurse.get(f"/applications/{ref}").json()
    assert (view["state"], view["stage"], view["clock"], view["version"]) == (
        "under_review", "regulator_review", "regulator", 5)


def at(day: str) -> str:
    """Ten in the morning in Toronto (14:00 UTC in spring) on an ISO date."""
    return datetime.fromisoformat(f"{day}T14:00:00").replace(tzinfo=UTC).isoformat()


def test_the_timeline_lists_every_event_and_every_visit_with_its_durations(road: Road) -> None:
    nurse, nnas = road.applicant(), road.assessor("nnas")
    # Applied on Monday 14 April 2025. Good Friday (18 April) and Easter Monday (21 April) are
    # holidays under the Legislation Act, 2006, s. 87: three business days that week.
    ref = nurse.opened_on(datetime(2025, 4, 14, 14, tzinfo=UTC), "cno", "rn")
    assert ref.startswith("FT-2025-")
    late = {"backdated_because": "entered from the paper file"}
    nurse.step(ref, "submit", occurred_at=at("2025-04-21"), **late)
    nnas.step(ref, "start_assessment", occurred_at=at("2025-05-05"), **late)
    nnas.step(ref, "complete_assessment", occurred_at=at("2025-05-05"),
              note="Credentials verified at source.", **late)

    timeline = nurse.get(f"/applications/{ref}/timeline").json()
    assert timeline["application"]["reference"] == ref
    events = [(e["seq"], e["trigger"], e["from_state"], e["to_state"], e["actor_role"],
               e["actor_organization"]) for e in timeline["events"]]
    assert events == [
        (1, "create", None, "draft", "applicant", None),
        (2, "submit", "draft", "assessment_queued", "applicant", None),
        (3, "start_assessment", "assessment_queued", "assessment_in_progress", "assessor",
         "nnas"),
        (4, "complete_assessment", "assessment_in_progress", "submitted", "assessor", "nnas"),
    ]
    assert timeline["events"][3]["payload"] == {"note": "Credentials verified at source.",
                                                **late}
    assert len({e["hash"] for e in timeline["events"]}) == 4

    visits = [(i["state"], i["stage"], i["clock"], i["calendar_days"], i["business_days"],
               i["open"]) for i in timeline["intervals"]]
    assert visits[:3] == [
        ("draft", "intake", "applicant", 7, 3, False),
        # Submitted to NNAS: the wait for the assessor to start is the assessor's (issue 9).
        ("assessment_queued", "assessment", "assessor", 14, 10, False),
        ("assessment_in_progress", "assessment", "assessor", 0, 0, False),
    ]
    state, stage, clock, calendar_days, business_days, still_open = visits[3]
    assert (state, stage, clock, still_open) == ("submitted", "regulator_review", "regulator", True)
    assert calendar_days >= 365 and 0 < business_days < calendar_days  # an open visit runs to now
    assert timeline["intervals"][0]["entered_at"].startswith("2025-04-14T14:00:00")
    assert timeline["intervals"][0]["exited_at"].startswith("2025-04-21T14:00:00")
    assert timeline["intervals"][3]["exited_at"] is None
