"""Writers at the server's limits, on PostgreSQL over loopback: a real uvicorn server with a small
pool, many concurrent writers on a few applications. Every answer is a 201, a 409 or a 503 (never
another 5xx), each application gets exactly one 201 per version, the log holds exactly the 201s and
verifies. bench/load.py runs the same with 100 writers and reports the figures."""

import threading
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from api.app import create_app
from fairtrack.settings import Settings
from tests.support.live import serving
from tests.support.road import Road
from workflow.models import Application, Event
from workflow.service import parse_reference
from workflow.verify import check_stored

WRITERS = 40
APPLICATIONS = 5
pytestmark = pytest.mark.postgres_only


@pytest.fixture
def small_server(settings: Settings, backend: str) -> Iterator[str]:
    if backend != "postgresql":
        pytest.skip("about PostgreSQL's pool and row locks under many writers; SQLite takes one "
                    "write lock at a time (its bounded wait has its own test)")
    # Fewer connections than writers: requests must wait for the pool and answer 503, never 500.
    tight = settings.model_copy(update={
        "db_pool_size": 2, "db_max_overflow": 0, "db_pool_timeout_seconds": 0.25,
        "db_lock_timeout_ms": 1000})
    with serving(create_app(tight), backlog=2 * WRITERS) as base:
        yield f"{base}/api/v1"


def test_forty_writers_on_five_applications_get_one_201_per_version_and_no_500(
    road: Road, small_server: str
) -> None:
    engineer, peo = road.applicant(), road.regulator("peo")
    refs = [engineer.open("peo", "p-eng") for _ in range(APPLICATIONS)]
    for ref in refs:
        engineer.step(ref, "submit")
    rounds = [
        (2, {"trigger": "begin_review"}),
        (3, {"trigger": "issue_decision", "outcome": "refused", "reasons": "Not enough experience."}),
    ]
    answers: list[tuple[str, int, int]] = []
    limits = httpx.Limits(max_connections=WRITERS, max_keepalive_connections=WRITERS)
    with httpx.Client(base_url=small_server, timeout=30, limits=limits) as client:
        for version, body in rounds:
            barrier = threading.Barrier(WRITERS, timeout=30)

            def write(n: int, version: int = version, body: dict[str, str] = body,
                      barrier: threading.Barrier = barrier) -> tuple[str, int, int]:
                ref = refs[n % APPLICATIONS]
                barrier.wait()
                response = client.post(f"/applications/{ref}/events", headers=peo.headers,
                                       json={**body, "expected_version": version})
                return ref, version, response.status_code

            with ThreadPoolExecutor(max_workers=WRITERS) as pool:
                answers += pool.map(write, range(WRITERS))

    statuses = Counter(status for _, _, status in answers)
    assert set(statuses) <= {201, 409, 503}, statuses
    created = Counter((ref, version) for ref, version, status in answers if status == 201)
    # A 503 leaves nothing written, so a round may end with no winner for an application; never two.
    assert all(count == 1 for count in created.values()), created
    assert statuses[201] >= 1, statuses
    with road.sessions() as session:
        events = session.scalar(select(func.count()).select_from(Event)) or 0
        assert events == 2 * APPLICATIONS + statuses[201]
        for ref in refs:
            application = session.get(Application, parse_reference(ref))
            assert application is not None and check_stored(session, application) == []
