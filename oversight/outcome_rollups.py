"""Outcomes at analytical speed: one row per closed application (table `outcome_rollups`) with what
the outcome figures need of it and nothing they would have to join the stage intervals for: its
regulator and applicant, whether it was licensed, its days to licence and the stages it reached.
Read by `oversight.outcomes`, which joins the applicants' profiles when asked (a profile changes
without any event, so the groups cannot be rolled up; the people are distinct applicants, not
additive; the percentiles are of continuous durations, which no histogram gives exactly: so the
rollup stays one row per application, a narrow one, and the figures are computed from it as they
were from the rows).

Incremental: every change of an application's state enters a stage interval, so the applications
whose outcome may have changed since the last refresh are those with an interval above the
watermark (`rollup_watermarks`, name 'outcomes'). `refresh` deletes their rows and writes them
again from the applications and their intervals (those now closed), in SQL, and moves the
watermark. A query uses the rows of the applications with no interval above the watermark and
computes the others, on the fly, in the same statement (`facts`): exact whether or not the scan
has run, and only as slow as the applications it has to compute. `refused` is not final (a
tribunal may extend the time to appeal): an application reopened since is one of those.
On PostgreSQL the refresh first takes a SHARE lock on stage_intervals, which waits for the writes
in flight to commit (ids are handed out before commit, not in commit order) and holds new ones
back until it commits; on SQLite every write transaction is already serialized.
"""

from datetime import datetime

from sqlalchemy import Connection, bindparam, delete, func, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from law.road import CLOSED_STATES, Stage
from oversight.models import OutcomeRollup, RollupWatermark
from oversight.rollups import advance_watermark
from oversight.sql import days_between
from workflow.models import StageInterval

WATERMARK = "outcomes"
COLUMNS = "application_id, regulator, applicant_id, licensed, days, stages"
# A bit for each stage an application can be in before it closes, in the road's order.
STAGE_BITS: dict[str, int] = {
    stage.value: 1 << i for i, stage in enumerate(s for s in Stage if s is not Stage.closed)
}
# The stages as rows, to join an application's bits to the stages it reached (oversight.outcomes'
# `reached.stage`). Composed of constants only.
REACHED = "(" + " UNION ALL ".join(
    f"SELECT '{stage}' AS stage, {bit} AS bit" for stage, bit in STAGE_BITS.items()
) + ")"  # noqa: S608
_BIT_OF = " ".join(f"WHEN '{stage}' THEN {bit}" for stage, bit in STAGE_BITS.items())


def closed_facts(dialect: str, where: str = "") -> str:
    """A SELECT of the rollup's columns for the closed applications (`a`) that `where` (constants
    and binds only) keeps, computed from the applications and their stage intervals exactly as
    oversight.outcomes counted them: licensed is the state `licensed`, its days run from the
    application's creation to its entering that state, and the stages are those of its intervals.
    Needs the bind `closed` (expanding: CLOSED_STATES)."""
    days = days_between(dialect, "a.created_at", "l.entered_at")
    return f"""
        SELECT a.id AS application_id, a.regulator, a.applicant_id,
               CASE WHEN a.state = 'licensed' THEN 1 ELSE 0 END AS licensed,
               CAST(CASE WHEN a.state = 'licensed' THEN {days} END AS DOUBLE PRECISION) AS days,
               COALESCE((SELECT SUM(DISTINCT CASE i.stage {_BIT_OF} END) FROM stage_intervals AS i
                         WHERE i.application_id = a.id AND i.stage <> 'closed'), 0) AS stages
        FROM applications AS a
        LEFT JOIN stage_intervals AS l ON l.application_id = a.id AND l.state = 'licensed'
        WHERE a.state IN :closed {where}
    """  # noqa: S608


def facts(dialect: str, where_rollup: str = "", where_live: str = "") -> str:
    """A CTE `facts`: the rollup's rows of the closed applications, those of the applications with
    an interval above the watermark (the bind `mark`) computed on the fly instead of read.
    `where_rollup` and `where_live` narrow them (on `r` and `a`: constants and binds only)."""
    touched = "SELECT t.application_id FROM stage_intervals AS t WHERE t.id > :mark"
    live = closed_facts(dialect, f"AND a.id IN ({touched}) {where_live}")
    return f"""
        facts AS (
            SELECT r.application_id, r.regulator, r.applicant_id, r.licensed, r.days, r.stages
            FROM outcome_rollups AS r
            WHERE NOT EXISTS (SELECT 1 FROM stage_intervals AS t
                              WHERE t.application_id = r.application_id AND t.id > :mark)
                  {where_rollup}
            UNION ALL
            {live}
        )
    """  # noqa: S608


def watermark(session: Session) -> int:
    """The last stage interval the rollups have read (0 before the first build). Read before the
    figures, not in their statement: a refresh committed meanwhile only moves rows from the
    computed to the read (it rewrites only the applications above the old mark)."""
    found = session.scalar(select(col(RollupWatermark.last_id))
                           .where(col(RollupWatermark.name) == WATERMARK))
    return found or 0


def _execute(connection: Connection, sql: str, params: dict[str, object]) -> int:
    statement = text(sql)
    if ":closed" in sql:
        statement = statement.bindparams(bindparam("closed", expanding=True))
        params = {"closed": sorted(CLOSED_STATES), **params}
    result = connection.execute(statement, params)
    return int(result.rowcount or 0)


def build(connection: Connection) -> int:
    """Every closed application's row, in the database (INSERT ... SELECT: a million applications
    never pass through Python); returns how many. The caller moves the watermark: to the largest
    stage interval id, read after PostgreSQL's SHARE lock (see `refresh`)."""
    connection.execute(delete(OutcomeRollup))
    dialect = connection.dialect.name
    return _execute(connection, f"INSERT INTO outcome_rollups ({COLUMNS}) "
                    f"{closed_facts(dialect)}", {})  # noqa: S608 - constants only


def lock_and_top(connection: Connection) -> int:
    """Hold back new stage intervals until the caller commits (PostgreSQL; SQLite's writers are
    serialized already) and return the largest id written."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("LOCK TABLE stage_intervals IN SHARE MODE"))
    return connection.scalar(select(func.max(col(StageInterval.id)))) or 0


def refresh(session: Session, now: datetime | None = None) -> int:
    """Bring the rollup up to date with the intervals written since the last refresh, in the
    caller's unit of work; returns how many closed applications' rows it wrote. The first refresh
    (or `rebuild`) writes every closed application's row."""
    connection = session.connection()
    top = lock_and_top(connection)
    mark = session.get(RollupWatermark, WATERMARK, with_for_update=True)
    last = mark.last_id if mark is not None else 0
    if mark is not None and last >= top:
        return 0
    if mark is None or last == 0:
        written = build(connection)
    else:
        touched = "SELECT application_id FROM stage_intervals WHERE id > :last"
        stale = f"DELETE FROM outcome_rollups WHERE application_id IN ({touched})"  # noqa: S608
        _execute(connection, stale, {"last": last})
        live = closed_facts(connection.dialect.name, f"AND a.id IN ({touched})")
        written = _execute(connection, f"INSERT INTO outcome_rollups ({COLUMNS}) {live}",
                           {"last": last})  # noqa: S608 - constants only
    advance_watermark(session, WATERMARK, mark, top, now)
    return written


def rebuild(session: Session, now: datetime | None = None) -> int:
    """Forget the rollup and write every closed application's row again."""
    session.execute(delete(RollupWatermark).where(col(RollupWatermark.name) == WATERMARK))
    return refresh(session, now)
