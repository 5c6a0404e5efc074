"""Many writers at one application at the same instant, on PostgreSQL: exactly one wins, the log stays whole.

These tests are about PostgreSQL's row locks under real concurrency, so they run on PostgreSQL only.
(SQLite takes its one write lock at BEGIN IMMEDIATE: writers never overlap there.)
"""

import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from casefile import applications as units
from fairtrack.errors import DomainError
from fairtrack.idempotency import IdempotencyRecord
from fairtrack.settings import Settings
from regulators.registry import Registry
from tests.support.live import serving
from tests.support.road import Person, Road
from workflow.models import Application, Event
from workflow.schemas import EventRequest
from workflow.service import parse_reference
from workflow.verify import check_stored

WRITERS = 20
T = TypeVar("T")
pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres_only(backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("about PostgreSQL row locks under concurrent writers; SQLite serializes every "
                    "writer at BEGIN IMMEDIATE, so there is no race to test there")


def all_at_once(work: list[Callable[[], T]]) -> list[T]:
    """Run each callable in its own thread, released together by a barrier; results in order."""
    barrier = threading.Barrier(len(work), timeout=30)

    def released(job: Callable[[], T]) -> T:
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(work)) as pool:
        return list(pool.map(released, work))


def log_of(sessions: sessionmaker[Session], ref: str) -> tuple[Application, list[Event]]:
    """The stored application and its events, after checking the log agrees with itself."""
    app_id = parse_reference(ref)
    with sessions() as session:
        application = session.get(Application, app_id)
        assert application is not None
        events = list(session.scalars(select(Event).where(Event.application_id == app_id)
                                      .order_by(Event.seq)))  # type: ignore[arg-type]
        assert check_stored(session, application) == []
        return application, events


@pytest.fixture
def submitted(road: Road) -> tuple[str, Person, Person]:
    """An engineer's PEO application, submitted (version 2), with the engineer and a PEO officer."""
    engineer, peo = road.applicant(), road.regulator("peo")
    ref = engineer.open("peo", "p-eng")
    engineer.step(ref, "submit")
    assert road.version_of(ref) == 2
    return ref, engineer, peo


def test_twenty_conflicting_events_through_the_domain_flow_give_one_success(
    road: Road, sessions: sessionmaker[Session], registry: Registry,
    submitted: tuple[str, Person, Person],
) -> None:
    """Half the writers are the officer taking the file up, half the engineer withdrawing it."""
    ref, engineer, peo = submitted

    def write(person: Person, trigger: str) -> Callable[[], tuple[int, Any]]:
        def attempt() -> tuple[int, Any]:
            request = EventRequest(trigger=trigger, expected_version=2)
            try:
                with sessions() as session:
                    return units.record_event(session, person.actor, registry, ref, request)
            except DomainError as refusal:
                return refusal.status_code, refusal.body()
        return attempt

    work = [write(peo, "begin_review") if n % 2 else write(engineer, "withdraw")
            for n in range(WRITERS)]
    results = all_at_once(work)

    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: WRITERS - 1}
    assert {body["error"] for status, body in results if status == 409} == {"version_conflict"}
    [winner] = [body for status, body in results if status == 201]
    application, events = log_of(sessions, ref)
    assert len(events) == 3 and application.version == 3
    assert events[-1].trigger == winner["event"]["trigger"]
    assert application.state == winner["application"]["state"] in ("under_review", "withdrawn")


