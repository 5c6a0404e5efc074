"""What an applicant can expect at their open stage, from real history (SQL): p50 and p80 of the
completed visits to the same regulator and stage in the last 12 months, and the queue position."""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from fairtrack.columns import UTCDateTime, utcnow
from law.road import STATE_INFO, Clock, Stage
from oversight.schemas import Expectation
from oversight.sql import percentile
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


def expectation(session: Session, application: Application, now: datetime | None = None) -> (
    Expectation | None
):
    info = STATE_INFO[application.state]
    if info.stage in (Stage.closed, Stage.intake):
        return None
    stage = info.stage.value
    dialect = session.get_bind().dialect.name
    ranked = ("" if dialect == "postgresql" else
              ", ROW_NUMBER() OVER (ORDER BY calendar_days) AS rn, COUNT(*) OVER () AS n")
    # Composed of constants from oversight.sql and validated choices; input goes only in binds.
    sql = f"""
        WITH recent AS (SELECT calendar_days FROM stage_visits
                        WHERE regulator = :regulator AND stage = :stage AND exited_at >= :since),
        ranked AS (SELECT *{ranked} FROM recent)
        SELECT COUNT(*) AS visits, {percentile(dialect, 0.5, 'calendar_days')} AS p50,
               {percentile(dialect, 0.8, 'calendar_days')} AS p80
        FROM ranked
    """  # noqa: S608
    since = (now or utcnow()) - timedelta(days=365)
    params = {"regulator": application.regulator, "stage": stage, "since": since}
    history = session.execute(
        text(sql).bindparams(bindparam("since", type_=UTCDateTime)), params
    ).one()
    # A queue is the holder's: while the applicant holds the file there is no place in a line.
    queue = None
    if info.clock is not Clock.applicant:
        queue = session.execute(
            text(QUEUE), {"regulator": application.regulator, "stage": stage,
                          "application": application.id},
        ).one()
    return Expectation(
        stage=stage,
        completed_visits=history.visits,
        median_calendar_days=None if not history.visits else round(float(history.p50), 1),
        p80_calendar_days=None if not history.visits else round(float(history.p80), 1),
        queue_position=None if queue is None else int(queue.ahead or 0) + 1,
        open_in_queue=None if queue is None else int(queue.open_total),
    )
