"""Timeliness per regulator x stage x period, in SQL: count, median, p80, p90, share over standard."""

from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from fairtrack.columns import UTCDateTime
from fairtrack.errors import InvalidRequest
from oversight.schemas import Timeliness, TimelinessRow
from oversight.scope import regulator_in_scope
from oversight.sql import PERIODS, STAGE_VISITS, percentile, period
from regulators.registry import Registry
from regulators.schema import DayCount, StandardStage
from workflow.calendar import TORONTO
from workflow.road import Stage

TIMED_STAGES = tuple(s.value for s in Stage if s not in (Stage.intake, Stage.closed))


def _standards(registry: Registry, regulators: list[str]) -> tuple[str, dict[str, Any]]:
    """A VALUES table of (regulator, stage, days, business, is_default) from the registry."""
    rows: list[str] = []
    params: dict[str, Any] = {}
    for i, (slug, stage) in enumerate(
        (slug, stage) for slug in regulators for stage in StandardStage
    ):
        regulator = registry.regulators[slug]
        standard = regulator.standard(stage)
        if standard is None:
            continue
        rows.append(f"(:sr{i}, :ss{i}, :sd{i}, :sb{i}, :sx{i})")
        params |= {f"sr{i}": slug, f"ss{i}": stage.value, f"sd{i}": standard.days,
                   f"sb{i}": int(standard.counting is DayCount.business),
                   f"sx{i}": int(standard.is_default)}
    if not rows:
        return "SELECT '' AS regulator, '' AS stage, 0 AS days, 0 AS business, 0 AS is_default " \
               "WHERE 1 = 0", {}
    return "VALUES " + ", ".join(rows), params


def timeliness(
    session: Session,
    actor: Actor,
    registry: Registry,
    *,
    regulator: str | None,
    stage: str | None,
    unit: str,
    since: date,
    until: date,
) -> Timeliness:
    if unit not in PERIODS:
        raise InvalidRequest(f"period is one of {list(PERIODS)}", field="period")
    if stage is not None and stage not in TIMED_STAGES:
        raise InvalidRequest(f"stage is one of {list(TIMED_STAGES)}", field="stage")
    if until <= since:
        raise InvalidRequest("until must be after since", field="until")
    regulator = regulator_in_scope(actor, registry, regulator)
    dialect = session.get_bind().dialect.name
    slugs = [regulator] if regulator else sorted(registry.regulators)
    standards, params = _standards(registry, slugs)
    where = "stage IN :stages" + (" AND regulator = :regulator" if regulator else "")
    visits = STAGE_VISITS.format(where=where)
    ranked = ""
    if dialect != "postgresql":
        ranked = (", ROW_NUMBER() OVER (PARTITION BY regulator, stage, period ORDER BY business_days)"
                  " AS rn, COUNT(*) OVER (PARTITION BY regulator, stage, period) AS n")
    over = ("CASE WHEN standard_days IS NULL THEN NULL WHEN (CASE WHEN standard_business = 1 "
            "THEN attributable_business ELSE attributable_calendar END) > standard_days "
            "THEN 1.0 ELSE 0.0 END")
    # Composed of constants from oversight.sql and validated choices; input goes only in binds.
    sql = f"""
        WITH standards (regulator, stage, days, business, is_default) AS ({standards}),
        visits AS ({visits}),
        rows AS (
            SELECT v.regulator, v.stage, v.business_days, v.attributable_business,
                   v.attributable_calendar, s.days AS standard_days, s.business AS standard_business,
                   s.is_default AS standard_is_default, {period(dialect, 'v.exited_at', unit)} AS period
            FROM visits AS v
            LEFT JOIN standards AS s ON s.regulator = v.regulator AND s.stage = v.stage
            WHERE v.exited_at >= :since AND v.exited_at < :until
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
