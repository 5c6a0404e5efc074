"""Read queries over applications, scoped to the caller, paginated by keyset."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.errors import InvalidRequest
from regulators.registry import Registry
from workflow.models import MAX_APPLICATION_ID, Application, Event, StageInterval
from workflow.policy import visible_to
from workflow.road import STATES, Stage
from workflow.service import get_application

MAX_PAGE = 100


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
    if cursor is not None:
        # isdigit() alone also admits digits int() refuses, such as '²'
        if not (cursor.isascii() and cursor.isdigit()) or int(cursor) > MAX_APPLICATION_ID:
            raise InvalidRequest("cursor must be a value returned as next_cursor", field="cursor")
        query = query.where(col(Application.id) > int(cursor))
    rows = list(session.scalars(query.order_by(col(Application.id)).limit(limit + 1)))
    if len(rows) > limit:
        rows = rows[:limit]
        return rows, str(rows[-1].id)
    return rows, None


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
