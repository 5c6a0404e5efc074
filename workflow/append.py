"""The log's one writer: opening an application's log and appending a checked event to it, with
the hash chain, the state, and the stage projections, in the caller's transaction.

Only the coordinating floor (casefile) calls these: an import-linter contract keeps it so, so that
nothing writes an event without what an event sets off (deadlines, flags).
"""

from datetime import datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.errors import InvalidRequest, InvalidTrigger, VersionConflict
from fairtrack.rows import insert_row, update_row, update_where
from law.calendar import local_date
from law.road import CREATE_TRIGGER, FIXES_RULES_VERSION, INITIAL_STATE, STATE_INFO, Fact
from regulators.registry import Registry
from regulators.service import rules_version_in_force
from workflow.ledger import (
    APPLICATION_FACTS,
    chain_hash,
    event_content,
    recorded_business_days,
    visit_durations,
)
from workflow.machine import StepRefused, Walk, fire
from workflow.models import Application, Event, StageInterval, StageVisit
from workflow.schemas import EventRequest
from workflow.visits import advance_visit, visit_of

APPLICATIONS: Table = Application.__table__  # type: ignore[attr-defined]


def _new_event(
    application: Application,
    actor: Actor,
    *,
    trigger: str,
    outcome: str | None,
    from_state: str | None,
    to_state: str,
    occurred_at: datetime,
    recorded_at: datetime,
    payload: dict[str, Any],
    changes: dict[str, Any],
) -> Event:
    assert application.id is not None
    fields: dict[str, Any] = {
        "application_id": application.id,
        "seq": application.version + 1,
        "trigger": trigger,
        "outcome": outcome,
        "from_state": from_state,
        "to_state": to_state,
        "actor_id": actor.user_id,
        "actor_role": actor.role.value,
        "actor_org": actor.organization,
        "occurred_at": occurred_at,
        "recorded_at": recorded_at,
        "payload": payload,
        "changes": changes,
    }
    digest = chain_hash(application.head_hash, event_content(**fields))
    return Event(**fields, prev_hash=application.head_hash, hash=digest)


def _enter(application: Application, event: Event) -> StageInterval:
    info = STATE_INFO[event.to_state]
    assert application.id is not None
    return StageInterval(
        application_id=application.id,
        regulator=application.regulator,
        seq=event.seq,
        state=info.name,
        stage=info.stage.value,
        clock=info.clock.value,
        entered_at=event.occurred_at,
        recorded_at=event.recorded_at,
    )


def start_log(session: Session, actor: Actor, application: Application) -> Event:
    """Store a new application (see workflow.service.new_application) with its first event,
    `create` into draft, its first stage interval and visit."""
    now = application.created_at
    session.add(application)
    session.flush()
    event = _new_event(
        application, actor, trigger=CREATE_TRIGGER, outcome=None, from_state=None,
        to_state=INITIAL_STATE, occurred_at=now, recorded_at=now, payload={},
        changes={name: getattr(application, name) for name in APPLICATION_FACTS},
    )
    session.add(event)
    entered = _enter(application, event)
    session.add(entered)
    session.add(visit_of(entered))
    application.version = event.seq
    application.head_hash = event.hash
    session.flush()
    return event


def append_event(
    session: Session,
    actor: Actor,
    registry: Registry,
    application: Application,
    request: EventRequest,
    now: datetime,
    attached: dict[str, Any] | None = None,
    current: StageInterval | None = None,
    visit: StageVisit | None = None,
) -> Event:
    """Fire a checked request (workflow.service.check_step) on the locked application: append the
    chained event, move the state with a version guard, close the open interval and enter the next.

    `attached` joins the payload under the hash: what the step produced (a letter's SHA-256).
    `current` and `visit`: the open interval and visit, if read with the lock
    (workflow.service.lock_application); else read here. The rows are written now, each by one Core
    statement compiled once (fairtrack.rows), not by the ORM's unit of work."""
    occurred_at = request.occurred_at or now
    if current is None:
        current = session.scalars(
            select(StageInterval).where(
                col(StageInterval.application_id) == application.id,
                col(StageInterval.exited_at).is_(None),
            )
        ).one()
    if occurred_at > now:
        raise InvalidRequest("occurred_at is in the future", field="occurred_at")
    if occurred_at < current.entered_at:
        raise InvalidRequest(
            f"occurred_at is before the previous event ({current.entered_at.isoformat()})",
            field="occurred_at",
        )
    walk = Walk(application.state, application.facts())
    from_state = application.state
    try:
        to_state = fire(walk, request.trigger, request.outcome)
    except StepRefused as exc:  # check_step read the same data; this is the machine agreeing
        raise InvalidTrigger(f"'{request.trigger}' is not a step from '{from_state}'") from exc
    changes: dict[str, Any] = {}
    if request.trigger == FIXES_RULES_VERSION:  # the rules in force when submitted govern
        changes["rules_version"] = rules_version_in_force(
            session, registry, application.regulator, local_date(occurred_at)
        )
    event = _new_event(
        application,
        actor,
        trigger=request.trigger,
        outcome=request.outcome,
        from_state=from_state,
        to_state=to_state,
        occurred_at=occurred_at,
        recorded_at=now,
        payload={**request.payload(), **(attached or {})},
        changes=changes,
    )
    # The version guard makes a lost update impossible even where the row lock is not available.
    moved_to = {
        "state": to_state,
        "decided_by_committee": Fact.decided_by_committee in walk.facts,
        "version": event.seq,
        "head_hash": event.hash,
        "updated_at": now,
        **changes,
    }
    if update_where(session, APPLICATIONS, moved_to,
                    {"id": application.id, "version": application.version}) != 1:
        raise VersionConflict("the application changed meanwhile; read it again and retry")
    for name, value in moved_to.items():  # what the UPDATE wrote, without reading it back
        set_committed_value(application, name, value)
    insert_row(session, event)
    current.exited_at = occurred_at
    current.calendar_days, current.business_days = visit_durations(current.entered_at, occurred_at)
    current.recorded_business_days = recorded_business_days(current.recorded_at, now)
    update_row(session, current)
    entered = _enter(application, event)
    insert_row(session, entered)
    advance_visit(session, current, entered, visit)
    return event
