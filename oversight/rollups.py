"""Timeliness at analytical speed: the completed stage visits rolled up per regulator, stage and
Ontario month (and day), kept current by the scan, read by `oversight.timeliness`.

A rollup row holds what the figures need of its visits and nothing that needs the visits back: their
count, the histogram of their business days (percentiles are exact: the same interpolation the SQL
does over the same values, `percentile_of`), the largest standard, how many had one and how many went
over it, and the sums of their attributable days. Months are sums of days, quarters and years of
months; a window that cuts a month reads that month's days.

Incremental: a visit is closed when the write path opens the next visit of its application (the
same statement that sets its exit), so the visits closed since the last refresh are the
predecessors of the visits with a larger id than the watermark. `refresh` folds them in and moves
the watermark; a query folds in, on the fly, the few closed since (`closed_since`), in the same
statement as it reads the rollups, so its answer is exact whether or not the scan has run.
On PostgreSQL the refresh first takes a SHARE lock on stage_visits, which waits for the writes in
flight to commit (ids are handed out before commit, not in commit order) and holds new ones back
until it commits; on SQLite every write transaction is already serialized (BEGIN IMMEDIATE).
"""

import json
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, bindparam, delete, func, insert, select, text, update
from sqlalchemy.orm import Session
from sqlmodel import col

from deadlines.service import SERVICE_STANDARD
from fairtrack.columns import utcnow
from law.road import Stage
from oversight.models import RollupWatermark, TimelinessRollup
from workflow.models import StageVisit

TIMED_STAGES = tuple(s.value for s in Stage if s not in (Stage.intake, Stage.closed))
WATERMARK = "timeliness"
ROLLUPS = TimelinessRollup.__table__  # type: ignore[attr-defined]

# Each completed visit with the standard it was held to: the service-standard deadline opened
# during the visit (the first from its entry), as oversight.timeliness has always judged it.
# `closed` is a CTE of visits; composed of constants only.
JUDGED = """
    standards AS (
        SELECT c.regulator, c.stage, c.exited_on, c.business_days, c.attributable_business,
               c.attributable_calendar, c.attributable_recorded, d.days AS standard_days,
               CASE WHEN d.counting = 'calendar' THEN 0 ELSE 1 END AS standard_business,
               CASE WHEN d.is_default THEN 1 ELSE 0 END AS standard_is_default,
               ROW_NUMBER() OVER (PARTITION BY c.id ORDER BY d.opened_seq) AS nth
        FROM closed AS c
        LEFT JOIN deadlines AS d
               ON d.application_id = c.application_id AND d.kind = :service_standard
              AND d.code = c.stage AND d.opened_seq >= c.seq AND d.starts_on <= c.exited_on
    ),
    grouped AS (
        SELECT regulator, stage, exited_on AS day, business_days, COUNT(*) AS visits,
               MAX(standard_days) AS standard_days,
               MAX(standard_business) AS standard_business,
               MAX(standard_is_default) AS standard_is_default,
               COUNT(standard_days) AS judged,
               SUM(CASE WHEN standard_days IS NULL THEN 0
                        WHEN (CASE WHEN standard_business = 1 THEN attributable_business
                                   ELSE attributable_calendar END) > standard_days THEN 1
                        ELSE 0 END) AS over_standard,
               SUM(attributable_business) AS attributable, SUM(attributable_recorded) AS recorded
        FROM standards
        WHERE nth = 1
        GROUP BY regulator, stage, exited_on, business_days
    )
"""
VISIT_COLUMNS = """v.id, v.application_id, v.seq, v.regulator, v.stage, v.exited_on, v.business_days,
    v.attributable_business_days AS attributable_business,
    v.attributable_calendar_days AS attributable_calendar,
    v.attributable_business_days_as_recorded AS attributable_recorded"""


def closed_since(watermark: str, where: str = "") -> str:
    """A CTE `closed`: the visits closed by a visit with an id above `watermark` (an SQL
    expression), which is to say since the rollups last read. Composed of constants only."""
    return f"""
        closed AS (
            SELECT {VISIT_COLUMNS}
            FROM stage_visits AS n
            JOIN stage_visits AS v
                 ON v.application_id = n.application_id
                AND v.seq = (SELECT MAX(p.seq) FROM stage_visits AS p
                             WHERE p.application_id = n.application_id AND p.seq < n.seq)
            WHERE n.id > {watermark} AND v.stage IN :stages {where}
        )
    """  # noqa: S608


