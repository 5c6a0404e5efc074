"""Read queries over applications, scoped to the caller, paginated by keyset."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.pagination import cut, id_cursor
from law.road import STATES, Stage
from regulators.registry import Registry
from workflow.ledger import recorded_business_days, visit_durations
from workflow.models import Application, Event, StageInterval
from workflow.policy import events_for, visible_to
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
    events = events_for(actor, list(
        session.scalars(
            select(Event).where(col(Event.application_id) == application.id).order_by(col(Event.seq))
        )
    ))
    intervals = list(
        session.scalars(
            select(StageInterval)
            .where(col(StageInterval.application_id) == application.id)
            .order_by(col(StageInterval.seq))
        )
    )
    return application, events, intervals


def stage_clocks(session: Session, application_id: int, now: datetime | None = None) -> list[StageClock]:
    """Per stage, its days counted by the days events say they occurred and by the days they were
    recorded (side by side: what back-dating moved); the one open interval is counted to now."""
    now = now or utcnow()
    rows = session.scalars(
        select(StageInterval).where(col(StageInterval.application_id) == application_id)
        .order_by(col(StageInterval.seq))
    ).all()
    # stage -> [calendar, business, paused, business as recorded, paused as recorded]
    clocks: dict[str, list[int]] = {}
    for interval in rows:
        if interval.stage == "closed":
            continue
        if interval.exited_at is None:
            calendar, business = visit_durations(interval.entered_at, now)
            recorded = recorded_business_days(interval.recorded_at, now)
        else:
            calendar, business = interval.calendar_days or 0, interval.business_days or 0
            recorded = interval.recorded_business_days or 0
        sums = clocks.setdefault(interval.stage, [0, 0, 0, 0, 0])
        applicant = interval.clock == "applicant"
        for i, value in enumerate((calendar, business, business if applicant else 0, recorded,
                                   recorded if applicant else 0)):
            sums[i] += value
    return [
        StageClock(stage=stage, calendar_days=c, business_days=b, paused_business_days=p,
                   attributable_business_days=b - p, paused_business_days_as_recorded=rp,
                   attributable_business_days_as_recorded=rb - rp)
        for stage, (c, b, p, rb, rp) in clocks.items()
    ]


def reference_of(session: Session, application_id: int) -> str:
    """The public reference of an application known to exist (e.g. a flag's)."""
    application = session.get(Application, application_id)
    assert application is not None
    return application.reference


def count_applications(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Application)) or 0
