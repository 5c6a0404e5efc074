"""The Ontario calendars: one holiday list per counting rule, their substitutions, and periods.

Tribunal and committee windows count under the Legislation Act, 2006 (ss. 87-89); Divisional Court
windows under the Rules of Civil Procedure (r. 1.03, r. 3.01), whose holiday list is their own
(facts/ontario.md s. 5). Every expected date below was worked out by hand from a wall calendar; each
case names its rule.
"""

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from law.calendar import (
    DayRule,
    act_holidays,
    add_business_days,
    business_days_between,
    civic_holiday,
    holiday_name,
    is_business_day,
    is_holiday,
    period_end,
    rules_holidays,
)

ACT, RULES, BUSINESS = DayRule.legislation_act, DayRule.civil_procedure, DayRule.project_business
days_2000_2099 = st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31))
# The span the issue asks the two calendars to be checked over.
days_2008_2040 = st.dates(min_value=date(2008, 1, 1), max_value=date(2040, 12, 31))
years_2008_2040 = st.integers(min_value=2008, max_value=2040)


@pytest.mark.parametrize(
    ("day", "rule", "holiday", "why"),
    [
        (date(2026, 4, 3), ACT, True, "Good Friday 2026 (Easter is April 5): s. 87"),
        (date(2026, 4, 6), ACT, True, "Easter Monday 2026: s. 87 (absent from `holidays` for ON)"),
        (date(2026, 4, 4), ACT, False, "Holy Saturday: Saturday is not a holiday under the Act"),
        (date(2026, 4, 4), RULES, True, "Saturday: a holiday under the Rules of Civil Procedure"),
        (date(2026, 4, 5), ACT, True, "Easter Sunday: every Sunday is a holiday, s. 87"),
        (date(2025, 11, 11), ACT, True, "Remembrance Day, a Tuesday: s. 87"),
        (date(2025, 11, 11), BUSINESS, True, "Remembrance Day: not a business day either"),
        (date(2025, 8, 4), ACT, False, "Civic Holiday: not in the Act's list"),
        (date(2025, 8, 4), BUSINESS, True, "Civic Holiday: offices close (project default, s. 7)"),
        (date(2023, 1, 2), ACT, True, "1 Jan 2023 was a Sunday: the Monday too, s. 88(3)"),
        (date(2022, 1, 3), ACT, False, "1 Jan 2022 was a Saturday: no substitute under s. 88(3)"),
        (date(2018, 7, 2), ACT, True, "1 July 2018 was a Sunday: Canada Day is 2 July, s. 88(4)"),
        (date(2021, 12, 27), ACT, True, "Christmas 2021 on a Saturday: the Monday, s. 88(5)"),
        (date(2022, 12, 26), ACT, True, "Boxing Day 2022, a Monday: s. 87"),
        (date(2022, 12, 27), ACT, True, "Christmas 2022 on a Sunday: the Tuesday, s. 88(5)"),
        (date(2023, 12, 27), ACT, False, "Christmas 2023 on a Monday: no substitute"),
        (date(2026, 5, 18), ACT, True, "Victoria Day 2026: the Monday before 25 May (25th is a Monday)"),
        (date(2026, 5, 25), ACT, False, "25 May 2026 itself is not Victoria Day"),
        (date(2026, 2, 16), ACT, True, "Family Day 2026: third Monday of February"),
    ],
)
def test_legislation_act_holidays(day: date, rule: DayRule, holiday: bool, why: str) -> None:
    assert is_holiday(day, rule) is holiday, why


