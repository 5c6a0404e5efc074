"""The two journeys the workflow core promises, end to end over HTTP with tokens."""

from fairtrack.columns import utcnow
from law.calendar import local_date
from tests.support.road import Road


def test_health_application_goes_to_licence_through_refusal_hparb_and_a_remitting_court(
    road: Road,
) -> None:
    nurse = road.applicant()
    nnas = road.assessor("nnas")
    cno = road.regulator("cno")
    hparb = road.tribunal("hparb")
    court = road.tribunal("divisional-court")

    ref = nurse.open("cno", "rn")
    assert nurse.step(ref, "submit")["state"] == "assessment_queued"
    nnas.step(ref, "start_assessment")
    nnas.step(ref, "complete_assessment")
    cno.step(ref, "begin_review")
    cno.step(ref, "refer_to_committee", reasons="Doubts that the clinical hours requirement is met.")
    cno.step(ref, "begin_review")
    refused = cno.step(ref, "issue_decision", outcome="refused", reasons="Clinical hours not shown.")
    assert refused["state"] == "refused_appealable"
    nurse.step(ref, "request_appeal", review_or_hearing="hearing")
    hparb.step(ref, "open_hearing")
    dismissed = hparb.step(ref, "decide_appeal", outcome="dismissed", reasons="Order confirmed.")
    assert dismissed["state"] == "appeal_dismissed"
    nurse.step(ref, "file_court_appeal", served_on=local_date(utcnow()).isoformat())
    court.step(ref, "open_hearing")
    remitted = court.step(ref, "decide_court", outcome="remitted", reasons="Reconsider the evidence.")
    assert remitted["state"] == "committee_review"
    licensed = cno.step(ref, "issue_decision", outcome="registered")
    assert licensed["state"] == "licensed"

    timeline = nurse.get(f"/applications/{ref}/timeline").json()
    states = [i["state"] for i in timeline["intervals"]]
    assert states == [
        "draft", "assessment_queued", "assessment_in_progress", "submitted", "under_review",
        "referred_to_committee", "committee_review", "refused_appealable", "appeal_filed",
        "appeal_hearing", "appeal_dismissed", "court_filed", "court_hearing", "committee_review",
        "licensed",
    ]
    assert all(i["calendar_days"] >= 0 and i["business_days"] >= 0 for i in timeline["intervals"])
    assert [i["open"] for i in timeline["intervals"]].count(True) == 1
    assert len(timeline["events"]) == 15


def test_non_health_application_goes_through_its_internal_appeal(road: Road) -> None:
    engineer = road.applicant()
    peo = road.regulator("peo")
    committee = road.tribunal("peo-registration-committee")

    ref = engineer.open("peo", "p-eng")
    assert engineer.step(ref, "submit")["state"] == "submitted"
    peo.step(ref, "begin_review")
    peo.step(ref, "issue_decision", outcome="refused", reasons="Academic deficiencies not cleared.")
    engineer.step(ref, "request_appeal")
    allowed = committee.step(ref, "decide_appeal", outcome="allowed", reasons="Deficiencies met.")
    assert allowed["state"] == "licensed"
