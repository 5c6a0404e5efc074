"""Receipt, not decision date (issue 9, item 3) and no file closed against the law (item 4).

facts/ontario.md s. 3 and s. 5: HPARB's window runs 30 days after *receiving* the committee's
decision; a notice by regular mail is deemed received on the fifth day after mailing
(Statutory Powers Procedure Act s. 18, to verify) unless its actual receipt is recorded. A window lapses only
once its last day has fully passed in Ontario time; HPARB and the court (Rules of Civil Procedure
r. 3.02) can extend a window or reopen one that lapsed, by a reasoned order; a regulator cannot
abandon a file while one of the applicant's windows is open.
"""

from datetime import date, datetime, time

import pytest

from accounts.actor import SYSTEM
from casefile.applications import apply_event
from fairtrack.database import transaction
from fairtrack.errors import DeadlineConflict
from law.calendar import TORONTO
from tests.support.histories import Cast, deadlines, flags, noon, on, refused_on, window
from tests.support.road import Road
from workflow.schemas import EventRequest


def test_a_decision_sent_by_regular_mail_runs_from_its_deemed_receipt(road: Road) -> None:
    """SPPA s. 18 (to verify): mailed Sun 20 Nov 2022, deemed received Fri 25 Nov; +30 = Sun
    25 Dec; Mon 26 Boxing Day; Tue 27 (s. 88(5)): the last day is Wednesday 28 December."""
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2022, 11, 1), date(2022, 11, 18),
                                        sent_on="2022-11-20", sent_by="regular_mail")
    hparb = window(road, ref, "appeal_board_request")
    assert (hparb.starts_on, hparb.due_on) == (date(2022, 11, 25), date(2022, 12, 28))
    assert hparb.receipt_basis is not None and "fifth day after mailing" in hparb.receipt_basis
    detail = cast.applicant.get(f"/applications/{ref}").json()
    shown = next(d for d in detail["deadlines"] if d["code"] == "appeal_board_request")
    assert shown["receipt_basis"] == hparb.receipt_basis
    assert [h["day"] for h in shown["holidays_stepped_over"]] == [
        "2022-12-25", "2022-12-26", "2022-12-27"]


def test_without_a_recorded_sending_the_decision_day_is_taken_and_said_to_be(road: Road) -> None:
    ref = Cast(road).cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4))
    hparb = window(road, ref, "appeal_board_request")
    assert hparb.starts_on == date(2026, 3, 4)
    assert hparb.receipt_basis is not None and "no sending recorded" in hparb.receipt_basis


def test_the_actual_receipt_recorded_later_moves_the_window(road: Road) -> None:
    """The applicant records when the decision actually reached them: the window runs from it."""
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4), sent_by="email")
    assert window(road, ref, "appeal_board_request").due_on == date(2026, 4, 4)
    on(cast.applicant, ref, "record_receipt", date(2026, 3, 12), received_on="2026-03-10")
    moved = window(road, ref, "appeal_board_request")
    assert (moved.starts_on, moved.due_on) == (date(2026, 3, 10), date(2026, 4, 9))
    assert moved.receipt_basis is not None and "actual receipt recorded" in moved.receipt_basis
    refused = cast.applicant.refused(ref, "record_receipt", 422, "invalid_request")
    assert refused["field"] == "received_on"


def test_the_scan_lapses_only_after_the_last_day_from_the_deemed_receipt(road: Road) -> None:
    """Mailed Wed 4 Mar 2026: deemed received Mon 9 Mar; +30 = Wed 8 Apr. Without the deeming
    the window would have lapsed on 5 April: the file would have been closed against the law."""
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4),
                                        sent_by="regular_mail")
    assert window(road, ref, "appeal_board_request").due_on == date(2026, 4, 8)
    for moment in (noon(date(2026, 4, 5)),
                   datetime.combine(date(2026, 4, 8), time(23, 59), tzinfo=TORONTO)):
        assert road.scan(road.registry, now=moment).lapsed == []
    assert road.snapshot(ref).state == "refused_appealable"
    assert road.scan(road.registry, now=noon(date(2026, 4, 9))).lapsed == [ref]
    assert window(road, ref, "appeal_board_request").status == "lapsed"


def test_the_write_path_refuses_a_lapse_before_the_last_day_has_passed(road: Road) -> None:
    ref = Cast(road).cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4))
    last_evening = datetime.combine(date(2026, 4, 4), time(23, 30), tzinfo=TORONTO)
    request = EventRequest(trigger="lapse", expected_version=road.version_of(ref),
                           occurred_at=last_evening, backdated_because="a test")
    with pytest.raises(DeadlineConflict) as refused, transaction(road.sessions) as session:
        apply_event(session, SYSTEM, road.registry, ref, request)
    assert refused.value.details == {"deadline": "appeal_board_request", "last_day": "2026-04-04"}
    assert road.snapshot(ref).state == "refused_appealable"


