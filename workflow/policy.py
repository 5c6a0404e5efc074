"""Who sees an application and who may act on it: the one place that scopes by caller."""

from sqlalchemy import ColumnElement, and_, exists, false, or_, select, true
from sqlmodel import col

from accounts.actor import Actor
from law.road import (
    COURT_REGISTRY_STATES,
    COURT_TRIGGERS,
    ENDS_BY_CHOICE,
    EXTENSIONS,
    RECEIPT_STATES,
    STATE_INFO,
    STATES,
    STEPS,
    TRIGGER_ROLES,
    Role,
    Stage,
    State,
)
from regulators.registry import DIVISIONAL_COURT, Registry
from workflow.models import Application, Event, StageInterval

READERS_OF_EVERYTHING = frozenset({Role.oversight})


def _visited(stage: Stage) -> ColumnElement[bool]:
    return exists(
        select(col(StageInterval.id)).where(
            col(StageInterval.application_id) == col(Application.id), col(StageInterval.stage) == stage.value
        )
    )


def _entered(states: frozenset[str]) -> ColumnElement[bool]:
    return exists(
        select(col(StageInterval.id)).where(
            col(StageInterval.application_id) == col(Application.id),
            col(StageInterval.state).in_(sorted(states)),
        )
    )


# Where a decision an appeal body may review was made: the body sees the file from then on, so that
# it can extend the time to ask it (even once the time lapsed).
REVIEWABLE_STATES = frozenset(RECEIPT_STATES) - {State.referred_to_committee}


def visible_to(actor: Actor, registry: Registry) -> ColumnElement[bool]:
    """SQL condition on applications: the rows this caller may read."""
    role, org = actor.role, actor.organization
    if role in READERS_OF_EVERYTHING or role is Role.system:
        return true()
    if role is Role.applicant:
        return col(Application.applicant_id) == actor.user_id
    if org is None:
        return false()
    if role is Role.regulator:
        return col(Application.regulator) == org
    if role is Role.assessor:
        # Only once the file came to it (submitted): never an applicant's draft (need-to-know).
        return and_(col(Application.assessor) == org, col(Application.state) != State.draft)
    if role is Role.tribunal:
        if org == DIVISIONAL_COURT:
            # The registry also finds appeal boards' decisions, to record a filing made at its
            # counter, and refusals after them, to extend the time to appeal (r. 3.02).
            after_board = and_(col(Application.state) == State.refused,
                               _visited(Stage.appeal_board))
            return or_(_visited(Stage.divisional_court),
                       col(Application.state).in_(sorted(COURT_REGISTRY_STATES)), after_board)
        # An appeal body sees the cases that came, or could come, before it.
        heard_by = [s for s, r in registry.regulators.items() if r.appeal_body.slug == org]
        return and_(col(Application.regulator).in_(heard_by),
                    or_(_visited(Stage.appeal_board), _entered(REVIEWABLE_STATES)))
    return false()


def holder(
    application: Application, role: Role, registry: Registry, trigger: str | None = None
) -> str | None:
    """The organization whose staff act for `role` on this application where it now stands (for
    `trigger`, when the step names its tribunal: law.road.COURT_TRIGGERS)."""
    if role is Role.regulator:
        return application.regulator
    if role is Role.assessor:
        return application.assessor
    if role is Role.tribunal:
        if application.state in COURT_REGISTRY_STATES or trigger in COURT_TRIGGERS:
            return DIVISIONAL_COURT
        regulator = registry.regulator(application.regulator)
        return regulator.appeal_body.slug if regulator else None
    return None


def may_fire(actor: Actor, application: Application, trigger: str, registry: Registry) -> bool:
    """Role and organization only; whether the road allows the step is the machine's call."""
    role = TRIGGER_ROLES.get(trigger)
    if role is None or role is not actor.role:
        return False
    if role is Role.system:
        return True
    if role is Role.applicant:
        return application.applicant_id == actor.user_id
    return actor.organization is not None and holder(application, role, registry, trigger) == (
        actor.organization
    )


# Where a file awaits each staff role: its clock runs there, or the role moves it on from there
# (a step of the road that is neither an ending by choice nor an extension of someone's time).
AWAITS: dict[Role, frozenset[str]] = {
    role: frozenset(
        {s.name.value for s in STATES if s.clock.value == role.value}
        | {state.value for step in STEPS if TRIGGER_ROLES[step.trigger] is role
           and step.trigger not in ENDS_BY_CHOICE | EXTENSIONS for state in step.source}
    )
    for role in (Role.regulator, Role.assessor, Role.tribunal)
}


def awaiting(actor: Actor, registry: Registry) -> ColumnElement[bool]:
    """SQL condition on applications: those in this staff member's work queue, that is, visible to
    them and standing where their organization is the one to act (workflow.policy.holder)."""
    states = AWAITS.get(actor.role)
    if states is None or actor.organization is None:
        return false()
    if actor.role is Role.tribunal:
        # The Divisional Court's registry acts where the court does; an appeal body elsewhere.
        court = actor.organization == DIVISIONAL_COURT
        states = frozenset(s for s in states if (s in COURT_REGISTRY_STATES) is court)
    return and_(visible_to(actor, registry), col(Application.state).in_(sorted(states)))


# The stages an assessor's part of a file covers.
ASSESSOR_STAGES = frozenset({Stage.intake, Stage.assessment})


def _assessor_part(event: Event) -> bool:
    """An event of the assessment (or before it): its start, or a step taken while the file was
    with the assessor (the one that sends it on included)."""
    return event.from_state is None or STATE_INFO[event.from_state].stage in ASSESSOR_STAGES


def stage_for(actor: Actor, stage: str) -> bool:
    """Whether this caller reads a file's deadlines and figures of `stage` (an assessor: only its
    own part)."""
    return actor.role is not Role.assessor or stage in ASSESSOR_STAGES


def events_for(actor: Actor, events: list[Event]) -> list[Event]:
    """The parts of a file's log this caller needs: an assessor sees the assessment and what led to
    it, never the regulator's, the committee's, a tribunal's or the court's later steps (their
    reasons, documents, court papers). Everyone else who may read the file reads all of it."""
    if actor.role is Role.assessor:
        return [event for event in events if _assessor_part(event)]
    return events
