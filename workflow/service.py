"""Applications as the log's rules see them: finding one in the caller's scope, what the caller may
fire on it now, and every check a step must pass before it is appended (refusals name what is
allowed). Reads only: `workflow.append` writes."""

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, bindparam, select
from sqlalchemy.orm import Session, aliased
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.errors import Forbidden, InvalidRequest, InvalidTrigger, NotFound, VersionConflict
from i18n import Message, msg
from law.calendar import business_days_between, local_date
from law.fairness import BACKDATING_TOLERANCE_DAYS
from law.road import (
    BOARD_ORDER,
    DETAIL_TRIGGERS,
    INITIAL_STATE,
    NEEDS_OF,
    TRIGGER_OUTCOMES,
    TRIGGER_ROLES,
    Detail,
    Role,
    Trigger,
)
from regulators.registry import Registry
from regulators.service import rules_version_in_force
from workflow.ledger import GENESIS_HASH
from workflow.machine import allowed_triggers
from workflow.models import MAX_APPLICATION_ID, Application, Event, StageInterval, StageVisit
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


@dataclass(frozen=True)
class Locked:
    """An application locked for a step, with its open stage interval and visit (read with it)."""

    application: Application
    interval: StageInterval | None
    visit: StageVisit | None
    also: Any = None  # the value of the caller's `also` column, read with the lock


def _lock_query() -> Select[Application, StageInterval, StageVisit]:
    # Aliases: the caller's scope may ask about the application's intervals in a subquery
    # (workflow.policy), which must not correlate with the open interval joined here.
    interval, visit = aliased(StageInterval), aliased(StageVisit)
    return (
        select(Application, interval, visit)
        .outerjoin(interval, and_(col(interval.application_id) == col(Application.id),
                                  col(interval.exited_at).is_(None)))
        .outerjoin(visit, and_(col(visit.application_id) == col(Application.id),
                               col(visit.exited_at).is_(None)))
        .where(col(Application.id) == bindparam("app_id"))
        .with_for_update(of=Application)
    )


# Built once: building it (the aliases' columns) cost more than running it. The scopes most
# callers have take their value as a parameter, so their statement is built once too (per extra
# column a caller reads with the lock).
_LOCK = _lock_query()
_SCOPES: dict[Role, Any] = {Role.applicant: Application.applicant_id,
                            Role.regulator: Application.regulator}
_LOCKS: dict[tuple[Role | None, Any], Any] = {}


def _lock_statement(
    actor: Actor, registry: Registry, also: ColumnElement[Any] | None
) -> tuple[Any, dict[str, Any]]:
    """The locking read in this caller's scope (workflow.policy.visible_to) and its parameters."""
    scope = actor.user_id if actor.role is Role.applicant else actor.organization
    column = _SCOPES.get(actor.role)
    if column is None or scope is None:
        scoped = _LOCK.where(visible_to(actor, registry))
        return (scoped if also is None else scoped.add_columns(also)), {}
    statement = _LOCKS.get((actor.role, also))
    if statement is None:
        scoped = _LOCK.where(col(column) == bindparam("scope"))
        statement = _LOCKS[(actor.role, also)] = (
            scoped if also is None else scoped.add_columns(also))
    return statement, {"scope": scope}


def lock_application(
    session: Session, actor: Actor, registry: Registry, reference: str,
    also: ColumnElement[Any] | None = None, also_params: dict[str, Any] | None = None,
) -> Locked:
    """The application if this caller may see it (else NotFound), its row locked, and the open
    interval and visit the next event ends: one read (the lock is on the application's row only).
    `also`: a column on the application the caller reads with it (built once, e.g. an EXISTS),
    with the values of its parameters (`also_params`)."""
    app_id = parse_reference(reference)
    statement, params = _lock_statement(actor, registry, also)
    row = session.execute(statement, {**(also_params or {}), "app_id": app_id, **params}).one_or_none()
    if row is None or row[0].reference != reference:
        raise NotFound(f"no application '{reference}'")
    return Locked(row[0], row[1], row[2], row[3] if also is not None else None)


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
            msg("unknown trigger '{trigger}'", trigger=trigger), state=application.state,
            allowed=_allowed_list(mine),
        )
    if role is not actor.role:
        raise Forbidden(
            msg("'{trigger}' is for the {role}, not the {actor_role}", trigger=trigger,
                role=role.value, actor_role=actor.role.value),
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
            msg("'{trigger}' on this application is for another organization at this stage",
                trigger=trigger),
            allowed=_allowed_list(mine),
        )
    if trigger in TRIGGER_OUTCOMES:
        if outcome is None:
            raise InvalidRequest(
                msg("'{trigger}' needs an outcome: one of {outcomes}", trigger=trigger,
                    outcomes=list(TRIGGER_OUTCOMES[trigger])),
                field="outcome",
            )
        if outcome not in TRIGGER_OUTCOMES[trigger]:
            raise InvalidRequest(
                msg("'{outcome}' is not an outcome of '{trigger}': one of {outcomes}",
                    outcome=outcome, trigger=trigger, outcomes=list(TRIGGER_OUTCOMES[trigger])),
                field="outcome",
            )
        if outcome not in road[trigger]:
            raise InvalidTrigger(
                msg("'{trigger}' with outcome '{outcome}' is not allowed from '{state}' on this "
                    "route", trigger=trigger, outcome=outcome, state=application.state),
                state=application.state,
                allowed=_allowed_list(mine),
            )
    elif outcome is not None:
        raise InvalidRequest(msg("'{trigger}' takes no outcome", trigger=trigger), field="outcome")
    check_details(application, request)


