"""The only code that writes the log: opening an application and applying one event to it."""

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.errors import (
    Forbidden,
    InvalidRequest,
    InvalidTrigger,
    NotFound,
    VersionConflict,
)
from regulators.registry import Registry
from regulators.service import rules_version_in_force
from workflow.calendar import local_date
from workflow.consequences import follow_event
from workflow.ledger import GENESIS_HASH, chain_hash, event_content, visit_durations
from workflow.machine import StepRefused, Walk, allowed_triggers, fire
from workflow.models import MAX_APPLICATION_ID, Application, Event, StageInterval
from workflow.policy import may_fire, visible_to
from workflow.road import (
    INITIAL_STATE,
    OUTCOMES_NEEDING_REASONS,
    STATE_INFO,
    TRIGGER_OUTCOMES,
    TRIGGER_ROLES,
    Fact,
    Role,
)
from workflow.schemas import ApplicationCreate, EventRequest
from workflow.visits import advance_visit, visit_of

CREATE_TRIGGER = "create"
REFERENCE = re.compile(r"^FT-(\d{4})-(\d{6,12})$")


def triggers_for(actor: Actor, application: Application, registry: Registry) -> dict[str, list[str]]:
    """The triggers (with outcomes) this caller may fire on the application now."""
    return {
        trigger: outcomes
        for trigger, outcomes in allowed_triggers(application.state, application.facts()).items()
        if may_fire(actor, application, trigger, registry)
    }


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
    )


def create_application(
    session: Session,
    actor: Actor,
    registry: Registry,
    data: ApplicationCreate,
    now: datetime | None = None,
) -> Application:
    if actor.role is not Role.applicant or actor.user_id is None:
        raise Forbidden("only applicants open applications")
    regulator = registry.regulator(data.regulator)
    if regulator is None:
        raise InvalidRequest(f"unknown regulator '{data.regulator}'", field="regulator")
    if regulator.licence_class(data.licence_class) is None:
        known = [c.code for p in regulator.professions for c in p.licence_classes]
        raise InvalidRequest(
            f"'{data.licence_class}' is not a licence class of {regulator.acronym}; "
            f"known: {known}",
            field="licence_class",
        )
    assessor = data.assessor
    if regulator.third_party_assessment:
        if assessor is None and len(regulator.assessors) == 1:
            assessor = regulator.assessors[0]
        if assessor not in regulator.assessors:
            raise InvalidRequest(
                f"{regulator.acronym} needs a third-party assessment first; "
                f"choose an assessor from {regulator.assessors}",
                field="assessor",
            )
    elif assessor is not None:
        raise InvalidRequest(
            f"{regulator.acronym} assesses credentials itself; leave assessor empty",
            field="assessor",
        )
    now = now or utcnow()
    application = Application(
        applicant_id=actor.user_id,
        regulator=regulator.slug,
        licence_class=data.licence_class,
        assessor=assessor,
        health_route=regulator.sector == "health",
        rules_version=rules_version_in_force(session, registry, regulator.slug, local_date(now)),
        state=INITIAL_STATE,
        version=0,
        head_hash=GENESIS_HASH,
        created_at=now,
        updated_at=now,
    )
    session.add(application)
    session.flush()
    event = _new_event(
        application,
        actor,
        trigger=CREATE_TRIGGER,
        outcome=None,
        from_state=None,
        to_state=INITIAL_STATE,
        occurred_at=now,
        recorded_at=now,
        payload={},
    )
    session.add(event)
    entered = _enter(application, event)
    session.add(entered)
    session.add(visit_of(entered))
    application.version = event.seq
    application.head_hash = event.hash
    session.flush()
    follow_event(session, registry, application, event)
    return application


def parse_reference(reference: str) -> int:
    match = REFERENCE.match(reference)
    if match is None or int(match.group(2)) > MAX_APPLICATION_ID:
        raise NotFound(f"no application '{reference[:40]}'; references look like FT-2026-000123")
    return int(match.group(2))


def load_application(
    session: Session, actor: Actor, registry: Registry, reference: str, *, lock: bool = False
) -> Application:
    """The application if this caller may see it (else NotFound); `lock` holds its row."""
    app_id = parse_reference(reference)
    query = select(Application).where(col(Application.id) == app_id, visible_to(actor, registry))
    if lock:
        query = query.with_for_update(of=Application)
    application = session.scalars(query).one_or_none()
    if application is None or application.reference != reference:
        raise NotFound(f"no application '{reference}'")
    return application


def get_application(
    session: Session, actor: Actor, registry: Registry, reference: str
) -> Application:
    return load_application(session, actor, registry, reference)


