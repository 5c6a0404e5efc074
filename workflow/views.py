"""Turning rows into the shapes callers see."""

from datetime import datetime

from accounts.actor import Actor
from fairtrack.columns import utcnow
from regulators.registry import Registry
from workflow.ledger import visit_durations
from workflow.models import Application, Event, StageInterval
from workflow.schemas import (
    AllowedTrigger,
    ApplicationView,
    EventView,
    IntervalView,
    clock_of,
    stage_of,
)
from workflow.service import triggers_for


def application_view(application: Application, actor: Actor, registry: Registry) -> ApplicationView:
    return ApplicationView(
        reference=application.reference,
        regulator=application.regulator,
        licence_class=application.licence_class,
        assessor=application.assessor,
        rules_version=application.rules_version,
        state=application.state,
        stage=stage_of(application.state),
        clock=clock_of(application.state),
        version=application.version,
        created_at=application.created_at,
        updated_at=application.updated_at,
        allowed_triggers=[
            AllowedTrigger(trigger=t, outcomes=o)
            for t, o in triggers_for(actor, application, registry).items()
        ],
    )


def event_view(event: Event) -> EventView:
    return EventView(
        seq=event.seq,
        trigger=event.trigger,
        outcome=event.outcome,
        from_state=event.from_state,
        to_state=event.to_state,
        actor_role=event.actor_role,
        actor_organization=event.actor_org,
        occurred_at=event.occurred_at,
        recorded_at=event.recorded_at,
        payload=event.payload,
        hash=event.hash,
    )


def interval_view(interval: StageInterval, now: datetime | None = None) -> IntervalView:
    if interval.exited_at is None:  # an open visit runs to now
        calendar_days, business_days = visit_durations(interval.entered_at, now or utcnow())
    else:
        calendar_days = interval.calendar_days or 0
        business_days = interval.business_days or 0
    return IntervalView(
        state=interval.state,
        stage=interval.stage,
        clock=interval.clock,
        entered_at=interval.entered_at,
        exited_at=interval.exited_at,
        calendar_days=calendar_days,
        business_days=business_days,
        open=interval.exited_at is None,
    )
