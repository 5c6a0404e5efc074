"""Ontario calendars: one holiday list per counting rule, and the three ways FairTrack counts days.

Sources (../shared/facts/ontario.md s. 5):
- Legislation Act, 2006 ss. 87-88 (confirmed): the holidays are every Sunday, New Year's Day, Family
  Day, Good Friday, Easter Monday, Victoria Day, Canada Day, Labour Day, Thanksgiving Day, Remembrance
  Day, Christmas Day and Boxing Day (and days proclaimed, which are data: PROCLAIMED). Saturday is not
  a holiday under the Act; the Civic Holiday is not in its list. Substitutions: s. 88(3) New Year's
  Day on a Sunday makes the Monday a holiday too; s. 88(4) Canada Day is July 2 when July 1 is a
  Sunday; s. 88(5) Christmas on a Saturday makes the Monday a holiday too, on a Sunday the Tuesday.
- Legislation Act, 2006 s. 89 (to verify wording): time ending on a holiday runs to the next day
  that is not one.
- Rules of Civil Procedure, r. 1.03 (read in a tribunal's practice notice; wording to verify): the
  Rules' own "holiday" list, used for Divisional Court time: every Saturday and Sunday, New Year's
  Day, Family Day, Good Friday, Easter Monday, Victoria Day, Canada Day, the Civic Holiday, Labour
  Day, Thanksgiving Day, Remembrance Day, Christmas Day, Boxing Day and proclaimed days. Its own
  substitutions: New Year's Day, Canada Day or Remembrance Day on a Saturday or Sunday makes the
  following Monday a holiday; Christmas Day on a Saturday or Sunday makes the following Monday and
  Tuesday holidays; Christmas Day on a Friday makes the following Monday a holiday.
- Rules of Civil Procedure, r. 3.01 (confirmed): the first day is excluded and the last included; a
  period whose last day is a holiday ends on the next day that is not one.
- Project default (not law, facts s. 7): business days are Monday to Friday less the Act's holidays
  and the Civic Holiday.

The `holidays` package is not used for counting: its Ontario list lacks Easter Monday and Remembrance
Day and applies other observance rules. The tests check the movable feasts here against it.
"""

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import lru_cache
from zoneinfo import ZoneInfo

TORONTO = ZoneInfo("America/Toronto")
MONDAY, TUESDAY, FRIDAY, SATURDAY, SUNDAY = 0, 1, 4, 5, 6
# Days fixed as holidays by proclamation (Legislation Act s. 87): none recorded. A proclamation is a
# one-line addition here, e.g. date(2022, 9, 19): "National Day of Mourning (proclaimed)".
PROCLAIMED: dict[date, str] = {}


class DayRule(StrEnum):
    """Which calendar a period is counted on."""

    legislation_act = "legislation_act"  # Legislation Act, 2006 ss. 87-89: Saturdays count
    civil_procedure = "civil_procedure"  # Rules of Civil Procedure r. 1.03 and r. 3.01
    project_business = "project_business"  # Mon-Fri less Act holidays and the Civic Holiday


@dataclass(frozen=True)
class CountingRule:
    """How one calendar counts a period, said the way docs/law.md and the calculator say it."""

    rule: DayRule
    name: str
    holidays: str
    counting: str
    citation: str
    source: str  # a key of law.sources.SOURCES
    to_verify: str | None


COUNTING_RULES: dict[DayRule, CountingRule] = {
    DayRule.legislation_act: CountingRule(
        DayRule.legislation_act, "Legislation Act, 2006",
        "every Sunday, New Year's Day, Family Day, Good Friday, Easter Monday, Victoria Day, Canada "
        "Day, Labour Day, Thanksgiving Day, Remembrance Day, Christmas Day, Boxing Day and "
        "proclaimed days; s. 88 substitutions (New Year's Day on a Sunday: the Monday too; Canada "
        "Day is 2 July when 1 July is a Sunday; Christmas on a Saturday: the Monday too, on a "
        "Sunday: the Tuesday too). Saturdays and the Civic Holiday are not holidays",
        "the first day excluded, the last included (s. 89(3)); a last day on a holiday moves to "
        "the next day that is not one (s. 89)",
        "Legislation Act, 2006 ss. 87-89", "Legislation Act",
        "s. 89 wording to verify (ss. 87-88 and s. 89(3) confirmed)",
    ),
    DayRule.civil_procedure: CountingRule(
        DayRule.civil_procedure, "Rules of Civil Procedure",
        "every Saturday and Sunday, New Year's Day, Family Day, Good Friday, Easter Monday, "
        "Victoria Day, Canada Day, the Civic Holiday, Labour Day, Thanksgiving Day, Remembrance "
        "Day, Christmas Day, Boxing Day and proclaimed days; r. 1.03 substitutions (New Year's "
        "Day, Canada Day or Remembrance Day on a weekend: the following Monday; Christmas on a "
        "weekend: the following Monday and Tuesday; Christmas on a Friday: the following Monday)",
        "the first day excluded, the last included; a last day on a holiday moves to the next "
        "day that is not one (r. 3.01)",
        "Rules of Civil Procedure, r. 1.03 (holiday) and r. 3.01 (computing time)",
        "Rules of Civil Procedure",
        "r. 1.03 list read in a tribunal's practice notice: exact wording to verify on e-Laws",
    ),
    DayRule.project_business: CountingRule(
        DayRule.project_business, "FairTrack business days (project default, not law)",
        "Saturdays, Sundays, the Legislation Act holidays and the Civic Holiday (offices close)",
        "business days after the start, up to and including the last",
        "FairTrack project default (facts/ontario.md s. 7)", "facts", None,
    ),
}


