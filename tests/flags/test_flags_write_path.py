"""The write path evaluates only the flag rules an event can make true; it must miss nothing.

Each demo history is replayed event by event through the one write path; after every event, running
every rule for that application on the same day finds nothing the write path did not already raise.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from cli.demo import generate
from fairtrack.database import transaction
from flags.service import raise_flags
from law.calendar import local_date
from regulators.registry import Registry
from tests.support.histories import replay_through_the_write_path
from workflow.models import Application, Event


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

            def nothing_missed(replay: Application, event: Event) -> None:
                nonlocal checked
                missed = raise_flags(session, registry, local_date(event.recorded_at),
                                     application_id=replay.id, now=event.recorded_at)
                assert missed == [], f"application {event.application_id} event {event.seq} ({event.trigger})"
                checked += 1

            replay_through_the_write_path(session, registry, demo, nothing_missed)
            session.rollback()
    assert checked >= 100
