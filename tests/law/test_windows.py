"""The windows as law: what each runs from, how receipt is deemed, how a body's own window is
found, and that every window answers for every route (issue 9, items 2, 3 and 6).

Receipt (facts/ontario.md s. 5): the Statutory Powers Procedure Act s. 18 (to verify) deems a
notice sent by regular mail received on the fifth day after mailing; an actual receipt recorded
wins. The Divisional Court window runs from the making of the order (r. 61.04), not its receipt.
"""

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from law.calendar import DayRule, period_end
from law.windows import (
    WINDOW_CODES,
    WINDOWS,
    BodyNeeded,
    NoKnownPeriod,
    ReceiptBasis,
    SentBy,
    UnknownWindow,
    WindowLaw,
    basis_of,
    calculate,
    receipt,
    start_of,
    window_law,
    windows_opening,
)
from regulators.files import Sector
from regulators.registry import get_registry

days_2008_2040 = st.dates(min_value=date(2008, 1, 1), max_value=date(2040, 12, 31))


@pytest.mark.parametrize(
    ("sent_by", "received_on", "runs_from", "last_day", "why"),
    [
        (None, None, date(2022, 11, 20), date(2022, 12, 20),
         "no sending recorded: the day given is the day of receipt"),
        (SentBy.in_person, None, date(2022, 11, 20), date(2022, 12, 20), "handed over that day"),
        (SentBy.email, None, date(2022, 11, 20), date(2022, 12, 20),
         "email: no deeming encoded, received that day (to verify)"),
        (SentBy.regular_mail, None, date(2022, 11, 25), date(2022, 12, 28),
         "SPPA s. 18: mailed 20 Nov, deemed received 25 Nov; +30 = Sun 25 Dec; Mon 26 Boxing Day; "
         "Tue 27 s. 88(5): Wednesday 28 Dec"),
        (SentBy.regular_mail, date(2022, 11, 22), date(2022, 11, 22), date(2022, 12, 22),
         "the actual receipt, recorded, wins over the deemed one"),
    ],
)
def test_a_window_from_receipt_runs_from_the_receipt_the_law_gives(
    sent_by: SentBy | None, received_on: date | None, runs_from: date, last_day: date, why: str
) -> None:
    calc = calculate("appeal_board_request", date(2022, 11, 20), sent_by=sent_by,
                     received_on=received_on)
    assert (calc.runs_from, calc.last_day) == (runs_from, last_day), why
    if sent_by is SentBy.regular_mail and received_on is None:
        assert "fifth day after mailing" in calc.basis
        assert "Statutory Powers Procedure Act s. 18 (to verify)" in calc.basis


def test_the_court_window_runs_from_the_making_of_the_order_not_its_receipt() -> None:
    """r. 61.04(1) (to verify): 30 days after the making of the order, whatever the mail does."""
    mailed = calculate("divisional_court_appeal", date(2026, 3, 4), sent_by=SentBy.regular_mail)
    assert mailed.runs_from == date(2026, 3, 4) and "order was made" in mailed.basis
    assert mailed.last_day == date(2026, 4, 7)  # Good Friday, the weekend, Easter Monday: r. 1.03
    assert mailed.counting.rule is DayRule.civil_procedure


def test_a_bodys_own_window_needs_the_body_and_none_is_invented() -> None:
    """FARPACTA s. 9; facts s. 4: OCSWSSW publishes 60 days; PEO's period is not known."""
    with pytest.raises(BodyNeeded):
        calculate("internal_review_request", date(2026, 3, 2))
    ocswssw = calculate("internal_review_request", date(2026, 3, 2), body="ocswssw")
    assert (ocswssw.window.days, ocswssw.last_day) == (60, date(2026, 5, 1))
    with pytest.raises(NoKnownPeriod):
        calculate("internal_review_request", date(2026, 3, 2), body="peo")
    cece = calculate("internal_review_submissions", date(2026, 3, 2), body="cece")
    assert cece.window.days == 35 and cece.window.opens_in == {}  # answered, opened by no step
    with pytest.raises(UnknownWindow):
        calculate("no_such_window", date(2026, 3, 2))


def test_every_window_is_answerable_for_every_regulator_or_says_none_is_known() -> None:
    """Issue 9, item 2: the calculator answers for every window and route."""
    registry = get_registry()
    answered = 0
    for code in WINDOW_CODES:
        for slug in registry.regulators:
            try:
                calc = calculate(code, date(2026, 3, 4), body=slug)
            except NoKnownPeriod:
                # Only a body's own window may be unknown for a body, and it says so.
                assert code in ("internal_review_request", "internal_review_submissions")
                continue
            assert calc.last_day >= date(2026, 3, 4) + timedelta(days=calc.window.days)
            answered += 1
    assert answered >= len(registry.regulators) * 4


def test_windows_open_where_the_route_has_them() -> None:
    """Code (facts s. 3): every committee order but a plain registration opens the HPARB
    window; FARPACTA (s. 4): a body's own review window opens for that body only."""
    health = {"health", "decided_by_committee"}
    for state in ("refused_appealable", "requirements_outstanding", "conditions_appealable"):
        assert [w.code for w in windows_opening(state, set(health))] == ["appeal_board_request"]
        assert [w.code for w in windows_opening(state, set(), "ocswssw")] == [
            "internal_review_request"]
        assert windows_opening(state, set(), "peo") == []
    assert {w.code for w in windows_opening("appeal_board_ordered", {"health"})} == {
        "divisional_court_appeal", "college_court_appeal"}
    registry = get_registry()
    assert registry.regulators["ocswssw"].sector is Sector.non_health


@settings(deadline=None)
@given(days_2008_2040, st.sampled_from([None, *SentBy]), st.sampled_from(WINDOWS))
def test_the_last_day_is_the_period_end_from_the_day_it_runs_from(
    start: date, sent_by: SentBy | None, window: WindowLaw
) -> None:
    """2008-2040: the calculator is law.calendar.period_end from the receipt (or the order); mail
    never makes a window end earlier than handing it over."""
    body = next(iter(window.bodies)) if window.bodies else None
    calc = calculate(window.code, start, body=body, sent_by=sent_by)
    assert calc.last_day == period_end(calc.runs_from, window.days, window.counting)
    handed = calculate(window.code, start, body=body, sent_by=SentBy.in_person)
    assert calc.last_day >= handed.last_day
    assert calc.runs_from == (start + timedelta(days=5)
                              if sent_by is SentBy.regular_mail and window.from_receipt else start)


def test_every_basis_a_window_is_counted_from_is_read_back_from_its_words() -> None:
    """Pages say in either language why a window runs from its day: the stored basis names it."""
    decided, sent = date(2026, 3, 2), date(2026, 3, 3)
    court = window_law("divisional_court_appeal")
    written = {
        ReceiptBasis.actual: receipt(decided, received_on=sent)[1],
        ReceiptBasis.deemed_by_mail: receipt(decided, sent, SentBy.regular_mail)[1],
        ReceiptBasis.in_person: receipt(decided, sent, SentBy.in_person)[1],
        ReceiptBasis.email: receipt(decided, sent, SentBy.email)[1],
        ReceiptBasis.sent: receipt(decided, sent)[1],
        ReceiptBasis.decision_day: receipt(decided)[1],
        ReceiptBasis.order_made: start_of(court, decided)[1],
        ReceiptBasis.given_day: calculate("appeal_board_request", decided).basis,
    }
    assert set(written) == set(ReceiptBasis)
    assert {basis: basis_of(text) for basis, text in written.items()} == {b: b for b in written}
    assert basis_of(None) is None and basis_of("a basis no rule writes") is None