def test_hparb_extends_an_open_window_by_a_reasoned_order(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4))
    day = date(2026, 3, 20)
    body = refused_on(cast.hparb, ref, "extend_appeal_time", day, 422, "invalid_request",
                      window="appeal_board_request", until="2026-05-01")
    assert body["field"] == "reasons"
    shorter = refused_on(cast.hparb, ref, "extend_appeal_time", day, 422, "invalid_request",
                         window="appeal_board_request", until="2026-04-01", reasons="Short.")
    assert shorter["field"] == "until" and "2026-04-04" in shorter["message"]
    wrong = refused_on(cast.hparb, ref, "extend_appeal_time", day, 422, "invalid_request",
                       window="divisional_court_appeal", until="2026-05-01",
                       reasons="The wrong window.")
    assert wrong["field"] == "window"
    on(cast.hparb, ref, "extend_appeal_time", date(2026, 3, 20), window="appeal_board_request",
       until="2026-05-01", reasons="The applicant was in hospital.")
    extended = window(road, ref, "appeal_board_request")
    assert (extended.due_on, extended.original_due_on) == (date(2026, 5, 1), date(2026, 4, 4))
    assert road.scan(road.registry, now=noon(date(2026, 4, 20))).lapsed == []
    on(cast.applicant, ref, "request_appeal", date(2026, 4, 28), review_or_hearing="review")
    assert window(road, ref, "appeal_board_request").status == "met"


def test_hparb_reopens_a_lapsed_window_and_the_late_request_is_then_in_time(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4))
    road.scan(road.registry, now=noon(date(2026, 4, 6)))
    assert road.snapshot(ref).state == "refused"
    # The case never came to the court: it does not even see it.
    refused_on(cast.court, ref, "extend_court_time", date(2026, 4, 10), 404, "not_found",
               window="divisional_court_appeal", until="2026-05-01", reasons="No.")
    moved = on(cast.hparb, ref, "extend_appeal_time", date(2026, 4, 10),
               window="appeal_board_request", until="2026-04-24",
               reasons="Accepting a late request: the decision went to an old address.")
    assert moved["state"] == "refused_appealable"
    reopened = [d for d in deadlines(road, ref) if d.code == "appeal_board_request"]
    assert [d.status for d in reopened] == ["lapsed", "open"]
    assert reopened[1].due_on == date(2026, 4, 24) and "reopened" in (reopened[1].receipt_basis
                                                                       or "")
    on(cast.applicant, ref, "request_appeal", date(2026, 4, 15), review_or_hearing="review")
    assert [d.status for d in deadlines(road, ref) if d.code == "appeal_board_request"] == [
        "lapsed", "met"]


def test_the_court_reopens_a_lapsed_appeal_and_service_in_time_meets_it(road: Road) -> None:
    """Rules of Civil Procedure r. 3.02: the court may extend a time, even once it has run out."""
    cast = Cast(road)
    ref = cast.cno_appeal_dismissed(date(2026, 1, 5), date(2026, 3, 4))
    road.scan(road.registry, now=noon(date(2026, 4, 8)))  # last day Tue 7 Apr (r. 1.03)
    assert road.snapshot(ref).state == "refused"
    assert cast.court.get(f"/applications/{ref}").status_code == 200
    on(cast.court, ref, "extend_court_time", date(2026, 4, 15), window="divisional_court_appeal",
       until="2026-04-30", reasons="Order extending the time to appeal (r. 3.02).")
    assert road.snapshot(ref).state == "appeal_dismissed"
    on(cast.court, ref, "record_court_filing", date(2026, 4, 29), served_on="2026-04-28")
    codes = [(d.status, d.due_on) for d in deadlines(road, ref)
             if d.code == "divisional_court_appeal"]
    assert codes == [("lapsed", date(2026, 4, 7)), ("met", date(2026, 4, 30))]
    assert [f for f in flags(road, ref, "statutory_limit")
            if f.evidence["deadline"] == "divisional_court_appeal"] == []


def test_a_regulator_cannot_abandon_while_the_applicants_window_is_open(road: Road) -> None:
    """An order to complete requirements opens HPARB's window (Code): the file stays open."""
    cast = Cast(road)
    ref = cast.cno_committee_orders(date(2026, 3, 2), date(2026, 3, 4), "requirements",
                                    respond_by="2026-03-20")
    body = refused_on(cast.cno, ref, "abandon", date(2026, 3, 25), 409, "deadline_conflict",
                      reasons="No response to our letter.")
    assert (body["deadline"], body["last_day"]) == ("appeal_board_request", "2026-04-04")
    assert "2026-04-04" in body["message"]
