"""Timeliness per regulator x stage x period, in SQL over the stored stage visits: count, median, p80,
p90, share over standard.

Each visit is judged by the service standard its application was held to: the service-standard
deadline opened during the visit, which the rules version governing the application (issue 3: the
one in force at submission) set. Today's registry would judge old applications by new standards.
"""

from datetime import date, datetime, time, timedelta

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from deadlines.service import SERVICE_STANDARD
from fairtrack.columns import UTCDateTime, utcnow
from fairtrack.errors import InvalidRequest
from law.calendar import TORONTO, local_date
from oversight.rollups import TIMED_STAGES, Tally, percentile_of, window_tallies
from oversight.schemas import Timeliness, TimelinessRow
from oversight.scope import regulator_in_scope
from oversight.sql import PERIODS, WHOLE_WINDOW, percentile, period
from regulators.registry import Registry

# The dates a window may name: wide enough for any licensing history, narrow enough that the
# window's edges (a day either side) stay far inside what dates and timestamps can hold.
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
DEFAULT_WINDOW = timedelta(days=365)


def timeliness(
    session: Session,
    actor: Actor,
    registry: Registry,
    *,
    regulator: str | None,
    stage: str | None,
    unit: str,
    since: date | None = None,
    until: date | None = None,
) -> Timeliness:
    """Visits that ended from `since` to `until` (Ontario dates, both included; by default the
    year up to today)."""
    if unit not in PERIODS and unit != WHOLE_WINDOW:
        raise InvalidRequest(f"period is one of {list(PERIODS)}", field="period")
    if stage is not None and stage not in TIMED_STAGES:
        raise InvalidRequest(f"stage is one of {list(TIMED_STAGES)}", field="stage")
    for name, day in (("since", since), ("until", until)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise InvalidRequest(f"{name} must be from {EARLIEST} to {LATEST}", field=name)
    until = until or local_date(utcnow())
    since = since or max(until - DEFAULT_WINDOW, EARLIEST)
    if since > until:
        raise InvalidRequest("since must be on or before until", field="since")
    regulator = regulator_in_scope(actor, registry, regulator)
    dialect = session.get_bind().dialect.name
    stages = [stage] if stage else list(TIMED_STAGES)
    groups: dict[tuple[str, str, str], Tally] = {}
    for regulator_of, stage_of, day, tally in window_tallies(session, stages, regulator, since,
                                                             until):
        groups.setdefault((regulator_of, stage_of, period_of(day, unit)), Tally()).add(tally)
    rows = [_row(key, tally, dialect) for key, tally in sorted(groups.items())]
    return Timeliness(since=since, until=until, period=unit, rows=rows)


def period_of(day: date, unit: str) -> str:
    """The Ontario month ('2026-03'), quarter ('2026-Q1') or year ('2026') a day falls in, as
    oversight.sql.period names it."""
    if unit == "month":
        return f"{day.year:04d}-{day.month:02d}"
    if unit == "quarter":
        return f"{day.year:04d}-Q{(day.month + 2) // 3}"
    return f"{day.year:04d}"


def _row(key: tuple[str, str, str], t: Tally, dialect: str) -> TimelinessRow:
    regulator, stage, period = key
    has_standard = t.standard_days is not None
    return TimelinessRow(
        regulator=regulator, stage=stage, period=period, count=t.count,
        median_business_days=round(percentile_of(t.business_days, 0.5, dialect), 2),
        p80_business_days=round(percentile_of(t.business_days, 0.8, dialect), 2),
        p90_business_days=round(percentile_of(t.business_days, 0.9, dialect), 2),
        standard_days=t.standard_days,
        standard_counting=("business" if t.standard_business else "calendar") if has_standard
        else None,
        standard_is_default=bool(t.standard_is_default) if has_standard else None,
        share_over_standard=round(t.over / t.judged, 4) if t.judged else None,
        mean_attributable_business_days=round(t.attributable / t.count, 2),
        mean_attributable_business_days_as_recorded=round(t.recorded / t.count, 2),
    )


def recount(
    session: Session, *, regulator: str | None, stage: str | None, unit: str, since: date,
    until: date,
) -> list[TimelinessRow]:
    """The same figures counted from every visit in the window, without the rollups: their
    definition (tests prove the rollups give the same, bench/oversight.py times both)."""
    dialect = session.get_bind().dialect.name
    ranked = ""
    if dialect != "postgresql":
        ranked = (", ROW_NUMBER() OVER (PARTITION BY regulator, stage, period ORDER BY business_days)"
                  " AS rn, COUNT(*) OVER (PARTITION BY regulator, stage, period) AS n")
    over = ("CASE WHEN standard_days IS NULL THEN NULL WHEN (CASE WHEN standard_business = 1 "
            "THEN attributable_business ELSE attributable_calendar END) > standard_days "
            "THEN 1.0 ELSE 0.0 END")
    # Composed of constants from oversight.sql and validated choices; input goes only in binds.
    sql = f"""
        WITH visits AS (
            SELECT v.id, v.application_id, v.seq, v.regulator, v.stage, v.exited_on,
                   v.business_days, v.attributable_business_days AS attributable_business,
                   v.attributable_calendar_days AS attributable_calendar,
                   v.attributable_business_days_as_recorded AS attributable_recorded
            FROM stage_visits AS v
            WHERE v.stage IN :stages AND v.exited_at >= :since AND v.exited_at < :until
                  {"AND v.regulator = :regulator" if regulator else ""}
        ),
        standards AS (
            SELECT v.*, d.days AS standard_days,
                   CASE WHEN d.counting = 'calendar' THEN 0 ELSE 1 END AS standard_business,
                   CASE WHEN d.is_default THEN 1 ELSE 0 END AS standard_is_default,
                   ROW_NUMBER() OVER (PARTITION BY v.id ORDER BY d.opened_seq) AS nth
            FROM visits AS v
            LEFT JOIN deadlines AS d
                   ON d.application_id = v.application_id AND d.kind = :service_standard
                  AND d.code = v.stage AND d.opened_seq >= v.seq AND d.starts_on <= v.exited_on
        ),
        rows AS (
            SELECT regulator, stage, business_days, attributable_business, attributable_calendar,
                   attributable_recorded, standard_days, standard_business, standard_is_default,
                   {period(dialect, 'exited_on', unit)} AS period
            FROM standards
            WHERE nth = 1
        ),
        ranked AS (SELECT *{ranked} FROM rows)
        SELECT regulator, stage, period, COUNT(*) AS count,
               {percentile(dialect, 0.5, 'business_days')} AS p50,
               {percentile(dialect, 0.8, 'business_days')} AS p80,
               {percentile(dialect, 0.9, 'business_days')} AS p90,
               MAX(standard_days) AS standard_days, MAX(standard_business) AS standard_business,
               MAX(standard_is_default) AS standard_is_default,
               AVG({over}) AS share_over,
               AVG(attributable_business * 1.0) AS attributable,
               AVG(attributable_recorded * 1.0) AS attributable_recorded
        FROM ranked
        GROUP BY regulator, stage, period
        ORDER BY regulator, stage, period
    """  # noqa: S608
    statement = text(sql).bindparams(
        bindparam("stages", expanding=True),
        bindparam("since", type_=UTCDateTime), bindparam("until", type_=UTCDateTime),
    )
    start = datetime.combine(since, time(0), tzinfo=TORONTO)
    end = datetime.combine(until, time(0), tzinfo=TORONTO) + timedelta(days=1)
    params = {"stages": [stage] if stage else list(TIMED_STAGES), "since": start, "until": end,
              "service_standard": SERVICE_STANDARD}
    if regulator:
        params["regulator"] = regulator
    rows = [
        TimelinessRow(
            regulator=r.regulator, stage=r.stage, period=r.period, count=r.count,
            median_business_days=round(float(r.p50), 2), p80_business_days=round(float(r.p80), 2),
            p90_business_days=round(float(r.p90), 2), standard_days=r.standard_days,
            standard_counting=None if r.standard_days is None
            else ("business" if r.standard_business else "calendar"),
            standard_is_default=None if r.standard_days is None else bool(r.standard_is_default),
            share_over_standard=None if r.share_over is None else round(float(r.share_over), 4),
            mean_attributable_business_days=round(float(r.attributable), 2),
            mean_attributable_business_days_as_recorded=round(float(r.attributable_recorded), 2),
        )
        for r in session.execute(statement, params)
    ]
    return rows
