"""The write path evaluates only the flag rules an event can make true; it must miss nothing.

Each demo history is replayed event by event through the one write path; after every event, running
every rule for that application on the same day finds nothing the write path did not already raise.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.database import transaction
from fairtrack.demo import generate
from flags.service import raise_flags
from regulators.registry import Registry
from workflow.calendar import local_date
from workflow.models import Application, Event
from workflow.road import Role
from workflow.schemas import ApplicationCreate, EventRequest
from workflow.service import apply_event, create_application


def test_after_every_event_the_full_rule_set_finds_nothing_the_write_path_missed(
    sessions: sessionmaker[Session], registry: Registry
) -> None:
    with transaction(sessions) as session:
        generate(session, registry, 150, seed=11)
    with sessions() as session:
        demos = list(session.scalars(
            select(Application).where(col(Application.version) >= 5).order_by(col(Application.id))
            .limit(25)))
    assert len(demos) >= 10
    checked = 0
    for demo in demos:
        with sessions() as session:  # rolled back: the replay is a second copy of the history
            events = list(session.scalars(
                select(Event).where(col(Event.application_id) == demo.id).order_by(col(Event.seq))))
            applicant = Actor(user_id=demo.applicant_id, role=Role.applicant)
            replay = create_application(session, applicant, registry, ApplicationCreate(
                regulator=demo.regulator, licence_class=demo.licence_class, assessor=demo.assessor),
                now=events[0].occurred_at)
            for event in events[1:]:
                actor = Actor(user_id=event.actor_id, role=Role(event.actor_role),
                              organization=event.actor_org)
                request = EventRequest(
                    trigger=event.trigger, outcome=event.outcome, expected_version=replay.version,
                    occurred_at=event.occurred_at, reasons=event.payload.get("reasons"),
                    requirements=event.payload.get("requirements", []))
                replay, _ = apply_event(session, actor, registry, replay.reference, request,
                                        now=event.recorded_at)
                missed = raise_flags(session, registry, local_date(event.recorded_at),
                                     application_id=replay.id, now=event.recorded_at)
                assert missed == [], f"{demo.reference} event {event.seq} ({event.trigger})"
                checked += 1
            session.rollback()
    assert checked >= 100
