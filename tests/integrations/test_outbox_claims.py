"""Several workers at once (issue 15, item 4): on PostgreSQL each claims with SKIP LOCKED, so two
claiming at the same moment never take the same message; a lease that ran out (a worker killed)
makes the message claimable again."""

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from integrations.outbox import claim, queue_email
from tests.support.road import Road
from workflow.service import parse_reference


def _queue(road: Road, sessions: sessionmaker[Session], n: int) -> None:
    person = road.applicant()
    reference = person.open("peo", "p-eng")
    with sessions() as session, unit_of_work(session):
        for i in range(n):
            queue_email(session, dedupe_key=f"test:{i}", application_id=parse_reference(reference),
                        recipient_id=person.user_id, language="en", subject="s", body="b",
                        now=utcnow())


@pytest.mark.postgres_only
def test_two_workers_claiming_at_once_take_different_messages(
    road: Road, sessions: sessionmaker[Session], backend: str,
) -> None:
    if backend != "postgresql":
        pytest.skip("SKIP LOCKED is PostgreSQL's; SQLite serializes writers (BEGIN IMMEDIATE)")
    _queue(road, sessions, 6)
    now = utcnow()
    with sessions() as first, sessions() as second:
        with unit_of_work(first):
            mine = claim(first, now, 60, 4)
            with unit_of_work(second):  # while the first still holds its rows
                theirs = claim(second, now, 60, 4)
        assert len(mine) == 4 and len(theirs) == 2
        assert not {m.id for m in mine} & {m.id for m in theirs}


def test_a_claim_holds_for_its_lease_then_the_message_is_claimable_again(
    road: Road, sessions: sessionmaker[Session],
) -> None:
    _queue(road, sessions, 2)
    now = utcnow()
    with sessions() as session:
        with unit_of_work(session):
            assert len(claim(session, now, 30, 10)) == 2
        with unit_of_work(session):
            assert claim(session, now + timedelta(seconds=29), 30, 10) == []
        with unit_of_work(session):
            assert len(claim(session, now + timedelta(seconds=31), 30, 10)) == 2