EVERY_CLOSED = f"""
    closed AS (SELECT {VISIT_COLUMNS} FROM stage_visits AS v
               WHERE v.exited_at IS NOT NULL AND v.stage IN :stages)
"""  # noqa: S608


@dataclass
class Tally:
    """What a group of completed visits gives the figures; adds up."""

    count: int = 0
    business_days: Counter[int] = field(default_factory=Counter)
    standard_days: int | None = None
    standard_business: int | None = None
    standard_is_default: int | None = None
    judged: int = 0
    over: int = 0
    attributable: int = 0
    recorded: int = 0

    def add(self, other: "Tally") -> None:
        self.count += other.count
        self.business_days.update(other.business_days)
        self.standard_days = _max(self.standard_days, other.standard_days)
        self.standard_business = _max(self.standard_business, other.standard_business)
        self.standard_is_default = _max(self.standard_is_default, other.standard_is_default)
        self.judged += other.judged
        self.over += other.over
        self.attributable += other.attributable
        self.recorded += other.recorded


def _max(a: int | None, b: int | None) -> int | None:
    return b if a is None else a if b is None else max(a, b)


def tally_of_group(row: Any) -> Tally:
    """A Tally from a `grouped` row (one business-days value)."""
    return Tally(
        count=row.visits, business_days=Counter({int(row.business_days): row.visits}),
        standard_days=row.standard_days, standard_business=row.standard_business,
        standard_is_default=row.standard_is_default, judged=row.judged,
        over=int(row.over_standard), attributable=int(row.attributable), recorded=int(row.recorded),
    )


def tally_of_rollup(row: Any, histogram: dict[str, int]) -> Tally:
    return Tally(
        count=row.count, business_days=Counter({int(k): v for k, v in histogram.items()}),
        standard_days=row.standard_days, standard_business=row.standard_business,
        standard_is_default=row.standard_is_default, judged=row.judged, over=row.over,
        attributable=row.attributable_business_days,
        recorded=row.attributable_business_days_as_recorded,
    )


def month_of(day: date) -> date:
    return day.replace(day=1)


def percentile_of(histogram: Counter[int], p: float, dialect: str) -> float:
    """The p-th percentile of the values a histogram counts, interpolated exactly as the SQL of
    oversight.sql computes it on that dialect (PostgreSQL's percentile_cont; SQLite's sum over the
    two rows either side of p * (n - 1)), so that the figures are the same to the last digit."""
    n = sum(histogram.values())
    position = p * (n - 1)
    if dialect == "postgresql":
        first, second = math.floor(position), math.ceil(position)
    else:
        first = int(position)
        second = first + 1
    fraction = position - first
    low = high = None
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if low is None and seen > first:
            low = value
        if seen > second:
            high = value
            break
    assert low is not None  # noqa: S101 - n > 0: every group has a visit
    if dialect == "postgresql":
        if first == second:
            return float(low)
        assert high is not None  # noqa: S101 - second < n
        return low + fraction * (high - low)
    # SQLite: SUM(low * (1 - f), high * f), the second term absent past the last row.
    total = low * (1 - fraction)
    return total + high * fraction if high is not None else total


# -- refresh ----------------------------------------------------------------------------------------


def _grouped(session: Session, closed: str, params: dict[str, Any]) -> Sequence[Any]:
    sql = f"WITH {closed}, {JUDGED} SELECT * FROM grouped"  # noqa: S608 - constants only
    statement = text(sql).bindparams(bindparam("stages", expanding=True))
    return session.execute(statement, {"stages": list(TIMED_STAGES),
                                       "service_standard": SERVICE_STANDARD, **params}).all()


def advance_watermark(session: Session, name: str, mark: RollupWatermark | None, top: int,
                      now: datetime | None = None) -> None:
    """Move a rollup's watermark (read FOR UPDATE as `mark`; None: its first refresh) to `top`."""
    when = now or utcnow()
    if mark is None:
        session.add(RollupWatermark(name=name, last_id=top, refreshed_at=when))
    else:
        mark.last_id, mark.refreshed_at = top, when
    session.flush()