def _allowed_list(allowed: dict[str, list[str]]) -> list[dict[str, Any]]:
    return [{"trigger": t, "outcomes": o} for t, o in allowed.items()]


def _check_step(
    actor: Actor, application: Application, registry: Registry, request: EventRequest
) -> None:
    """Refuse, naming what is allowed, anything the caller or the road does not allow."""
    trigger, outcome = request.trigger, request.outcome
    mine = triggers_for(actor, application, registry)
    role = TRIGGER_ROLES.get(trigger)
    if role is None:
        raise InvalidTrigger(
            f"unknown trigger '{trigger}'", state=application.state, allowed=_allowed_list(mine)
        )
    if role is not actor.role:
        raise Forbidden(
            f"'{trigger}' is for the {role.value}, not the {actor.role.value}",
            allowed=_allowed_list(mine),
        )
    if application.version != request.expected_version:
        raise VersionConflict(
            f"the application is at version {application.version}, not "
            f"{request.expected_version}; read it again and retry",
            current_version=application.version,
        )
    road = allowed_triggers(application.state, application.facts())
    if trigger not in road:
        raise InvalidTrigger(
            f"'{trigger}' is not a step from '{application.state}'",
            state=application.state,
            allowed=_allowed_list(mine),
        )
    if not may_fire(actor, application, trigger, registry):
        raise Forbidden(
            f"'{trigger}' on this application is for another organization at this stage",
            allowed=_allowed_list(mine),
        )
    if trigger in TRIGGER_OUTCOMES:
        if outcome is None:
            raise InvalidRequest(
                f"'{trigger}' needs an outcome: one of {list(TRIGGER_OUTCOMES[trigger])}",
                field="outcome",
            )
        if outcome not in TRIGGER_OUTCOMES[trigger]:
            raise InvalidRequest(
                f"'{outcome}' is not an outcome of '{trigger}': one of "
                f"{list(TRIGGER_OUTCOMES[trigger])}",
                field="outcome",
            )
        if outcome not in road[trigger]:
            raise InvalidTrigger(
                f"'{trigger}' with outcome '{outcome}' is not allowed from '{application.state}' "
                "on this route",
                state=application.state,
                allowed=_allowed_list(mine),
            )
    elif outcome is not None:
        raise InvalidRequest(f"'{trigger}' takes no outcome", field="outcome")
    if outcome in OUTCOMES_NEEDING_REASONS and not (request.reasons or "").strip():
        raise InvalidRequest(f"a decision '{outcome}' needs written reasons", field="reasons")
    if outcome == "requirements" and not request.requirements:
        raise InvalidRequest("a decision 'requirements' must list them", field="requirements")


def apply_event(
    session: Session,
    actor: Actor,
    registry: Registry,
    reference: str,
    request: EventRequest,
    now: datetime | None = None,
) -> tuple[Application, Event]:
    """Fire one trigger: lock, check, append the chained event, move state and projections."""
    application = load_application(session, actor, registry, reference, lock=True)
    _check_step(actor, application, registry, request)
    now = now or utcnow()
    occurred_at = request.occurred_at or now
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
    except StepRefused as exc:  # _check_step read the same data; this is the machine agreeing
        raise InvalidTrigger(f"'{request.trigger}' is not a step from '{from_state}'") from exc
    event = _new_event(
        application,
        actor,
        trigger=request.trigger,
        outcome=request.outcome,
        from_state=from_state,
        to_state=to_state,
        occurred_at=occurred_at,
        recorded_at=now,
        payload=request.payload(),
    )
    # The version guard makes a lost update impossible even where the row lock is not available.
    moved_to = {
        "state": to_state,
        "decided_by_committee": Fact.decided_by_committee in walk.facts,
        "version": event.seq,
        "head_hash": event.hash,
        "updated_at": now,
    }
    if request.trigger == "submit":  # the rules in force when submitted govern (issue 3)
        moved_to["rules_version"] = rules_version_in_force(
            session, registry, application.regulator, local_date(occurred_at)
        )
    moved = session.execute(
        update(Application)
        .where(col(Application.id) == application.id, col(Application.version) == application.version)
        .values(**moved_to)
        .execution_options(synchronize_session=False)
    )
    if moved.rowcount != 1:  # type: ignore[attr-defined]
        raise VersionConflict("the application changed meanwhile; read it again and retry")
    for name, value in moved_to.items():  # what the UPDATE wrote, without reading it back
        set_committed_value(application, name, value)
    current.exited_at = occurred_at
    current.calendar_days, current.business_days = visit_durations(current.entered_at, occurred_at)
    session.add(event)
    entered = _enter(application, event)
    session.add(entered)
    advance_visit(session, current, entered)
    session.flush()
    follow_event(session, registry, application, event)
    return application, event