def local_date(moment: datetime) -> date:
    """The calendar date in Ontario at that moment."""
    return moment.astimezone(TORONTO).date()


def easter_sunday(year: int) -> date:
    """Western (Gregorian) Easter: the anonymous Gregorian computus (Meeus/Jones/Butcher)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    line = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * line) // 451
    month, day = divmod(h + line - 7 * m + 114, 31)
    return date(year, month, day + 1)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th (1-based) given weekday of a month."""
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def victoria_day(year: int) -> date:
    """The Monday before May 25."""
    may_25 = date(year, 5, 25)
    return may_25 - timedelta(days=(may_25.weekday() - MONDAY) % 7 or 7)


def civic_holiday(year: int) -> date:
    """First Monday of August: a holiday under r. 1.03, not under the Act; offices close (project
    default)."""
    return nth_weekday(year, 8, MONDAY, 1)


@lru_cache(maxsize=256)
def act_holidays(year: int) -> dict[date, str]:
    """The named holidays of Legislation Act, 2006 ss. 87-88 in a year (Sundays aside)."""
    easter = easter_sunday(year)
    named = {
        date(year, 1, 1): "New Year's Day",
        nth_weekday(year, 2, MONDAY, 3): "Family Day",
        easter - timedelta(days=2): "Good Friday",
        easter + timedelta(days=1): "Easter Monday",
        victoria_day(year): "Victoria Day",
        nth_weekday(year, 9, MONDAY, 1): "Labour Day",
        nth_weekday(year, 10, MONDAY, 2): "Thanksgiving Day",
        date(year, 11, 11): "Remembrance Day",
        date(year, 12, 25): "Christmas Day",
        date(year, 12, 26): "Boxing Day",
    }
    new_year, canada, christmas = date(year, 1, 1), date(year, 7, 1), date(year, 12, 25)
    if new_year.weekday() == SUNDAY:  # s. 88(3)
        named[date(year, 1, 2)] = "New Year's Day (s. 88(3): the Monday after a Sunday)"
    if canada.weekday() == SUNDAY:  # s. 88(4): Canada Day is July 2
        named[date(year, 7, 2)] = "Canada Day (s. 88(4): July 2 when July 1 is a Sunday)"
    else:
        named[canada] = "Canada Day"
    if christmas.weekday() == SATURDAY:  # s. 88(5)
        named[date(year, 12, 27)] = "Christmas Day (s. 88(5): the Monday after a Saturday)"
    elif christmas.weekday() == SUNDAY:  # s. 88(5)
        named[date(year, 12, 27)] = "Christmas Day (s. 88(5): the Tuesday after a Sunday)"
    named.update({d: n for d, n in PROCLAIMED.items() if d.year == year})
    return named


def _following(day: date, weekday: int) -> date:
    """The first `weekday` after `day`."""
    return day + timedelta(days=(weekday - day.weekday() - 1) % 7 + 1)


