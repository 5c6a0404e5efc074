"""Deadlines computed on each event: every statutory window with hand-worked dates, standards, lapse.

Windows (deadlines/law.py; facts/ontario.md s. 3, s. 5): 30 days, the first day excluded and the last
included; a last day that is a holiday moves to the next day that is not one (Legislation Act, 2006
s. 89 for the Code's windows; the Rules of Civil Procedure, where Saturdays are holidays too, for the
Divisional Court appeal).
"""

from datetime import date, datetime, time

import pytest

from law.calendar import TORONTO
from tests.support.histories import Cast, deadlines, flags, noon, on, window
from tests.support.road import Road

# (day the window opens, its last day worked out by hand, why)
ACT_CASES = [
    (date(2026, 3, 4), date(2026, 4, 4), "+30 = Good Friday 3 Apr; s. 89: Saturday 4 Apr is no holiday"),
    (date(2022, 11, 25), date(2022, 12, 28), "+30 = Sun 25 Dec; Mon 26 Boxing Day; Tue 27 s. 88(5)"),
    (date(2026, 4, 3), date(2026, 5, 4), "+30 = Sunday 3 May (s. 87); s. 89: Monday 4 May"),
    (date(2026, 4, 2), date(2026, 5, 2), "+30 = Saturday 2 May: not a holiday under the Act"),
    (date(2022, 12, 3), date(2023, 1, 3), "+30 = Mon 2 Jan 2023, holiday by s. 88(3); Tue 3 Jan"),
]
RULES_CASES = [
    (date(2026, 3, 4), date(2026, 4, 7), "+30 = Good Friday; Sat, Sun, Easter Monday: Tue 7 Apr"),
    (date(2026, 4, 2), date(2026, 5, 4), "+30 = Saturday 2 May, a holiday under the Rules: Mon 4"),
    (date(2021, 11, 25), date(2021, 12, 29),
     "+30 = Sat 25 Dec; Sun 26; Mon 27 and Tue 28 by r. 1.03 (Christmas on a Saturday): Wed 29"),
]


@pytest.mark.parametrize(("opened", "last_day", "why"), ACT_CASES)
def test_committee_submissions_window(road: Road, opened: date, last_day: date, why: str) -> None:
    """Code s. 15(3) (to verify): 30 days to make written submissions after notice of referral."""
    cast = Cast(road)
    ref = cast.cno_referred(date(2021, 1, 4), opened)
    deadline = window(road, ref, "committee_submissions")
    assert (deadline.starts_on, deadline.due_on) == (opened, last_day), why
    assert deadline.party == "applicant"
    assert deadline.counting == "legislation_act"
    assert "s. 15(3)" in deadline.legal_basis and "to verify" in (deadline.to_verify or "")


@pytest.mark.parametrize(("refused", "last_day", "why"), ACT_CASES)
def test_appeal_board_request_window(road: Road, refused: date, last_day: date, why: str) -> None:
    """Code s. 19 or 21 (to verify): 30 days after receiving the committee's decision."""
    ref = Cast(road).cno_refused_by_committee(date(2021, 1, 4), refused)
    deadline = window(road, ref, "appeal_board_request")
    assert (deadline.starts_on, deadline.due_on) == (refused, last_day), why
    assert deadline.party == "applicant" and deadline.status == "open"
    assert "HPARB" in deadline.legal_basis


@pytest.mark.parametrize(("dismissed", "last_day", "why"), RULES_CASES)
def test_divisional_court_appeal_window(road: Road, dismissed: date, last_day: date, why: str) -> None:
    """Code s. 70, r. 61.04(1) (to verify): 30 days after the order, counted under the Rules."""
    ref = Cast(road).cno_appeal_dismissed(date(2021, 1, 4), dismissed)
    deadline = window(road, ref, "divisional_court_appeal")
    assert (deadline.starts_on, deadline.due_on) == (dismissed, last_day), why
    assert deadline.counting == "civil_procedure"
    assert "61.04(1)" in deadline.legal_basis


def test_a_non_health_refusal_opens_no_window_the_facts_do_not_give(road: Road) -> None:
    cast = Cast(road)
    ref = cast.peo_submitted(date(2026, 3, 2))
    on(cast.peo, ref, "begin_review", date(2026, 3, 3))
    on(cast.peo, ref, "issue_decision", date(2026, 3, 4), outcome="refused", reasons="Gaps.")
    assert [d.kind for d in deadlines(road, ref)] == ["service_standard"]


