"""Timeliness per regulator x stage x period, in SQL over the stored stage visits: count, median, p80,
p90, share over standard."""

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from fairtrack.columns import UTCDateTime, utcnow
from fairtrack.errors import InvalidRequest
from oversight.schemas import Timeliness, TimelinessRow
from oversight.scope import regulator_in_scope
from oversight.sql import PERIODS, percentile, period
from regulators.registry import Registry
from regulators.schema import DayCount, StandardStage
from workflow.calendar import TORONTO, local_date
from workflow.road import Stage

TIMED_STAGES = tuple(s.value for s in Stage if s not in (Stage.intake, Stage.closed))
# The dates a window may name: wide enough for any licensing history, narrow enough that the
# window's edges (a day either side) stay far inside what dates and timestamps can hold.
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)
DEFAULT_WINDOW = timedelta(days=365)


def _standard_case(registry: Registry, regulators: list[str]) -> tuple[str, str, dict[str, Any]]:
    """SQL CASE expressions giving each (regulator, stage)'s standard in signed days (negative:
    calendar days) and whether it is the project default, with their bind parameters.

    Most regulators use the project default for a stage: one branch per stage covers them, and only
    the regulators that differ get a branch of their own. (A join to a VALUES table of every
    regulator and stage made PostgreSQL loop over it for each visit.)
    """
    per_stage: dict[StandardStage, dict[str, tuple[int, int]]] = {}
    for slug in regulators:
        for stage in StandardStage:
            standard = registry.regulators[slug].standard(stage)
            if standard is not None:
                signed = standard.days if standard.counting is DayCount.business else -standard.days
                per_stage.setdefault(stage, {})[slug] = (signed, int(standard.is_default))
    days, defaults = ["CASE"], ["CASE"]
    params: dict[str, Any] = {}
    for i, (stage, by_regulator) in enumerate(per_stage.items()):
        common = Counter(by_regulator.values()).most_common(1)[0][0]
        for j, (slug, value) in enumerate(sorted(by_regulator.items())):
            if value == common:
                continue
            key = f"{i}_{j}"
            days.append(f"WHEN v.stage = :st{i} AND v.regulator = :sr{key} THEN :sd{key}")
            defaults.append(f"WHEN v.stage = :st{i} AND v.regulator = :sr{key} THEN :sx{key}")
            params |= {f"sr{key}": slug, f"sd{key}": value[0], f"sx{key}": value[1]}
        days.append(f"WHEN v.stage = :st{i} THEN :sd{i}")
        defaults.append(f"WHEN v.stage = :st{i} THEN :sx{i}")
        params |= {f"st{i}": stage.value, f"sd{i}": common[0], f"sx{i}": common[1]}
    return " ".join(days) + " END", " ".join(defaults) + " END", params


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
    if unit not in PERIODS:
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
    slugs = [regulator] if regulator else sorted(registry.regulators)
    standard_days, standard_default, params = _standard_case(registry, slugs)
    ranked = ""
    if dialect != "postgresql":
        ranked = (", ROW_NUMBER() OVER (PARTITION BY regulator, stage, period ORDER BY business_days)"
                  " AS rn, COUNT(*) OVER (PARTITION BY regulator, stage, period) AS n")
    over = ("CASE WHEN standard_days IS NULL THEN NULL WHEN (CASE WHEN standard_business = 1 "
            "THEN attributable_business ELSE attributable_calendar END) > standard_days "
            "THEN 1.0 ELSE 0.0 END")
    # Composed of constants from oversight.sql and validated choices; input goes only in binds.
    sql = f"""
        WITH standards AS (
            SELECT v.regulator, v.stage, v.exited_on, v.business_days,
                   v.attributable_business_days AS attributable_business,
                   v.attributable_calendar_days AS attributable_calendar,
                   {standard_days} AS signed_standard, {standard_default} AS standard_is_default
            FROM stage_visits AS v
            WHERE v.stage IN :stages AND v.exited_at >= :since AND v.exited_at < :until
                  {"AND v.regulator = :regulator" if regulator else ""}
        ),
        rows AS (
            SELECT regulator, stage, business_days, attributable_business, attributable_calendar,
                   ABS(signed_standard) AS standard_days,
                   CASE WHEN signed_standard > 0 THEN 1 ELSE 0 END AS standard_business,
                   standard_is_default, {period(dialect, 'exited_on', unit)} AS period
            FROM standards
        ),
        ranked AS (SELECT *{ranked} FROM rows)
        SELECT regulator, stage, period, COUNT(*) AS count,
               {percentile(dialect, 0.5, 'business_days')} AS p50,
               {percentile(dialect, 0.8, 'business_days')} AS p80,
               {percentile(dialect, 0.9, 'business_days')} AS p90,
               MAX(standard_days) AS standard_days, MAX(standard_business) AS standard_business,
               MAX(standard_is_default) AS standard_is_default,
               AVG({over}) AS share_over,
               AVG(attributable_business * 1.0) AS attributable
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
    params |= {"stages": [stage] if stage else list(TIMED_STAGES), "since": start, "until": end}
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
        )
        for r in session.execute(statement, params)
    ]
    return Timeliness(since=since, until=until, period=unit, rows=rows)
