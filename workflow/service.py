"""Applications as the log's rules see them: finding one in the caller's scope, what the caller may
fire on it now, and every check a step must pass before it is appended (refusals name what is
allowed). Reads only: `workflow.append` writes."""

import re
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.errors import Forbidden, InvalidRequest, InvalidTrigger, NotFound, VersionConflict
from i18n import msg
from law.calendar import local_date
from law.road import (
    INITIAL_STATE,
    OUTCOMES_LISTING_REQUIREMENTS,
    OUTCOMES_NEEDING_REASONS,
    TRIGGER_OUTCOMES,
    TRIGGER_ROLES,
    Role,
)
from regulators.registry import Registry
from regulators.service import rules_version_in_force
from workflow.ledger import GENESIS_HASH
from workflow.machine import allowed_triggers
from workflow.models import MAX_APPLICATION_ID, Application
from workflow.policy import may_fire, visible_to
from workflow.schemas import ApplicationCreate, EventRequest

REFERENCE = re.compile(r"^FT-(\d{4})-(\d{6,12})$")


def triggers_for(actor: Actor, application: Application, registry: Registry) -> dict[str, list[str]]:
    """The triggers (with outcomes) this caller may fire on the application now."""
    return {
        trigger: outcomes
        for trigger, outcomes in allowed_triggers(application.state, application.facts()).items()
        if may_fire(actor, application, trigger, registry)
    }


def new_application(
    session: Session, actor: Actor, registry: Registry, data: ApplicationCreate, now: datetime
) -> Application:
    """The row an applicant's request opens (not yet stored), or a refusal naming the field."""
    if actor.role is not Role.applicant or actor.user_id is None:
        raise Forbidden("only applicants open applications")
    regulator = registry.regulator(data.regulator)
    if regulator is None:
        raise InvalidRequest(msg("unknown regulator '{regulator}'", regulator=data.regulator),
                             field="regulator")
    if regulator.licence_class(data.licence_class) is None:
        known = [c.code for p in regulator.professions for c in p.licence_classes]
        raise InvalidRequest(
            msg("'{licence_class}' is not a licence class of {regulator}; known: {known}",
                licence_class=data.licence_class, regulator=regulator.acronym, known=known),
            field="licence_class",
        )
    assessor = data.assessor
    if regulator.third_party_assessment:
        if assessor is None and len(regulator.assessors) == 1:
            assessor = regulator.assessors[0]
        if assessor not in regulator.assessors:
            raise InvalidRequest(
                msg("{regulator} needs a third-party assessment first; choose an assessor from "
                    "{assessors}", regulator=regulator.acronym, assessors=regulator.assessors),
                field="assessor",
            )
    elif assessor is not None:
        raise InvalidRequest(
            msg("{regulator} assesses credentials itself; leave assessor empty",
                regulator=regulator.acronym),
            field="assessor",
        )
    return Application(
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


def check_step(
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
            msg("the application is at version {current}, not {expected}; read it again and retry",
                current=application.version, expected=request.expected_version),
            current_version=application.version,
        )
    road = allowed_triggers(application.state, application.facts())
    if trigger not in road:
        raise InvalidTrigger(
            msg("'{trigger}' is not a step from '{state}'", trigger=trigger, state=application.state),
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
    if outcome in OUTCOMES_LISTING_REQUIREMENTS and not request.requirements:
        raise InvalidRequest(f"a decision '{outcome}' must list them", field="requirements")
