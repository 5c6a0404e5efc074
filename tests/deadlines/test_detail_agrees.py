"""The application detail agrees with the public calculator (issue 9, item 2): for the same
window, decision day and way of sending, the deadline the write path recorded (and the detail
shows) is the calculator's last day, from the same day, over the same holidays. A property test
over dates from 2008 on, each window on its route, every way of sending."""

from datetime import date, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairtrack.columns import utcnow
from law.calendar import local_date
from law.windows import SentBy, calculate
from tests.support.histories import Cast, on
from tests.support.road import Road

LATEST = local_date(utcnow()) - timedelta(days=2)


def _notice(sent_by: SentBy | None, day: date) -> dict[str, Any]:
    return {"sent_by": sent_by.value, "sent_on": day.isoformat()} if sent_by else {}


def history(cast: Cast, window: str, day: date, sent_by: SentBy | None) -> tuple[str, str]:
    """An application whose last step on `day` opened `window`, sent as said: (ref, regulator)."""
    notice = _notice(sent_by, day)
    if window == "committee_submissions":
        ref = cast.cno_under_review(day, day)
        on(cast.cno, ref, "refer_to_committee", day, reasons="Doubts.", **notice)
        return ref, "cno"
    if window == "appeal_board_request":
        return cast.cno_refused_by_committee(day, day, **notice), "cno"
    if window == "internal_review_request":
        ref = cast.under_review("ocswssw", "rsw", day)
        on(cast.road.regulator("ocswssw"), ref, "issue_decision", day, outcome="refused",
           reasons="No.", **notice)
        return ref, "ocswssw"
    ref = cast.cno_before_hparb(day)
    outcome = "dismissed" if window == "divisional_court_appeal" else "registered"
    on(cast.hparb, ref, "decide_appeal", day, outcome=outcome, reasons="Reasons.", **notice)
    return ref, "cno"


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    window=st.sampled_from(["committee_submissions", "appeal_board_request",
                            "divisional_court_appeal", "college_court_appeal",
                            "internal_review_request"]),
    day=st.dates(min_value=date(2008, 1, 1), max_value=LATEST),
    sent_by=st.sampled_from([None, *SentBy]),
)
def test_the_detail_shows_the_calculators_last_day(
    road: Road, window: str, day: date, sent_by: SentBy | None
) -> None:
    cast = Cast(road)
    ref, regulator = history(cast, window, day, sent_by)
    shown = next(d for d in cast.applicant.get(f"/applications/{ref}").json()["deadlines"]
                 if d["code"] == window)
    calc = calculate(window, day, body=regulator, sent_by=sent_by)
    assert shown["due_on"] == calc.last_day.isoformat()
    assert shown["starts_on"] == calc.runs_from.isoformat()
    assert [(h["day"], h["name"]) for h in shown["holidays_stepped_over"]] == [
        (d.isoformat(), n) for d, n in calc.holidays_stepped_over]
    assert shown["counting"] == calc.counting.rule.value and shown["legal_basis"] == calc.window.citation
