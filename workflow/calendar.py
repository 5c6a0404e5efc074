"""Ontario calendar and business days, for the durations of stage intervals.

Holidays come from the `holidays` package (Canada, subdivision ON). The Legislation Act, 2006
calendar for statutory windows (ss. 87-89) is a separate concern: see the deadlines issue.
"""

from bisect import bisect_right
from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

TORONTO = ZoneInfo("America/Toronto")


def local_date(moment: datetime) -> date:
    """The calendar date in Ontario at that moment."""
    return moment.astimezone(TORONTO).date()


@lru_cache(maxsize=64)
def _weekday_holidays(year: int) -> tuple[date, ...]:
    ontario = holidays.country_holidays("CA", subdiv="ON", years=year)
    return tuple(sorted(d for d in ontario if d.weekday() < 5))


def _weekdays_through(day: date) -> int:
    """Monday-to-Friday days from an arbitrary fixed Monday up to and including `day`."""
    days = (day - date(1970, 1, 5)).days + 1  # 1970-01-05 was a Monday
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest, 5)


def _holidays_through(day: date, since: date) -> int:
    count = 0
    for year in range(since.year, day.year + 1):
        dates = _weekday_holidays(year)
        count += bisect_right(dates, day) - bisect_right(dates, since)
    return count


def business_days_between(start: date, end: date) -> int:
    """Business days after `start` up to and including `end` (0 when end <= start)."""
    if end <= start:
        return 0
    weekdays = _weekdays_through(end) - _weekdays_through(start)
    return weekdays - _holidays_through(end, start)


def calendar_days_between(start: date, end: date) -> int:
    return max((end - start).days, 0)


def is_business_day(day: date) -> bool:
    return business_days_between(day - timedelta(days=1), day) == 1