def check_details(application: Application, request: EventRequest) -> None:
    """The details the law asks of this step (law.road.NEEDS), and none it cannot carry."""
    trigger = request.trigger
    for detail, triggers in DETAIL_TRIGGERS.items():
        if request.given(detail) and trigger not in triggers:
            raise InvalidRequest(
                msg("'{trigger}' does not take {detail}; it goes with {triggers}", trigger=trigger,
                    detail=detail.value, triggers=sorted(triggers)),
                field=detail.value,
            )
    facts = application.facts()
    for need in NEEDS_OF.get(trigger, ()):
        if not need.applies(application.state, facts, request.outcome, request.requirements):
            continue
        step = f"'{trigger}'" + (f" with outcome '{request.outcome}'" if request.outcome else "")
        if not any(request.given(detail) for detail in need.any_of):
            what = " or ".join(d.value for d in need.any_of)
            raise InvalidRequest(msg("{step} needs {what}: {rule}", step=step, what=what,
                                     rule=need.rule),
                                 field=need.any_of[0].value, rule=need.rule)
        if need.value is not None and getattr(request, need.any_of[0].value) is not need.value:
            raise InvalidRequest(msg("{step} cannot be recorded so: {rule}", step=step,
                                     rule=need.rule),
                                 field=need.any_of[0].value, rule=need.rule)


def check_dates(request: EventRequest, now: datetime) -> None:
    """The dates an event gives, against the day it occurred and today (Ontario); and back-dating
    beyond the tolerance needs a written reason."""
    moment = request.occurred_at or now
    if moment > now:
        raise InvalidRequest(msg("occurred_at is in the future"), field="occurred_at")
    try:
        occurred = local_date(moment)
    except (OverflowError, ValueError):
        raise InvalidRequest(msg("occurred_at is outside any date the log can hold"),
                             field="occurred_at") from None
    today = local_date(now)
    # A receipt recorded later may be of a decision made before the day it is recorded.
    earliest_receipt = None if request.trigger == "record_receipt" else occurred

    def between(detail: Detail, value: date | None, low: date | None, high: date,
                refusal: Message) -> None:
        if value is not None and ((low is not None and value < low) or value > high):
            raise InvalidRequest(refusal, field=detail.value)

    sent_from = request.sent_on or earliest_receipt
    between(Detail.sent_on, request.sent_on, occurred, today,
            msg("sent_on must be from {low} to {high}: not before the decision, not in the future",
                low=occurred, high=today))
    between(Detail.received_on, request.received_on, sent_from, today,
            msg("received_on must be from {low} to {high}: not before it was sent (or made), not "
                "in the future", low=sent_from, high=today) if sent_from is not None else
            msg("received_on must be on or before {high}: not in the future", high=today))
    between(Detail.served_on, request.served_on, None, occurred,
            msg("served_on must be on or before {high}: not after the day the filing is recorded",
                high=occurred))
    if request.respond_by is not None and request.respond_by <= occurred:
        raise InvalidRequest(msg("respond_by must be after the day of the request"),
                             field="respond_by")
    if request.until is not None and request.until < occurred:
        raise InvalidRequest(msg("until must not be before the day of the extension"),
                             field="until")
    lag = business_days_between(occurred, today)
    if lag > BACKDATING_TOLERANCE_DAYS and not request.given(Detail.backdated_because):
        raise InvalidRequest(
            msg("this event is recorded {lag} business days after the day it says it occurred; "
                "beyond {tolerance} business days (law/fairness.py) it needs a written reason in "
                "backdated_because, and it is flagged", lag=lag,
                tolerance=BACKDATING_TOLERANCE_DAYS),
            field="backdated_because", business_days_late=lag,
        )


def check_board_order(session: Session, application: Application, request: EventRequest) -> None:
    """The committee carries out the order HPARB required of it, not another (RHPA Code)."""
    if application.state != BOARD_ORDER or request.trigger != Trigger.issue_decision:
        return
    ordered = session.scalar(
        select(col(Event.outcome)).where(
            col(Event.application_id) == application.id,
            col(Event.trigger) == Trigger.decide_appeal,
        ).order_by(col(Event.seq).desc()).limit(1)
    )
    if ordered is not None and request.outcome != ordered:
        raise InvalidTrigger(
            msg("HPARB required the committee to make the order '{ordered}', not '{outcome}'",
                ordered=ordered, outcome=request.outcome), state=application.state,
            allowed=[{"trigger": Trigger.issue_decision.value, "outcomes": [ordered]}],
        )