# Every substitution of r. 1.03 beside what the Legislation Act, 2006 says of the same day.
@pytest.mark.parametrize(
    ("day", "under_rules", "under_act", "why"),
    [
        (date(2022, 1, 3), True, False,
         "1 Jan 2022 a Saturday: r. 1.03 makes Monday 3 Jan a holiday; s. 88(3) only for a Sunday"),
        (date(2023, 1, 2), True, True,
         "1 Jan 2023 a Sunday: Monday 2 Jan under r. 1.03 and s. 88(3)"),
        (date(2023, 7, 3), True, False,
         "1 July 2023 a Saturday: r. 1.03 makes Monday 3 July a holiday; s. 88(4) only for a Sunday"),
        (date(2018, 7, 2), True, True,
         "1 July 2018 a Sunday: Monday 2 July under r. 1.03 and s. 88(4)"),
        (date(2023, 11, 13), True, False,
         "11 Nov 2023 a Saturday: r. 1.03 makes Monday 13 Nov a holiday; the Act has no substitute"),
        (date(2018, 11, 12), True, False,
         "11 Nov 2018 a Sunday: r. 1.03 makes Monday 12 Nov a holiday; the Act has no substitute"),
        (date(2020, 12, 28), True, False,
         "Christmas 2020 a Friday: r. 1.03 makes Monday 28 Dec a holiday; the Act does not"),
        (date(2020, 12, 26), True, True, "Boxing Day 2020, a Saturday: in both lists"),
        (date(2021, 12, 27), True, True,
         "Christmas 2021 a Saturday: Monday 27 Dec under r. 1.03 and s. 88(5)"),
        (date(2021, 12, 28), True, False,
         "Christmas 2021 a Saturday: r. 1.03 makes Tuesday 28 Dec a holiday too; s. 88(5) only the "
         "Monday"),
        (date(2022, 12, 26), True, True, "Christmas 2022 a Sunday: Monday 26 Dec is Boxing Day"),
        (date(2022, 12, 27), True, True,
         "Christmas 2022 a Sunday: Tuesday 27 Dec under r. 1.03 and s. 88(5)"),
        (date(2022, 12, 28), False, False, "Christmas 2022 a Sunday: Wednesday 28 Dec is no holiday"),
        (date(2025, 8, 4), True, False,
         "Civic Holiday 2025: in the r. 1.03 list, not in the Legislation Act's"),
        (date(2026, 4, 4), True, False, "a Saturday: a holiday under r. 1.03, not under s. 87"),
    ],
)
def test_rules_of_civil_procedure_substitutions(
    day: date, under_rules: bool, under_act: bool, why: str
) -> None:
    assert is_holiday(day, RULES) is under_rules, why
    assert is_holiday(day, ACT) is under_act, why


