"""The health route under the Health Professions Procedural Code (issue 9, item 5; facts s. 3).

The registrar registers or refers; the committee's every order but a plain registration opens the
30-day HPARB window; the applicant makes submissions or waives them in writing, and the window runs
to its last day; the request to HPARB says review or hearing; HPARB confirms, requires an order
the committee could have made, or refers back; either party may appeal to the Divisional Court,
and service of the notice of appeal (r. 61.04) is the act the window is judged by.
"""

from datetime import date

import pytest

from tests.support.histories import Cast, deadlines, flags, on, refused_on, window
from tests.support.road import Road


@pytest.mark.parametrize(
    ("outcome", "state"),
    [("refused", "refused_appealable"), ("registered_with_conditions", "conditions_appealable"),
     ("requirements", "requirements_outstanding")],
)
def test_every_committee_order_but_a_plain_registration_opens_the_hparb_window(
    road: Road, outcome: str, state: str
) -> None:
    """Code s. 19 or 21 (to verify): 30 days after receiving the committee's order."""
    ref = Cast(road).cno_committee_orders(date(2026, 3, 2), date(2026, 3, 4), outcome)
    assert road.snapshot(ref).state == state
    hparb = window(road, ref, "appeal_board_request")
    assert (hparb.starts_on, hparb.due_on, hparb.status) == (
        date(2026, 3, 4), date(2026, 4, 4), "open")


def test_a_plain_registration_by_the_committee_opens_no_window(road: Road) -> None:
    ref = Cast(road).cno_committee_orders(date(2026, 3, 2), date(2026, 3, 4), "registered")
    assert road.snapshot(ref).state == "licensed"
    assert [d.code for d in deadlines(road, ref) if d.kind == "statutory_window"] == [
        "committee_submissions"]