@lru_cache(maxsize=256)
def rules_holidays(year: int) -> dict[date, str]:
    """The named holidays of the Rules of Civil Procedure, r. 1.03, in a year (weekends aside).

    Their own list and substitutions, not the Legislation Act's: the Civic Holiday is one, and a
    weekend New Year's Day, Canada Day, Remembrance Day or Christmas moves to the Monday (and
    Tuesday, for Christmas), as does Boxing Day when Christmas falls on a Friday.
    """
    easter = easter_sunday(year)
    named = {
        date(year, 1, 1): "New Year's Day",
        nth_weekday(year, 2, MONDAY, 3): "Family Day",
        easter - timedelta(days=2): "Good Friday",
        easter + timedelta(days=1): "Easter Monday",
        victoria_day(year): "Victoria Day",
        date(year, 7, 1): "Canada Day",
        civic_holiday(year): "Civic Holiday",
        nth_weekday(year, 9, MONDAY, 1): "Labour Day",
        nth_weekday(year, 10, MONDAY, 2): "Thanksgiving Day",
        date(year, 11, 11): "Remembrance Day",
        date(year, 12, 25): "Christmas Day",
        date(year, 12, 26): "Boxing Day",
    }
    for day, name in ((date(year, 1, 1), "New Year's Day"), (date(year, 7, 1), "Canada Day"),
                      (date(year, 11, 11), "Remembrance Day")):
        if day.weekday() in (SATURDAY, SUNDAY):
            named[_following(day, MONDAY)] = f"{name} (r. 1.03: the Monday after a weekend)"
    christmas = date(year, 12, 25)
    if christmas.weekday() in (SATURDAY, SUNDAY):
        monday = _following(christmas, MONDAY)
        named[monday] = named.get(monday, "Christmas Day (r. 1.03: the Monday after a weekend)")
        named[monday + timedelta(days=1)] = "Christmas Day (r. 1.03: the Tuesday after a weekend)"
    elif christmas.weekday() == FRIDAY:
        named[date(year, 12, 28)] = "Boxing Day (r. 1.03: the Monday after Christmas on a Friday)"
    named.update({d: n for d, n in PROCLAIMED.items() if d.year == year})
    return named


def holiday_name(day: date, rule: DayRule) -> str | None:
    """Why `day` is not a day for acting or working under `rule` (None when it is one)."""
    if rule is DayRule.civil_procedure:
        named = rules_holidays(day.year).get(day)
    else:
        named = act_holidays(day.year).get(day)
    if named:
        return named
    if day.weekday() == SUNDAY:
        return "Sunday"
    if day.weekday() == SATURDAY and rule is not DayRule.legislation_act:
        return "Saturday"
    if rule is DayRule.project_business and day == civic_holiday(day.year):
        return "Civic Holiday (project default: offices close)"
    return None


def is_holiday(day: date, rule: DayRule) -> bool:
    return holiday_name(day, rule) is not None


def next_day_not_holiday(day: date, rule: DayRule) -> date:
    """`day` itself, or the next day that is not a holiday (Legislation Act s. 89; the Rules)."""
    while is_holiday(day, rule):
        day += timedelta(days=1)
    return day


def period_end(start: date, days: int, rule: DayRule) -> date:
    """Last day to act in a period of `days` days running from `start`.

    The first day is excluded and the last included (Legislation Act s. 89(3); Rules of Civil
    Procedure r. 3.01); a last day that is a holiday under `rule` moves to the next day that is not
    one (Legislation Act s. 89; r. 3.01).
    """
    return next_day_not_holiday(start + timedelta(days=days), rule)


@lru_cache(maxsize=256)
def _weekday_closures(year: int) -> tuple[date, ...]:
    """Monday-to-Friday days of a year that are not business days (project default)."""
    closed = set(act_holidays(year)) | {civic_holiday(year)}
    return tuple(sorted(d for d in closed if d.weekday() < SATURDAY))


def _weekdays_through(day: date) -> int:
    """Monday-to-Friday days from an arbitrary fixed Monday up to and including `day`."""
    days = (day - date(1970, 1, 5)).days + 1  # 1970-01-05 was a Monday
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest, 5)


def _closures_through(day: date, since: date) -> int:
    count = 0
    for year in range(since.year, day.year + 1):
        dates = _weekday_closures(year)
        count += bisect_right(dates, day) - bisect_right(dates, since)
    return count


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    return weekdays - _closures_through(end, start)


def add_business_days(start: date, days: int) -> date:
    """The `days`-th business day after `start` (project default calendar)."""
    # Jump close with whole weeks, then walk: at most a few weeks of single steps.
    day = start + timedelta(days=max(days - 10, 0) * 7 // 5)
    while business_days_between(start, day) < days:
        day += timedelta(days=1)
    return day


def calendar_days_between(start: date, end: date) -> int:
    return max((end - start).days, 0)


def is_business_day(day: date) -> bool:
    return not is_holiday(day, DayRule.project_business)
