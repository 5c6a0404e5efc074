"""Safeguards a fair process needs (issue 9, item 10), found when tried as a new user would.

- abandonment needs a response deadline given with the request (shown to the applicant), passed
  without a response, and written reasons: otherwise 409 naming the deadline;
- a back-dated event needs a written reason beyond the tolerance, is flagged high, and the time it
  moved between clocks shows: timeliness as recorded beside timeliness as back-dated;
- every service standard closes as met or missed when its holder decides (HPARB's stayed open).
Tribunal and court decisions need reasons (tests/flags/test_flags.py).
"""

from datetime import date, timedelta

from casefile.applications import apply_event
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from law.calendar import local_date
from tests.support.histories import Cast, on, refused_on, window
from tests.support.road import Road
from workflow.schemas import EventRequest


def test_abandoning_right_after_a_request_is_refused_naming_the_deadline(road: Road) -> None:
    cast = Cast(road)
    ref = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    on(cast.peo, ref, "request_information", date(2026, 3, 3), reasons="Transcripts, please.")
    body = refused_on(cast.peo, ref, "abandon", date(2026, 3, 3), 409, "deadline_conflict",
                      reasons="Nothing received.")
    assert "no response deadline was given" in body["message"]
    other = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    on(cast.peo, other, "request_information", date(2026, 3, 3), reasons="Transcripts, please.",
       respond_by="2026-04-02")
    shown = cast.applicant.get(f"/applications/{other}").json()["deadlines"]
    asked = next(d for d in shown if d["kind"] == "response_deadline")
    assert (asked["due_on"], asked["party"], asked["status"]) == ("2026-04-02", "applicant", "open")
    body = refused_on(cast.peo, other, "abandon", date(2026, 4, 2), 409, "deadline_conflict",
                      reasons="Nothing received.")
    assert (body["deadline"], body["last_day"]) == ("information_requested", "2026-04-02")
    body = refused_on(cast.peo, other, "abandon", date(2026, 4, 3), 422, "invalid_request")
    assert body["field"] == "reasons"
    closed = on(cast.peo, other, "abandon", date(2026, 4, 3),
                reasons="No transcripts by the date given; the file can be reopened on request.")
    assert closed["state"] == "abandoned"
    assert window(road, other, "information_requested").status == "lapsed"


def test_a_response_in_time_meets_the_response_deadline(road: Road) -> None:
    cast = Cast(road)
    ref = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    refused_on(cast.peo, ref, "request_information", date(2026, 3, 3), 422, "invalid_request",
               reasons="Transcripts.", respond_by="2026-03-03")  # not after the request
    on(cast.peo, ref, "request_information", date(2026, 3, 3), reasons="Transcripts.",
       respond_by="2026-04-02")
    on(cast.applicant, ref, "provide_information", date(2026, 3, 20), documents=["t.pdf"])
    assert window(road, ref, "information_requested").status == "met"


def test_a_back_dated_event_shows_the_time_it_moved_side_by_side(road: Road) -> None:
    """The regulator had the file under review for 200 days and records, today, that it asked
    for information 144 days ago: counted by the days events say they occurred, those 144 days
    look like the applicant's; counted by the days they were recorded, they were the regulator's.
    Both sums are shown, in the application's clocks and in the timeliness figures."""
    cast = Cast(road)
    now = utcnow()
    start = now - timedelta(days=200)
    ref = cast.applicant.opened_on(start, "peo", "p-eng")
    for version, (person, trigger) in enumerate(((cast.applicant, "submit"),
                                                 (cast.peo, "begin_review")), start=1):
        with transaction(road.sessions) as session:  # recorded as they happened, 200 days ago
            apply_event(session, person.actor, road.registry, ref,
                        EventRequest(trigger=trigger, expected_version=version),
                        now=start + timedelta(minutes=version))
    asked = now - timedelta(days=144)
    body = cast.peo.refused(ref, "request_information", 422, "invalid_request",
                            occurred_at=asked.isoformat(), reasons="Transcripts.")
    assert body["field"] == "backdated_because"
    cast.peo.step(ref, "request_information", occurred_at=asked.isoformat(),
                  reasons="Transcripts.", backdated_because="the letter was sent but not logged")
    cast.applicant.step(ref, "provide_information")
    cast.peo.step(ref, "issue_decision", outcome="registered")
    clock = next(c for c in cast.applicant.get(f"/applications/{ref}").json()["stage_clocks"]
                 if c["stage"] == "regulator_review")
    assert clock["paused_business_days"] > 90  # by the back-dated day: the applicant's
    assert clock["paused_business_days_as_recorded"] == 0  # by the record: nobody asked them
    assert (clock["attributable_business_days_as_recorded"]
            == clock["attributable_business_days"] + clock["paused_business_days"])
    figures = road.oversight().get("/oversight/timeliness", params={
        "regulator": "peo", "stage": "regulator_review", "period": "year",
        "since": (local_date(now) - timedelta(days=30)).isoformat()}).json()
    (row,) = figures["rows"]
    assert row["mean_attributable_business_days_as_recorded"] == (
        clock["attributable_business_days_as_recorded"])
    assert row["mean_attributable_business_days"] == clock["attributable_business_days"]
    assert row["mean_attributable_business_days_as_recorded"] > row[
        "mean_attributable_business_days"]


def test_the_appeal_boards_standard_closes_when_it_decides_and_199_days_late_is_missed(
    road: Road,
) -> None:
    """Project default: 180 calendar days from filing to decision (facts s. 7). HPARB decided on
    the 379th day: the standard closes as missed (it used to stay open, paused)."""
    cast = Cast(road)
    ref = cast.cno_before_hparb(date(2025, 1, 6))
    standard = window(road, ref, "appeal_board")
    assert (standard.status, standard.due_on) == ("open", date(2025, 7, 5))
    on(cast.hparb, ref, "decide_appeal", date(2026, 1, 20), outcome="dismissed",
       reasons="The committee's order stands.")
    closed = window(road, ref, "appeal_board")
    assert (closed.status, closed.paused_on) == ("missed", None)
    assert (closed.closed_on - closed.due_on).days == 199
    other = cast.cno_before_hparb(date(2025, 1, 6))
    on(cast.hparb, other, "decide_appeal", date(2025, 6, 1), outcome="dismissed",
       reasons="The committee's order stands.")
    assert window(road, other, "appeal_board").status == "met"
