"""Read queries over applications, scoped to the caller, paginated by keyset."""

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.pagination import cut, id_cursor
from law.road import STATES, Stage
from regulators.registry import Registry
from workflow.ledger import visit_durations
from workflow.models import Application, Event, StageInterval
from workflow.policy import visible_to
from workflow.schemas import StageClock
from workflow.service import get_application


@dataclass(frozen=True)
class ApplicationFilter:
    state: str | None = None
    stage: Stage | None = None
    regulator: str | None = None


def list_applications(
    session: Session,
    actor: Actor,
    registry: Registry,
    filters: ApplicationFilter,
    limit: int,
    cursor: str | None,
) -> tuple[list[Application], str | None]:
    query = select(Application).where(visible_to(actor, registry))
    if filters.state is not None:
        query = query.where(col(Application.state) == filters.state)
    if filters.stage is not None:
        in_stage = [s.name for s in STATES if s.stage is filters.stage]
        query = query.where(col(Application.state).in_(in_stage))
    if filters.regulator is not None:
        query = query.where(col(Application.regulator) == filters.regulator)
    last = id_cursor(cursor)
    if last is not None:
        query = query.where(col(Application.id) > last)
    rows = session.scalars(query.order_by(col(Application.id)).limit(limit + 1)).all()
    return cut(rows, limit, lambda row: row.id)


def timeline(
    session: Session, actor: Actor, registry: Registry, reference: str
) -> tuple[Application, list[Event], list[StageInterval]]:
    application = get_application(session, actor, registry, reference)
    events = list(
        session.scalars(
            select(Event).where(col(Event.application_id) == application.id).order_by(col(Event.seq))
        )
    )
    intervals = list(
        session.scalars(
            select(StageInterval)
            .where(col(StageInterval.application_id) == application.id)
            .order_by(col(StageInterval.seq))
        )
    )
    return application, events, intervals


def stage_clocks(session: Session, application_id: int, now: datetime | None = None) -> list[StageClock]:
    """Per stage, in SQL over the closed visits; the one open visit is counted to now."""
    applicant = col(StageInterval.clock) == "applicant"
    business = col(StageInterval.business_days)
    rows = session.execute(
        select(
            col(StageInterval.stage),
            func.min(col(StageInterval.seq)),
            func.coalesce(func.sum(col(StageInterval.calendar_days)), 0),
            func.coalesce(func.sum(business), 0),
            func.coalesce(func.sum(case((applicant, business), else_=0)), 0),
        )
        .where(col(StageInterval.application_id) == application_id)
        .group_by(col(StageInterval.stage))
        .order_by(func.min(col(StageInterval.seq)))
    ).all()
    clocks: dict[str, list[int]] = {
        cast(str, stage): [cast(int, calendar), cast(int, total), cast(int, paused)]
        for stage, _, calendar, total, paused in rows
    }
    current = session.scalars(
        select(StageInterval).where(
            col(StageInterval.application_id) == application_id, col(StageInterval.exited_at).is_(None)
        )
    ).one_or_none()
    if current is not None and current.stage != "closed":
        calendar, business_days = visit_durations(current.entered_at, now or utcnow())
        clocks[current.stage][0] += calendar
        clocks[current.stage][1] += business_days
        if current.clock == "applicant":
            clocks[current.stage][2] += business_days
    return [
        StageClock(stage=stage, calendar_days=c, business_days=b, paused_business_days=p,
                   attributable_business_days=b - p)
        for stage, (c, b, p) in clocks.items() if stage != "closed"
    ]


def reference_of(session: Session, application_id: int) -> str:
    """The public reference of an application known to exist (e.g. a flag's)."""
    application = session.get(Application, application_id)
    assert application is not None
    return application.reference


def count_applications(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Application)) or 0
