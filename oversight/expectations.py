"""What an applicant can expect at their open stage, from real history (SQL): p50 and p80 of the
completed visits to the same regulator and stage in the last 12 months, and the queue position.

The percentiles are the same for every application at a regulator's stage: the scan computes them
for all at once and keeps them (stage_expectations, `refresh_expectations`); a read takes its
stage's row. Before the first scan, or when the last is over a day old, the read computes them."""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, text
from sqlalchemy.orm import Session

from fairtrack.columns import UTCDateTime, utcnow
from law.road import STATE_INFO, Clock, Stage
from oversight.models import StageExpectation
from oversight.schemas import Expectation
from oversight.sql import percentile
from regulators.registry import Registry
from workflow.models import Application

# The open visits at this regulator and stage; those that entered the stage earlier are ahead.
QUEUE = """
    SELECT COUNT(*) AS open_total,
           SUM(CASE WHEN entered_at < (SELECT entered_at FROM stage_visits
                                       WHERE application_id = :application AND exited_at IS NULL)
                    THEN 1 ELSE 0 END) AS ahead
    FROM stage_visits
    WHERE regulator = :regulator AND stage = :stage AND exited_at IS NULL
"""


# The scan refreshes the kept percentiles; a read trusts them while they are this recent (a scan
# that stopped running does not leave the expected time frozen: the read computes it again).
KEPT_FOR = timedelta(days=1)
YEAR = timedelta(days=365)
# Every stage where an applicant waits on someone (intake and closed have no expected time).
EXPECTED_STAGES = tuple(s.value for s in Stage if s not in (Stage.closed, Stage.intake))


def _history_sql(dialect: str, grouped: bool) -> str:
    """p50 and p80 of the calendar days of the visits completed since :since, for one regulator
    and stage, or (grouped) for every regulator and stage at once."""
    group = "regulator, stage" if grouped else ""
    partition = f"PARTITION BY {group} " if grouped else ""
    ranked = ("" if dialect == "postgresql" else
              f", ROW_NUMBER() OVER ({partition}ORDER BY calendar_days) AS rn, "
              f"COUNT(*) OVER ({partition.strip()}) AS n")
    where = "" if grouped else "regulator = :regulator AND stage = :stage AND "
    # Composed of constants from oversight.sql and validated choices; input goes only in binds.
    return f"""
        WITH recent AS (SELECT regulator, stage, calendar_days FROM stage_visits
                        WHERE {where}exited_at >= :since),
        ranked AS (SELECT *{ranked} FROM recent)
        SELECT {group + ", " if grouped else ""}COUNT(*) AS visits,
               {percentile(dialect, 0.5, 'calendar_days')} AS p50,
               {percentile(dialect, 0.8, 'calendar_days')} AS p80
        FROM ranked {"GROUP BY " + group if grouped else ""}
    """  # noqa: S608


def _rounded(value: float | None, visits: int) -> float | None:
    return None if not visits or value is None else round(float(value), 1)


def refresh_expectations(session: Session, registry: Registry, now: datetime | None = None) -> int:
    """Compute every regulator's and stage's expected time (one grouped query) and keep it in
    stage_expectations, replacing the last scan's; a stage with no completed visit keeps a row of
    none, so that its reads need not look again. Returns the rows kept."""
    now = now or utcnow()
    dialect = session.get_bind().dialect.name
    found = {
        (row.regulator, row.stage): row
        for row in session.execute(
            text(_history_sql(dialect, grouped=True)).bindparams(
                bindparam("since", type_=UTCDateTime)),
            {"since": now - YEAR},
        )
    }
    keys = {(slug, stage) for slug in registry.regulators for stage in EXPECTED_STAGES} | set(found)
    session.execute(delete(StageExpectation))
    for slug, stage in sorted(keys):
        row = found.get((slug, stage))
        visits = row.visits if row is not None else 0
        session.add(StageExpectation(
            regulator=slug, stage=stage, visits=visits,
            p50_calendar_days=_rounded(row.p50, visits) if row is not None else None,
            p80_calendar_days=_rounded(row.p80, visits) if row is not None else None,
            computed_at=now,
        ))
    session.flush()
    return len(keys)


def _history(session: Session, regulator: str, stage: str, now: datetime) -> tuple[
    int, float | None, float | None
]:
    """(visits, p50, p80) at this regulator's stage: as the last scan kept them, if recent; else
    computed now."""
    kept = session.get(StageExpectation, (regulator, stage))
    if kept is not None and kept.computed_at >= now - KEPT_FOR:
        return kept.visits, kept.p50_calendar_days, kept.p80_calendar_days
    dialect = session.get_bind().dialect.name
    history = session.execute(
        text(_history_sql(dialect, grouped=False)).bindparams(
            bindparam("since", type_=UTCDateTime)),
        {"regulator": regulator, "stage": stage, "since": now - YEAR},
    ).one()
    return (history.visits, _rounded(history.p50, history.visits),
            _rounded(history.p80, history.visits))


def expectation(session: Session, application: Application, now: datetime | None = None) -> (
    Expectation | None
):
    info = STATE_INFO[application.state]
    if info.stage in (Stage.closed, Stage.intake):
        return None
    stage = info.stage.value
    visits, p50, p80 = _history(session, application.regulator, stage, now or utcnow())
    # A queue is the holder's: while the applicant holds the file there is no place in a line.
    queue = None
    if info.clock is not Clock.applicant:
        queue = session.execute(
            text(QUEUE), {"regulator": application.regulator, "stage": stage,
                          "application": application.id},
        ).one()
    return Expectation(
        stage=stage,
        completed_visits=visits,
        median_calendar_days=p50,
        p80_calendar_days=p80,
        queue_position=None if queue is None else int(queue.ahead or 0) + 1,
        open_in_queue=None if queue is None else int(queue.open_total),
    )