@pytest.mark.parametrize(
    ("start", "days", "rule", "last_day", "why"),
    [
        # 4 Mar + 30 = 3 Apr 2026, Good Friday; s. 89: next day not a holiday is Saturday 4 Apr.
        (date(2026, 3, 4), 30, ACT, date(2026, 4, 4), "s. 89 over Good Friday; Saturday counts"),
        # Same under the Rules: Fri 3 (Good Friday), Sat 4, Sun 5, Mon 6 (Easter Monday) -> Tue 7.
        (date(2026, 3, 4), 30, RULES, date(2026, 4, 7), "Rules: Easter weekend and Saturday"),
        # 25 Nov + 30 = Sun 25 Dec 2022; Mon 26 Boxing Day; Tue 27 s. 88(5) -> Wed 28.
        (date(2022, 11, 25), 30, ACT, date(2022, 12, 28), "Christmas on a Sunday, s. 88(5), s. 89"),
        # 25 Nov + 30 = Sat 25 Dec 2021 (Christmas); Sun 26; Mon 27 s. 88(5) -> Tue 28.
        (date(2021, 11, 25), 30, ACT, date(2021, 12, 28), "Christmas on a Saturday, s. 88(5)"),
        # 2 Apr + 30 = Sat 2 May 2026: not a holiday under the Act, so it stays.
        (date(2026, 4, 2), 30, ACT, date(2026, 5, 2), "Saturday is not a holiday (s. 87)"),
        (date(2026, 4, 2), 30, RULES, date(2026, 5, 4), "Rules: Saturday and Sunday -> Monday"),
        # 3 Apr + 30 = Sun 3 May 2026 -> Mon 4 May.
        (date(2026, 4, 3), 30, ACT, date(2026, 5, 4), "Sunday, s. 87 and s. 89"),
        # 3 Dec 2022 + 30 = Mon 2 Jan 2023, a holiday by s. 88(3) -> Tue 3 Jan (across a year end).
        (date(2022, 12, 3), 30, ACT, date(2023, 1, 3), "New Year's Monday, s. 88(3), s. 89"),
        # 31 Jan + 30 = 2 Mar 2026 (a Monday, no holiday): across a short month end.
        (date(2026, 1, 31), 30, ACT, date(2026, 3, 2), "first day excluded, last included"),
        # A court deadline and a tribunal deadline from the same date differ (r. 1.03 vs s. 87):
        (date(2021, 11, 28), 30, ACT, date(2021, 12, 28), "Tue 28 Dec 2021: no Act holiday"),
        (date(2021, 11, 28), 30, RULES, date(2021, 12, 29),
         "Tue 28 Dec 2021: r. 1.03, Christmas on a Saturday; Wednesday 29"),
        (date(2021, 11, 25), 30, RULES, date(2021, 12, 29),
         "+30 = Sat 25 Dec 2021; Sun; Mon 27 and Tue 28 by r. 1.03: Wednesday 29"),
        (date(2020, 11, 28), 30, ACT, date(2020, 12, 28), "Mon 28 Dec 2020: no Act holiday"),
        (date(2020, 11, 28), 30, RULES, date(2020, 12, 29),
         "Mon 28 Dec 2020: r. 1.03, Christmas on a Friday; Tuesday 29"),
        (date(2023, 10, 14), 30, ACT, date(2023, 11, 13), "Mon 13 Nov 2023: no Act holiday"),
        (date(2023, 10, 14), 30, RULES, date(2023, 11, 14),
         "Mon 13 Nov 2023: r. 1.03, Remembrance Day on a Saturday; Tuesday 14"),
        (date(2023, 6, 3), 30, RULES, date(2023, 7, 4),
         "Mon 3 July 2023: r. 1.03, Canada Day on a Saturday; Tuesday 4"),
        (date(2021, 12, 3), 30, ACT, date(2022, 1, 3), "Sun 2 Jan 2022: s. 89, Monday 3"),
        (date(2021, 12, 3), 30, RULES, date(2022, 1, 4),
         "Sun 2 Jan 2022; Mon 3 by r. 1.03 (New Year's Day on a Saturday): Tuesday 4"),
        (date(2025, 7, 5), 30, ACT, date(2025, 8, 4), "Civic Holiday: not an Act holiday"),
        (date(2025, 7, 5), 30, RULES, date(2025, 8, 5), "Civic Holiday: a holiday by r. 1.03"),
        (date(2022, 11, 25), 30, RULES, date(2022, 12, 28),
         "+30 = Sun 25 Dec 2022; Mon 26 and Tue 27 by r. 1.03: Wednesday 28"),
    ],
)
def test_period_end(start: date, days: int, rule: DayRule, last_day: date, why: str) -> None:
    assert period_end(start, days, rule) == last_day, why


@pytest.mark.parametrize(
    ("start", "end", "business_days", "why"),
    [
        (date(2026, 4, 2), date(2026, 4, 7), 1, "Good Friday, weekend, Easter Monday closed"),
        (date(2025, 8, 1), date(2025, 8, 5), 1, "weekend and the Civic Holiday (project default)"),
        (date(2025, 11, 10), date(2025, 11, 12), 1, "Remembrance Day closed"),
        (date(2022, 12, 23), date(2022, 12, 28), 1, "Christmas on Sunday: Mon 26 and Tue 27 closed"),
        (date(2026, 1, 5), date(2026, 1, 5), 0, "no days after the start"),
        (date(2026, 1, 9), date(2026, 1, 5), 0, "end before start"),
        (date(2026, 1, 2), date(2026, 1, 9), 5, "an ordinary week"),
    ],
)
def test_business_days_between(start: date, end: date, business_days: int, why: str) -> None:
    assert business_days_between(start, end) == business_days, why


