"""The work queue and the oversight dashboard ask the database a constant number of statements,
however many rows they show (no query per row): counted with SQLAlchemy's before_cursor_execute."""

from collections.abc import Iterator
from contextlib import contextmanager

from fastapi.testclient import TestClient
from sqlalchemy import event

from fairtrack.columns import utcnow
from flags.models import Flag
from tests.pages.test_staff_pages import log_in, under_review_at_cno
from tests.support.road import Road
from workflow.service import parse_reference


@contextmanager
def counting(client: TestClient) -> Iterator[list[str]]:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    seen: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def statements(client: TestClient, url: str) -> int:
    with counting(client) as seen:
        answer = client.get(url)
    assert answer.status_code == 200, answer.text
    return len(seen)


def flag(road: Road, reference: str, regulator: str, kind: str) -> None:
    with road.sessions() as session:
        session.add(Flag(application_id=parse_reference(reference), regulator=regulator, kind=kind,
                         occurrence=f"test:{kind}:{regulator}", severity="medium", status="open",
                         evidence={}, raised_at=utcnow()))
        session.commit()


def test_the_queue_and_the_dashboard_ask_as_many_statements_for_one_row_as_for_many(
    client: TestClient, road: Road
) -> None:
    _, first = under_review_at_cno(road)
    flag(road, first, "cno", "delay")
    cno, oversight = road.regulator("cno"), road.oversight()
    log_in(client, cno)
    queue_one = statements(client, "/staff/queue")
    log_in(client, oversight)
    dashboard_one = statements(client, "/oversight?stage=assessment")
    regulator_one = statements(client, "/oversight/regulators/cno")
    flags_one = statements(client, "/oversight/flags")
    # The listener sees the app's statements (the session's record, the page, its deadlines...).
    assert queue_one >= 4 and dashboard_one >= 5, (queue_one, dashboard_one)

    more = [under_review_at_cno(road)[1] for _ in range(4)]
    for reference, (regulator, kind) in zip(more, [("cno", "no_reasons"), ("cpso", "delay"),
                                                    ("peo", "delay"), ("cno", "recording_lag")],
                                            strict=True):
        flag(road, reference, regulator, kind)
    log_in(client, cno)
    page = client.get("/staff/queue").text
    assert all(reference in page for reference in more)
    assert statements(client, "/staff/queue") == queue_one
    log_in(client, oversight)
    assert statements(client, "/oversight?stage=assessment") == dashboard_one
    assert statements(client, "/oversight/regulators/cno") == regulator_one
    assert statements(client, "/oversight/flags") == flags_one
