"""SQL pieces that differ by dialect: percentiles, periods, day differences. Rendered from trusted
constants only (never from input), so that the figures are computed where the rows are.

Percentiles are `percentile_cont` (linear interpolation) on PostgreSQL. SQLite has no ordered-set
aggregates: there each row carries its ROW_NUMBER and its group's COUNT (window functions), and the
same interpolation is a conditional SUM over the two rows either side of p * (n - 1).
"""

PERIODS = ("month", "quarter", "year")
# The whole window as one period (the printed reports' figures per stage): not offered by the API.
WHOLE_WINDOW = "window"


def percentile(dialect: str, p: float, value: str, rn: str = "rn", n: str = "n") -> str:
    """An aggregate giving the p-th percentile of `value` in each group (NULL values ignored).

    On SQLite the inner query must provide `rn` (1-based ROW_NUMBER ordered by value, within the
    group and among non-null values) and `n` (the group's count of non-null values).
    """
    if dialect == "postgresql":
        return f"percentile_cont({p}) WITHIN GROUP (ORDER BY CAST({value} AS DOUBLE PRECISION))"
    position = f"({p} * ({n} - 1))"
    low = f"CAST({position} AS INTEGER)"
    fraction = f"({position} - {low})"
    return (
        f"SUM(CASE WHEN {value} IS NULL THEN 0 "
        f"WHEN {rn} - 1 = {low} THEN {value} * (1 - {fraction}) "
        f"WHEN {rn} - 1 = {low} + 1 THEN {value} * {fraction} ELSE 0 END)"
    )


def period(dialect: str, day: str, unit: str) -> str:
    """The month ('2026-03'), quarter ('2026-Q1') or year ('2026') of a DATE column: give it an
    Ontario date (e.g. stage_visits.exited_on), not a timestamp, so periods are Ontario periods."""
    if dialect == "postgresql":
        formats = {"month": f"to_char({day}, 'YYYY-MM')", "year": f"to_char({day}, 'YYYY')",
                   "quarter": f"to_char({day}, 'YYYY') || '-Q' || to_char({day}, 'Q')"}
    else:
        formats = {"month": f"strftime('%Y-%m', {day})", "year": f"strftime('%Y', {day})",
                   "quarter": f"strftime('%Y', {day}) || '-Q' || "
                   f"((CAST(strftime('%m', {day}) AS INTEGER) + 2) / 3)"}
    formats[WHOLE_WINDOW] = f"'{WHOLE_WINDOW}'"
    return formats[unit]


def days_between(dialect: str, start: str, end: str) -> str:
    """Fractional days from one timestamp column to another."""
    if dialect == "postgresql":
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 86400.0)"
    return f"(julianday({end}) - julianday({start}))"