@pytest.fixture
def live_server(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[httpx.Client]:
    """The app served by uvicorn on a free local port in a background thread, and a client for it
    with a connection for every writer."""
    limits = httpx.Limits(max_connections=WRITERS, max_keepalive_connections=WRITERS)
    with serving(create_app(settings), backlog=2 * WRITERS) as base, \
            httpx.Client(base_url=f"{base}/api/v1", timeout=60, limits=limits) as client:
        yield client


def http_post(client: httpx.Client, person: Person, path: str, body: dict[str, Any],
              key: str | None = None) -> Callable[[], httpx.Response]:
    headers = {**person.headers, **({"Idempotency-Key": key} if key else {})}
    return lambda: client.post(path, json=body, headers=headers)


def test_twenty_conflicting_requests_over_http_give_one_201_and_nineteen_409(
    road: Road, live_server: httpx.Client, submitted: tuple[str, Person, Person]
) -> None:
    ref, engineer, peo = submitted
    work = [
        http_post(live_server, peo, f"/applications/{ref}/events",
                  {"trigger": "begin_review", "expected_version": 2, "note": f"officer {n}"})
        if n % 2 else
        http_post(live_server, engineer, f"/applications/{ref}/events",
                  {"trigger": "withdraw", "expected_version": 2, "note": f"engineer {n}"})
        for n in range(WRITERS)
    ]
    responses = all_at_once(work)

    assert Counter(r.status_code for r in responses) == {201: 1, 409: WRITERS - 1}
    assert {r.json()["error"] for r in responses if r.status_code == 409} == {"version_conflict"}
    application, events = log_of(road.sessions, ref)
    assert len(events) == 3
    [winner] = [r.json() for r in responses if r.status_code == 201]
    assert events[-1].payload == winner["event"]["payload"]


def test_twenty_concurrent_retries_with_one_key_get_one_answer_and_one_event(
    road: Road, live_server: httpx.Client, submitted: tuple[str, Person, Person]
) -> None:
    """The flow locks the application before it looks the key up: retries queue behind the first
    and then find its answer, so every one of them gets the same 201."""
    ref, _engineer, peo = submitted
    body = {"trigger": "begin_review", "expected_version": 2}
    responses = all_at_once([
        http_post(live_server, peo, f"/applications/{ref}/events", body, key="take-up-1")
        for _ in range(WRITERS)
    ])

    assert [r.status_code for r in responses] == [201] * WRITERS
    assert all(r.json() == responses[0].json() for r in responses)
    application, events = log_of(road.sessions, ref)
    assert len(events) == 3 and application.state == "under_review"


def test_one_key_sent_at_once_for_several_applications_moves_one_and_never_crashes(
    road: Road, live_server: httpx.Client
) -> None:
    """A client that wrongly reuses a key across applications: one write wins, the others are told
    to retry (409) or that the key is taken (422); never a 500, never a second event."""
    engineer, peo = road.applicant(), road.regulator("peo")
    refs = [engineer.open("peo", "p-eng") for _ in range(8)]
    for ref in refs:
        engineer.step(ref, "submit")
    responses = all_at_once([
        http_post(live_server, peo, f"/applications/{ref}/events",
                  {"trigger": "begin_review", "expected_version": 2}, key="batch-7")
        for ref in refs
    ])

    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] == 1 and statuses[201] + statuses[409] + statuses[422] == len(refs), [
        r.text for r in responses if r.status_code not in (201, 409, 422)]
    moved = [ref for ref in refs if log_of(road.sessions, ref)[0].state == "under_review"]
    assert len(moved) == 1
    with road.sessions() as session:
        assert session.scalar(select(func.count()).select_from(IdempotencyRecord)) == 1


def test_twenty_concurrent_openings_with_one_key_open_one_application(
    road: Road, live_server: httpx.Client
) -> None:
    """Opening takes no lock (there is no row yet): a request racing the first is told to retry
    (409), and its retry then gets the first answer."""
    nurse = road.applicant()
    body = {"regulator": "cno", "licence_class": "rn", "assessor": "nnas"}
    opening = http_post(live_server, nurse, "/applications", body, key="open-once")
    responses = all_at_once([opening] * WRITERS)

    statuses = Counter(r.status_code for r in responses)
    assert statuses[201] >= 1 and statuses[201] + statuses[409] == WRITERS, statuses
    first = next(r.json() for r in responses if r.status_code == 201)
    for response in responses:
        if response.status_code == 409:
            assert "retry" in response.json()["message"]
            response = opening()
        assert (response.status_code, response.json()) == (201, first)
    assert road.applications() == 1