def test_named_holidays_give_their_reason() -> None:
    assert holiday_name(date(2026, 4, 6), ACT) == "Easter Monday"
    assert holiday_name(date(2026, 4, 4), RULES) == "Saturday"
    assert holiday_name(date(2026, 4, 8), ACT) is None
    assert "r. 1.03" in (holiday_name(date(2020, 12, 28), RULES) or "")
    assert holiday_name(date(2025, 8, 4), RULES) == "Civic Holiday"


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(years_2008_2040)
def test_rules_of_civil_procedure_list_holds_every_legislation_act_holiday(year: int) -> None:
    """r. 1.03 and ss. 87-88, 2008-2040: the Rules' list contains the Act's (every substitution
    of s. 88 is one of r. 1.03 too), and adds the Civic Holiday."""
    rules = rules_holidays(year)
    for day, name in act_holidays(year).items():
        assert is_holiday(day, RULES), (day, name)
    assert civic_holiday(year) in rules and civic_holiday(year) not in act_holidays(year)


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(years_2008_2040)
def test_rules_of_civil_procedure_close_twelve_weekdays_a_year(year: int) -> None:
    """r. 1.03, 2008-2040: each of the twelve named holidays falls on a weekday or is moved to one
    (New Year's Day, Canada Day and Remembrance Day to a Monday; Christmas and Boxing Day to a
    Monday and Tuesday, or Boxing Day to the Monday after a Friday Christmas)."""
    weekdays = [d for d in rules_holidays(year) if d.weekday() < 5]
    assert len(weekdays) == 12, sorted(weekdays)


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(days_2008_2040, st.integers(min_value=1, max_value=120))
def test_a_court_period_never_ends_before_the_tribunal_period_from_the_same_day(
    start: date, days: int
) -> None:
    """r. 3.01 and s. 89, 2008-2040: the Rules skip every day the Act skips, and more."""
    court, tribunal = period_end(start, days, RULES), period_end(start, days, ACT)
    assert court >= tribunal
    assert court.weekday() < 5 and not is_holiday(court, RULES)


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(st.integers(min_value=2008, max_value=2099))
def test_movable_feasts_agree_with_the_holidays_package(year: int) -> None:
    """Dates we compute ourselves match `holidays` wherever both lists name the day."""
    package = holidays.country_holidays("CA", subdiv="ON", years=year, observed=False)
    ours = {name: day for day, name in act_holidays(year).items()}
    for name, theirs in (("Family Day", "Family Day"), ("Good Friday", "Good Friday"),
                         ("Victoria Day", "Victoria Day"), ("Labour Day", "Labor Day"),
                         ("Thanksgiving Day", "Thanksgiving Day")):
        assert package.get(ours[name]) == theirs, (name, ours[name])


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(days_2000_2099, days_2000_2099, days_2000_2099)
def test_business_days_add_up_across_month_and_year_ends(a: date, b: date, c: date) -> None:
    first, middle, last = sorted((a, b, c))
    total = business_days_between(first, last)
    assert total == business_days_between(first, middle) + business_days_between(middle, last)


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(days_2000_2099, st.integers(min_value=0, max_value=800))
def test_business_days_count_the_days_one_by_one(start: date, span: int) -> None:
    end = start + timedelta(days=span)
    expected = sum(is_business_day(start + timedelta(days=n)) for n in range(1, span + 1))
    assert business_days_between(start, end) == expected


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(days_2000_2099, st.integers(min_value=0, max_value=400))
def test_add_business_days_lands_on_the_nth_business_day(start: date, n: int) -> None:
    day = add_business_days(start, n)
    assert business_days_between(start, day) == n
    if n:
        assert is_business_day(day)
        assert business_days_between(start, day - timedelta(days=1)) == n - 1


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(days_2008_2040, st.integers(min_value=1, max_value=120), st.sampled_from(list(DayRule)))
def test_a_period_ends_on_the_first_day_not_a_holiday(start: date, days: int, rule: DayRule) -> None:
    """s. 89 and r. 3.01, 2008-2040: never on a holiday, and only holidays are skipped."""
    end = period_end(start, days, rule)
    nominal = start + timedelta(days=days)
    assert not is_holiday(end, rule)
    assert end >= nominal
    assert all(is_holiday(nominal + timedelta(days=k), rule) for k in range((end - nominal).days))


@settings(deadline=None)  # no timing in tests: a loaded machine must not fail them
@given(days_2008_2040)
def test_weekends_are_holidays_under_the_rules_saturdays_not_under_the_act(day: date) -> None:
    """r. 1.03 (every Saturday and Sunday) against s. 87 (every Sunday, no Saturday)."""
    saturday = day + timedelta(days=(5 - day.weekday()) % 7)
    assert is_holiday(saturday, RULES) and is_holiday(saturday + timedelta(days=1), RULES)
    assert is_holiday(saturday, ACT) is (saturday in act_holidays(saturday.year))
    assert is_holiday(saturday + timedelta(days=1), ACT)