def test_terms_not_appealed_become_the_licence_when_the_window_lapses(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_committee_orders(date(2026, 3, 2), date(2026, 3, 4),
                                    "registered_with_conditions")
    assert road.scan(road.registry).lapsed == [ref]
    assert road.snapshot(ref).state == "licensed"


def test_submissions_keep_the_window_open_to_its_last_day_and_a_waiver_closes_it(
    road: Road,
) -> None:
    """Code s. 15(3) (to verify): 30 days for written submissions after notice of the referral."""
    cast = Cast(road)
    ref = cast.cno_referred(date(2026, 3, 2), date(2026, 3, 4))
    body = refused_on(cast.applicant, ref, "make_submissions", date(2026, 3, 10), 422,
                      "invalid_request")
    assert body["field"] == "note"
    on(cast.applicant, ref, "make_submissions", date(2026, 3, 10), documents=["letter.pdf"])
    submissions = window(road, ref, "committee_submissions")
    assert (submissions.status, submissions.acted_on) == ("open", date(2026, 3, 10))
    assert road.snapshot(ref).state == "referred_to_committee"
    waived = on(cast.applicant, ref, "waive_submissions", date(2026, 3, 12),
                note="I have nothing to add; please decide now.")
    assert waived["state"] == "committee_review"
    assert window(road, ref, "committee_submissions").status == "waived"
    on(cast.cno, ref, "issue_decision", date(2026, 3, 13), outcome="registered")
    assert flags(road, ref, "statutory_limit") == []


def test_a_committee_deciding_on_or_before_the_last_day_without_a_waiver_is_flagged(
    road: Road,
) -> None:
    """The window closes at the end of its last day (4 April 2026 here): the committee may take up
    the file early, but a decision on or before that day cuts the submissions short."""
    cast = Cast(road)
    ref = cast.cno_referred(date(2026, 3, 2), date(2026, 3, 4))
    on(cast.cno, ref, "begin_review", date(2026, 3, 20))
    assert window(road, ref, "committee_submissions").status == "open"  # still running
    on(cast.applicant, ref, "make_submissions", date(2026, 3, 25), note="My clinical hours.")
    on(cast.cno, ref, "issue_decision", date(2026, 4, 4), outcome="refused", reasons="Not met.")
    assert window(road, ref, "committee_submissions").status == "cut_short"
    (flag,) = [f for f in flags(road, ref, "statutory_limit")
               if f.evidence["deadline"] == "committee_submissions"]
    assert flag.severity == "high" and "without a written waiver" in flag.evidence["finding"]


def test_a_committee_deciding_after_the_last_day_used_the_submissions(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_referred(date(2026, 3, 2), date(2026, 3, 4))
    on(cast.applicant, ref, "make_submissions", date(2026, 3, 25), note="My clinical hours.")
    road.scan(road.registry, now=None)  # lapses the referral into the committee's review
    assert road.snapshot(ref).state == "committee_review"
    assert window(road, ref, "committee_submissions").status == "met"


def test_the_request_to_hparb_says_review_or_hearing(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 3, 2), date(2026, 3, 4))
    body = refused_on(cast.applicant, ref, "request_appeal", date(2026, 3, 10), 422,
                      "invalid_request")
    assert body["field"] == "review_or_hearing" and "review or a hearing" in body["message"]
    refused_on(cast.applicant, ref, "request_appeal", date(2026, 3, 10), 422, "invalid_request",
               review_or_hearing="mediation")
    on(cast.applicant, ref, "request_appeal", date(2026, 3, 10), review_or_hearing="review")
    events = cast.applicant.get(f"/applications/{ref}/timeline").json()["events"]
    assert events[-1]["payload"]["review_or_hearing"] == "review"


def test_hparb_requires_the_committee_to_make_an_order_it_could_have_made(road: Road) -> None:
    """HPARB's order (registration with terms here): either party may appeal it to the
    Divisional Court meanwhile; the committee carries out that order and no other."""
    cast = Cast(road)
    ref = cast.cno_before_hparb(date(2026, 3, 2))
    refused_on(cast.hparb, ref, "decide_appeal", date(2026, 3, 20), 422, "invalid_request",
               outcome="registered_with_conditions")  # no reasons, no decision document
    ordered = on(cast.hparb, ref, "decide_appeal", date(2026, 3, 20),
                 outcome="registered_with_conditions", documents=["hparb-decision.pdf"])
    assert ordered["state"] == "appeal_board_ordered"
    court = {d.code: (d.party, d.due_on) for d in deadlines(road, ref)
             if d.code in ("divisional_court_appeal", "college_court_appeal")}
    assert court == {"divisional_court_appeal": ("applicant", date(2026, 4, 20)),
                     "college_court_appeal": ("regulator", date(2026, 4, 20))}
    body = refused_on(cast.cno, ref, "issue_decision", date(2026, 4, 22), 409, "invalid_trigger",
                      outcome="registered")
    assert body["allowed"] == [{"trigger": "issue_decision",
                                "outcomes": ["registered_with_conditions"]}]
    done = on(cast.cno, ref, "issue_decision", date(2026, 4, 22),
              outcome="registered_with_conditions", reasons="As HPARB ordered.")
    assert done["state"] == "licensed"


def test_hparb_refers_back_and_an_order_of_requirements_goes_no_further_to_hparb(
    road: Road,
) -> None:
    cast = Cast(road)
    ref = cast.cno_before_hparb(date(2026, 3, 2))
    on(cast.hparb, ref, "decide_appeal", date(2026, 3, 20), outcome="requirements",
       reasons="An examination first.")
    on(cast.cno, ref, "issue_decision", date(2026, 4, 22), outcome="requirements",
       reasons="As HPARB ordered.", requirements=["examination"])
    assert road.snapshot(ref).state == "requirements_outstanding"
    refused_on(cast.applicant, ref, "request_appeal", date(2026, 4, 23), 409, "invalid_trigger",
               review_or_hearing="review")
    other = cast.cno_before_hparb(date(2026, 3, 2))
    back = on(cast.hparb, other, "decide_appeal", date(2026, 3, 20), outcome="remitted",
              reasons="Consider the new evidence.")
    assert back["state"] == "committee_review"


def test_the_college_may_appeal_hparbs_order_and_service_is_what_counts(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_before_hparb(date(2026, 3, 2))
    on(cast.hparb, ref, "decide_appeal", date(2026, 3, 4), outcome="registered",
       reasons="The hours were shown.")
    refused_on(cast.cno, ref, "college_court_appeal", date(2026, 4, 9), 422, "invalid_request")
    # Served on the last day (Tue 7 Apr 2026 under r. 1.03), recorded two days later: in time.
    moved = on(cast.cno, ref, "college_court_appeal", date(2026, 4, 9), served_on="2026-04-07")
    assert moved["state"] == "court_filed_by_college"
    windows = {d.code: d.status for d in deadlines(road, ref) if d.kind == "statutory_window"}
    assert windows["college_court_appeal"] == "met"
    # The applicant's own window had run out unused by then: lapsed, not cut short.
    assert windows["divisional_court_appeal"] == "lapsed"
    assert [f for f in flags(road, ref, "statutory_limit")
            if f.evidence["deadline"] in ("college_court_appeal", "divisional_court_appeal")] == []
    stands = on(cast.court, ref, "decide_court", date(2026, 9, 1), outcome="dismissed",
                reasons="HPARB's order was reasonable.")
    assert stands["state"] == "appeal_board_ordered"


def test_the_applicants_appeal_is_late_when_served_after_the_last_day(road: Road) -> None:
    """r. 61.04(1) (to verify): served within 30 days after the order; last day Tue 7 Apr."""
    cast = Cast(road)
    ref = cast.cno_appeal_dismissed(date(2026, 1, 5), date(2026, 3, 4))
    refused_on(cast.applicant, ref, "file_court_appeal", date(2026, 4, 6), 422,
               "invalid_request", served_on="2026-04-08")  # served after the filing recorded
    on(cast.applicant, ref, "file_court_appeal", date(2026, 4, 9), served_on="2026-04-08")
    assert window(road, ref, "divisional_court_appeal").status == "late"
