"""Figures the printed reports add to timeliness and outcomes (oversight.timeliness,
oversight.outcomes): per stage, the pauses on the applicant's clock; flags by kind and by how they
were resolved; the longest-open applications, by reference only. SQL over the projections, for one
regulator (or all) and one window of Ontario dates, like the figures they sit beside."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import TextClause, bindparam, select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from fairtrack.columns import UTCDateTime
from law.calendar import TORONTO, local_date
from law.road import CLOSED_STATES, STATE_INFO
from oversight.rollups import TIMED_STAGES
from workflow.models import Application

LONGEST_OPEN = 20


@dataclass(frozen=True)
class StagePauses:
    stage: str
    visits: int
    paused_visits: int  # visits with some time on the applicant's clock
    paused_business_days: int  # business days on the applicant's clock, all visits together


@dataclass(frozen=True)
class FlagCount:
    kind: str
    status: str  # open, acknowledged, resolved
    count: int


@dataclass(frozen=True)
class OpenApplication:
    reference: str
    state: str
    stage: str
    opened_on: date
    calendar_days: int  # from opening to the end of the window


def _window(since: date, until: date) -> dict[str, datetime]:
    return {"since": datetime.combine(since, time(0), tzinfo=TORONTO),
            "until": datetime.combine(until, time(0), tzinfo=TORONTO) + timedelta(days=1)}


def _binds(sql: str, *expanding: str) -> TextClause:
    statement = text(sql).bindparams(bindparam("since", type_=UTCDateTime),
                                     bindparam("until", type_=UTCDateTime))
    for name in expanding:
        statement = statement.bindparams(bindparam(name, expanding=True))
    return statement


def pauses(session: Session, regulator: str | None, since: date, until: date) -> list[StagePauses]:
    """Per timed stage, the visits that ended in the window and the time on the applicant's clock."""
    sql = f"""
        SELECT stage, COUNT(*) AS visits,
               SUM(CASE WHEN business_days > attributable_business_days THEN 1 ELSE 0 END) AS paused,
               SUM(business_days - attributable_business_days) AS paused_days
        FROM stage_visits
        WHERE stage IN :stages AND exited_at >= :since AND exited_at < :until
              {"AND regulator = :regulator" if regulator else ""}
        GROUP BY stage ORDER BY stage
    """  # noqa: S608 - a constant clause; input only in binds
    params: dict[str, object] = {"stages": list(TIMED_STAGES), **_window(since, until)}
    if regulator:
        params["regulator"] = regulator
    rows = session.execute(_binds(sql, "stages"), params)
    return [StagePauses(r.stage, r.visits, int(r.paused or 0), int(r.paused_days or 0)) for r in rows]


def flag_counts(session: Session, regulator: str | None, since: date, until: date) -> list[FlagCount]:
    """Flags raised in the window, by kind and where their triage stands."""
    sql = f"""
        SELECT kind, status, COUNT(*) AS n FROM flags
        WHERE raised_at >= :since AND raised_at < :until
              {"AND regulator = :regulator" if regulator else ""}
        GROUP BY kind, status ORDER BY kind, status
    """  # noqa: S608 - a constant clause; input only in binds
    params: dict[str, object] = dict(_window(since, until))
    if regulator:
        params["regulator"] = regulator
    return [FlagCount(r.kind, r.status, r.n) for r in session.execute(_binds(sql), params)]


def longest_open(session: Session, regulator: str, until: date,
                 limit: int = LONGEST_OPEN) -> list[OpenApplication]:
    """The applications open at the regulator the longest (opened by the window's end), oldest
    first: reference, state and stage only, no personal data."""
    query = (
        select(col(Application.id), col(Application.created_at), col(Application.state))
        .where(col(Application.regulator) == regulator,
               col(Application.state).not_in(sorted(CLOSED_STATES)),
               col(Application.created_at) < _window(until, until)["until"])
        .order_by(col(Application.created_at), col(Application.id))
        .limit(limit)
    )
    found = []
    for application_id, created_at, state in session.execute(query):
        opened = local_date(created_at)
        found.append(OpenApplication(
            reference=f"FT-{opened.year}-{application_id:06d}", state=state,
            stage=STATE_INFO[state].stage.value, opened_on=opened,
            calendar_days=(until - opened).days,
        ))
    return found
