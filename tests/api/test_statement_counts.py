"""How many SQL statements an event and a read of one application send, counted at the engine
(`before_cursor_execute`; BEGIN and COMMIT left out): the write path reads once what it needs and
writes in one flush, and a read does not recompute what the scan keeps. A change that adds a
statement per call fails here, naming the statements."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

from casefile.applications import apply_event
from fairtrack.database import transaction
from regulators.registry import Registry
from tests.support.road import Road
from workflow.schemas import EventRequest

# The write path's statements for a step that pauses the regulator's standard: two reads (the lock,
# with the open interval and visit and whether the organizations have an active webhook; the open
# deadlines with the flags raised on them) and five writes (the application, the event, the
# interval closed and the next opened, the standard paused), each a Core statement compiled once.
# A subscribed organization adds the read of its subscriptions and the outbox rows (issue 15); a
# step the applicant is told of adds the applicant's account and the email's outbox row.
# (Before issue 11: 15; before issue 11w: 8, with the subscriptions and the flags read apart.)
EVENT_STATEMENTS = 7
# Over HTTP, the caller's account too.
HTTP_EVENT_STATEMENTS = 8
# A read: the caller, the application, its intervals, its deadlines, its stage's kept expected
# time and its place in the queue.
GET_STATEMENTS = 6


@contextmanager
def counting(engine: Any) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.startswith(("BEGIN", "COMMIT")):
            seen.append(statement.split("\n")[0][:90])

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_one_event_through_the_domain_function_sends_a_bounded_number_of_statements(
    road: Road, sessions: sessionmaker[Session], registry: Registry
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    ref = applicant.open("peo", "p-eng")
    applicant.step(ref, "submit")
    peo.step(ref, "begin_review")
    request = EventRequest(trigger="request_information", expected_version=3,
                           reasons="Transcripts.")
    engine = sessions.kw["bind"]
    with transaction(sessions) as session, counting(engine) as seen:
        apply_event(session, peo.actor, registry, ref, request)
    assert len(seen) <= EVENT_STATEMENTS, "\n".join(seen)


def test_an_event_and_a_read_over_http_send_a_bounded_number_of_statements(
    road: Road, app: FastAPI, registry: Registry
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    ref = applicant.open("peo", "p-eng")
    applicant.step(ref, "submit")
    peo.step(ref, "begin_review")
    road.scan(registry)  # keeps the expected times
    with counting(app.state.engine) as seen:
        detail = road.client.get(f"/api/v1/applications/{ref}", headers=peo.headers).json()
    assert detail["expectation"]["queue_position"] == 1
    assert len(seen) <= GET_STATEMENTS, seen
    with counting(app.state.engine) as seen:
        peo.step(ref, "request_information", reasons="Transcripts.")
    assert len(seen) <= HTTP_EVENT_STATEMENTS, "\n".join(seen)