def test_the_regulator_review_standard_waits_while_the_applicant_has_the_file(road: Road) -> None:
    """Project default 60 business days (facts s. 7); the information-request pause is added back."""
    cast = Cast(road)
    ref = cast.peo_submitted(date(2026, 3, 2))
    standard = window(road, ref, "regulator_review")
    # By hand from Mon 2 Mar 2026: 21 business days in March, April has 20 less Good Friday and
    # Easter Monday (41 by 30 Apr), May 1-15 makes 52, Victoria Day 18 May closed, 19-22 makes 56,
    # 25-28 makes 60: Thursday 28 May.
    assert standard.due_on == date(2026, 5, 28)
    assert standard.is_default and "project default" in standard.legal_basis
    on(cast.peo, ref, "begin_review", date(2026, 3, 10))
    on(cast.peo, ref, "request_information", date(2026, 3, 16), reasons="Transcripts, please.")
    assert window(road, ref, "regulator_review").paused_on == date(2026, 3, 16)
    on(cast.applicant, ref, "provide_information", date(2026, 3, 23))
    # Paused Mon 16 to Mon 23 Mar: 5 business days; 5 after 28 May is Thursday 4 June.
    resumed = window(road, ref, "regulator_review")
    assert (resumed.due_on, resumed.paused_on) == (date(2026, 6, 4), None)
    on(cast.peo, ref, "issue_decision", date(2026, 6, 5), outcome="registered")
    assert window(road, ref, "regulator_review").status == "missed"


def test_a_standard_met_in_time_closes_as_met(road: Road) -> None:
    cast = Cast(road)
    ref = cast.peo_submitted(date(2026, 3, 2))
    on(cast.peo, ref, "begin_review", date(2026, 3, 3))
    on(cast.peo, ref, "issue_decision", date(2026, 5, 28), outcome="registered")
    assert window(road, ref, "regulator_review").status == "met"


def test_an_appeal_filed_on_the_last_day_meets_the_window(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4))
    on(cast.applicant, ref, "request_appeal", date(2026, 4, 4),  # the Saturday, s. 89
       review_or_hearing="hearing")
    assert window(road, ref, "appeal_board_request").status == "met"


def test_the_scan_lapses_a_window_that_ran_out_unused_and_only_then(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4))
    last_day = datetime.combine(date(2026, 4, 4), time(23, 0), tzinfo=TORONTO)
    assert road.scan(road.registry, now=last_day).lapsed == []
    assert road.snapshot(ref).state == "refused_appealable"
    report = road.scan(road.registry, now=noon(date(2026, 4, 5)))
    assert report.lapsed == [ref]
    assert road.snapshot(ref).state == "refused"
    assert window(road, ref, "appeal_board_request").status == "lapsed"
    events = cast.applicant.get(f"/applications/{ref}/timeline").json()["events"]
    assert (events[-1]["trigger"], events[-1]["actor_role"]) == ("lapse", "system")
    assert road.scan(road.registry, now=noon(date(2026, 4, 6))).lapsed == []


def test_the_committee_window_lapses_into_committee_review(road: Road) -> None:
    ref = Cast(road).cno_referred(date(2026, 1, 5), date(2026, 3, 4))
    road.scan(road.registry, now=noon(date(2026, 4, 6)))
    assert road.snapshot(ref).state == "committee_review"
    assert window(road, ref, "committee_submissions").status == "lapsed"


def test_a_court_filing_recorded_by_the_registry_in_time_meets_the_applicants_window(
    road: Road,
) -> None:
    """The registry records the applicant's own filing: the window was used, not cut short."""
    cast = Cast(road)
    ref = cast.cno_appeal_dismissed(date(2026, 1, 5), date(2026, 3, 4))
    on(cast.court, ref, "record_court_filing", date(2026, 3, 20), served_on="2026-03-20")
    assert window(road, ref, "divisional_court_appeal").status == "met"
    assert [f for f in flags(road, ref, "statutory_limit")
            if f.evidence["deadline"] == "divisional_court_appeal"] == []


def test_a_court_filing_recorded_by_the_registry_after_the_last_day_is_late(road: Road) -> None:
    cast = Cast(road)
    ref = cast.cno_appeal_dismissed(date(2026, 1, 5), date(2026, 3, 4))
    on(cast.court, ref, "record_court_filing", date(2026, 4, 8),  # last day Tue 7 Apr (Rules)
       served_on="2026-04-08")
    assert window(road, ref, "divisional_court_appeal").status == "late"
    (flag,) = [f for f in flags(road, ref, "statutory_limit")
               if f.evidence["deadline"] == "divisional_court_appeal"]
    assert flag.severity == "medium" and flag.evidence["finding"].startswith("acted on after")