def refresh(session: Session, now: datetime | None = None) -> int:
    """Fold the visits closed since the last refresh into the rollups, in the caller's unit of
    work; returns how many visits it folded. The first refresh (or `rebuild`) reads them all."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("LOCK TABLE stage_visits IN SHARE MODE"))
    mark = session.get(RollupWatermark, WATERMARK, with_for_update=True)
    top = session.scalar(select(func.max(col(StageVisit.id)))) or 0
    last = mark.last_id if mark is not None else 0
    if mark is not None and last >= top:
        return 0
    if mark is None or last == 0:
        folded = _build(session)
    else:
        rows = _grouped(session, closed_since(":last"), {"last": last})
        days: dict[tuple[str, str, date], Tally] = {}
        for row in rows:
            day = row.day if isinstance(row.day, date) else date.fromisoformat(row.day)
            days.setdefault((row.regulator, row.stage, day), Tally()).add(tally_of_group(row))
        months: dict[tuple[str, str, date], Tally] = {}
        for (regulator, stage, day), tally in days.items():
            months.setdefault((regulator, stage, month_of(day)), Tally()).add(tally)
        _merge(session, "day", days)
        _merge(session, "month", months)
        folded = sum(t.count for t in days.values())
    advance_watermark(session, WATERMARK, mark, top, now)
    return folded


def _build(session: Session) -> int:
    """Every rollup row from every completed visit, in the database (INSERT ... SELECT: a million
    applications' visits never pass through Python); returns how many visits it read."""
    session.execute(delete(TimelinessRollup))
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        histogram, month = "jsonb_object_agg(business_days, visits)", "date_trunc('month', day)::date"
    else:
        histogram, month = ("json_group_object(CAST(business_days AS TEXT), visits)",
                            "date(day, 'start of month')")
    columns = ("span, regulator, stage, starts_on, count, business_days, standard_days, "
               "standard_business, standard_is_default, judged, over, attributable_business_days, "
               "attributable_business_days_as_recorded")
    sums = (f"SUM(visits), {histogram}, MAX(standard_days), MAX(standard_business), "
            "MAX(standard_is_default), SUM(judged), SUM(over_standard), SUM(attributable), "
            "SUM(recorded)")
    # Composed of constants only.
    for span, starts in (("day", "day"), ("month", month)):
        by_value = f"""
            SELECT regulator, stage, {starts} AS day, business_days, SUM(visits) AS visits,
                   MAX(standard_days) AS standard_days, MAX(standard_business) AS standard_business,
                   MAX(standard_is_default) AS standard_is_default, SUM(judged) AS judged,
                   SUM(over_standard) AS over_standard, SUM(attributable) AS attributable,
                   SUM(recorded) AS recorded
            FROM grouped GROUP BY regulator, stage, {starts}, business_days
        """  # noqa: S608
        sql = f"""
            INSERT INTO timeliness_rollups ({columns})
            WITH {EVERY_CLOSED}, {JUDGED}, by_value AS ({by_value})
            SELECT '{span}', regulator, stage, day, {sums}
            FROM by_value GROUP BY regulator, stage, day
        """  # noqa: S608
        session.execute(text(sql).bindparams(bindparam("stages", expanding=True)),
                        {"stages": list(TIMED_STAGES), "service_standard": SERVICE_STANDARD})
    return session.scalar(select(func.coalesce(func.sum(ROLLUPS.c.count), 0))
                          .where(ROLLUPS.c.span == "day")) or 0


def rebuild(session: Session, now: datetime | None = None) -> int:
    """Forget the rollups and read every completed visit again."""
    session.execute(delete(RollupWatermark).where(col(RollupWatermark.name) == WATERMARK))
    return refresh(session, now)


def _values(tally: Tally) -> dict[str, Any]:
    return {
        "count": tally.count,
        "business_days": {str(k): v for k, v in sorted(tally.business_days.items())},
        "standard_days": tally.standard_days, "standard_business": tally.standard_business,
        "standard_is_default": tally.standard_is_default, "judged": tally.judged,
        "over": tally.over, "attributable_business_days": tally.attributable,
        "attributable_business_days_as_recorded": tally.recorded,
    }


def _chunks(items: list[Any], size: int = 2000) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _merge(session: Session, span: str, tallies: dict[tuple[str, str, date], Tally]) -> None:
    """Add the tallies to the rollup rows of their keys, making the rows that are missing."""
    existing: dict[tuple[str, str, date], Any] = {}
    starts = sorted({key[2] for key in tallies})
    for chunk in _chunks(starts):
        query = select(ROLLUPS).where(ROLLUPS.c.span == span, ROLLUPS.c.starts_on.in_(chunk))
        for found in session.execute(query):
            existing[(found.regulator, found.stage, found.starts_on)] = found
    inserts: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for key, tally in tallies.items():
        row = existing.get(key)
        if row is None:
            inserts.append({"span": span, "regulator": key[0], "stage": key[1],
                            "starts_on": key[2], **_values(tally)})
            continue
        merged = tally_of_rollup(row, row.business_days)
        merged.add(tally)
        updates.append({"row_id": row.id, **_values(merged)})
    for chunk in _chunks(inserts):
        session.execute(insert(ROLLUPS).execution_options(render_nulls=True), chunk)
    if updates:
        statement = (update(ROLLUPS).where(ROLLUPS.c.id == bindparam("row_id"))
                     .execution_options(render_nulls=True))
        for chunk in _chunks(updates):
            session.execute(statement, chunk)


# -- reading ----------------------------------------------------------------------------------------


def window_tallies(
    session: Session, stages: list[str], regulator: str | None, since: date, until: date,
) -> list[tuple[str, str, date, Tally]]:
    """(regulator, stage, day or month, tally) for the visits completed from `since` to `until`
    (Ontario dates, both included): whole months from the month rollups, the window's edge days
    from the day rollups, and the visits closed since the last refresh from stage_visits, all in
    one statement (one snapshot). Rows come ordered by regulator and stage."""
    first_full = since if since.day == 1 else month_of(since.replace(day=28) + timedelta(days=4))
    after_until = until + timedelta(days=1)
    last_full = month_of(after_until) - timedelta(days=1) if after_until.day != 1 else until
    if first_full <= last_full:  # whole months first_full .. month_of(last_full)
        months = (first_full, month_of(last_full))
        edges = ((since, first_full - timedelta(days=1)), (last_full + timedelta(days=1), until))
    else:
        months = (date(9999, 1, 1), date(1, 1, 1))  # none
        edges = ((since, until), (date(9999, 1, 1), date(1, 1, 1)))
    mine = "AND v.regulator = :regulator" if regulator else ""
    theirs = "AND regulator = :regulator" if regulator else ""
    watermark = ("(SELECT COALESCE(MAX(last_id), 0) FROM rollup_watermarks "
                 "WHERE name = 'timeliness')")
    dialect = session.get_bind().dialect.name
    histogram = "business_days::text" if dialect == "postgresql" else "business_days"
    closed = closed_since(watermark, f"AND v.exited_on >= :since AND v.exited_on <= :until {mine}")
    # Composed of constants and validated choices; input goes only in binds.
    sql = f"""
        WITH {closed}, {JUDGED}
        SELECT 'rollup' AS source, regulator, stage, starts_on AS day, NULL AS business_days,
               {histogram} AS histogram, count AS visits, standard_days, standard_business,
               standard_is_default, judged, over AS over_standard,
               attributable_business_days AS attributable,
               attributable_business_days_as_recorded AS recorded
        FROM timeliness_rollups
        WHERE stage IN :stages {theirs}
          AND ((span = 'month' AND starts_on >= :month_from AND starts_on <= :month_to)
               OR (span = 'day' AND ((starts_on >= :edge1_from AND starts_on <= :edge1_to)
                                     OR (starts_on >= :edge2_from AND starts_on <= :edge2_to))))
        UNION ALL
        SELECT 'visits', regulator, stage, day, business_days, NULL, visits, standard_days,
               standard_business, standard_is_default, judged, over_standard, attributable, recorded
        FROM grouped
        ORDER BY regulator, stage
    """  # noqa: S608
    dates = ("since", "until", "month_from", "month_to", "edge1_from", "edge1_to", "edge2_from",
             "edge2_to")
    statement = text(sql).bindparams(bindparam("stages", expanding=True),
                                     *(bindparam(name, type_=Date) for name in dates))
    params: dict[str, Any] = {
        "stages": stages, "service_standard": SERVICE_STANDARD, "since": since, "until": until,
        "month_from": months[0], "month_to": months[1], "edge1_from": edges[0][0],
        "edge1_to": edges[0][1], "edge2_from": edges[1][0], "edge2_to": edges[1][1],
    }
    if regulator:
        params["regulator"] = regulator
    found = []
    for row in session.execute(statement, params):
        day = row.day if isinstance(row.day, date) else date.fromisoformat(row.day)
        if row.source == "rollup":
            counts = row.histogram if isinstance(row.histogram, dict) else json.loads(row.histogram)
            tally = tally_of_rollup(_RollupLike(row), counts)
        else:
            tally = tally_of_group(row)
        found.append((row.regulator, row.stage, day, tally))
    return found


class _RollupLike:
    """A union row read with the rollup table's column names."""

    def __init__(self, row: Any) -> None:
        self.count = row.visits
        self.standard_days = row.standard_days
        self.standard_business = row.standard_business
        self.standard_is_default = row.standard_is_default
        self.judged = row.judged
        self.over = int(row.over_standard)
        self.attributable_business_days = int(row.attributable)
        self.attributable_business_days_as_recorded = int(row.recorded)
