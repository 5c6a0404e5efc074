"""Demo data: realistic histories along the real road, that verify, that carry the deadlines and flags
the write path would have recorded, and that the demo accounts can use."""

from collections import Counter

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from cli.demo import DEMO_PASSWORD, demo_email, generate
from deadlines.models import Deadline
from deadlines.service import STATUTORY_WINDOW
from fairtrack.database import transaction
from flags.models import Flag, FlagAction
from law.road import CLOSED_STATES
from regulators.registry import Registry
from tests.support.histories import replay_through_the_write_path
from tests.support.road import Road
from workflow.models import Application, Event, StageInterval
from workflow.verify import verify_all

APPLICATIONS = 200


def reached(session: Session, stage: str) -> int:
    """How many applications ever visited a stage."""
    return session.scalar(
        select(func.count(func.distinct(StageInterval.application_id)))
        .where(StageInterval.stage == stage)
    ) or 0


def test_two_hundred_demo_histories_look_like_the_real_road_and_verify(
    sessions: sessionmaker[Session], registry: Registry, road: Road
) -> None:
    with transaction(sessions) as session:
        assert generate(session, registry, APPLICATIONS) == APPLICATIONS

    with sessions() as session:
        states = Counter(session.scalars(select(Application.state)))
        closed = sum(n for state, n in states.items() if state in CLOSED_STATES)
        in_flight = APPLICATIONS - closed
        appealed, at_court = reached(session, "appeal_board"), reached(session, "divisional_court")
        regulators = set(session.scalars(select(Application.regulator).distinct()))
        events = session.scalar(select(func.count()).select_from(Event)) or 0
        findings = [finding for _, finding in verify_all(session) if finding is not None]

    assert sum(states.values()) == APPLICATIONS
    assert states.most_common(1)[0][0] == "licensed"
    assert states["licensed"] > closed / 2  # most files that close end in a licence
    assert states["refused"] >= 1
    assert appealed >= 3 and at_court >= 1 and at_court < appealed
    assert in_flight >= APPLICATIONS // 10
    assert {"cno", "cpso", "peo", "oct"} <= regulators and len(regulators) >= 10
    assert events > 3 * APPLICATIONS
    assert findings == []


def test_the_demo_accounts_log_in_with_the_documented_password(
    sessions: sessionmaker[Session], registry: Registry, road: Road
) -> None:
    with transaction(sessions) as session:
        generate(session, registry, 20)

    def token(name: str) -> dict[str, str]:
        response = road.client.post("/api/v1/auth/token", data={
            "username": demo_email(name), "password": DEMO_PASSWORD})
        assert response.status_code == 200, response.text
        return {"Authorization": f"Bearer {response.json()['access_token']}"}

    everything = road.client.get("/api/v1/applications", params={"limit": 100},
                                 headers=token("oversight")).json()["items"]
    assert len(everything) == 20
    mine = road.client.get("/api/v1/applications", headers=token("applicant")).json()["items"]
    assert 1 <= len(mine) < 20
    cno = road.client.get("/api/v1/applications", params={"limit": 100},
                          headers=token("regulator.cno")).json()["items"]
    assert {a["regulator"] for a in cno} <= {"cno"}


DEADLINE_FIELDS = ("kind", "code", "stage", "party", "days", "counting", "legal_basis", "to_verify",
                   "is_default", "starts_on", "due_on", "paused_on", "status", "opened_seq",
                   "closed_seq", "closed_on")


def deadlines_of(session: Session, application_id: int) -> list[tuple[object, ...]]:
    rows = session.scalars(select(Deadline).where(col(Deadline.application_id) == application_id)
                           .order_by(col(Deadline.opened_seq), col(Deadline.kind)))
    return [tuple(getattr(d, name) for name in DEADLINE_FIELDS) for d in rows]


def test_demo_histories_carry_the_deadlines_the_write_path_records_and_its_flags(
    sessions: sessionmaker[Session], registry: Registry
) -> None:
    with transaction(sessions) as session:
        generate(session, registry, APPLICATIONS)

    with sessions() as session:
        statuses = Counter((kind, status) for kind, status in session.execute(
            select(Deadline.kind, Deadline.status)))
        flags = Counter(session.scalars(select(Flag.kind)))
        with_windows = list(session.scalars(
            select(Application).where(col(Application.id).in_(
                select(Deadline.application_id).where(Deadline.kind == STATUTORY_WINDOW)))
            .order_by(col(Application.id)).limit(4)))
        long_roads = list(session.scalars(
            select(Application).where(col(Application.version) >= 6)
            .order_by(col(Application.id)).limit(4)))
    assert statuses[("service_standard", "open")] >= 1 and statuses[("service_standard", "met")] >= 1
    assert statuses[("service_standard", "missed")] >= 1
    assert sum(n for (kind, _), n in statuses.items() if kind == STATUTORY_WINDOW) >= 1
    assert flags["delay"] >= 1 and flags["statutory_limit"] + flags["canadian_experience"] >= 1
    assert len(with_windows) >= 2

    for demo in with_windows + long_roads:
        assert demo.id is not None
        with sessions() as session:  # rolled back: the replay is a second copy of the history
            replayed = replay_through_the_write_path(session, registry, demo)
            assert deadlines_of(session, replayed) == deadlines_of(session, demo.id), demo.reference
            session.rollback()


def test_the_bulk_load_verifies_and_gives_the_figures_of_the_per_event_path(
    sessions: sessionmaker[Session], registry: Registry
) -> None:
    """COPY (PostgreSQL) or executemany (SQLite) leave what the write path would have: the log
    verifies, and the figures (timeliness from the rollups the load built, outcomes) are those of
    the same histories replayed event by event through the write path."""
    from datetime import timedelta

    from sqlalchemy import delete

    from accounts.actor import Actor
    from fairtrack.columns import utcnow
    from law.calendar import local_date
    from law.road import Role
    from migrations.tables import metadata
    from oversight.outcomes import DIMENSIONS, outcomes
    from oversight.sql import PERIODS
    from oversight.timeliness import recount, timeliness

    with transaction(sessions) as session:
        generate(session, registry, 25, seed=11)
    fairness = Actor(user_id=None, role=Role.oversight)
    today = local_date(utcnow())
    since = today - timedelta(days=1100)

    def figures(session: Session, fast: bool) -> list[object]:
        found: list[object] = []
        for unit in PERIODS:
            if fast:
                found.append(timeliness(session, fairness, registry, regulator=None, stage=None,
                                        unit=unit, since=since, until=today).rows)
            else:
                found.append(recount(session, regulator=None, stage=None, unit=unit, since=since,
                                     until=today))
        found += [outcomes(session, fairness, registry, by=by, regulator=None) for by in DIMENSIONS]
        return found

    with sessions() as session:
        assert [f for _, f in verify_all(session) if f is not None] == []
        loaded = figures(session, fast=True)
        assert loaded[0]  # timeliness rows to compare
        originals = list(session.scalars(select(Application).order_by(col(Application.id))))
        for demo in originals:
            replay_through_the_write_path(session, registry, demo)
        ids = [a.id for a in originals]
        session.execute(delete(FlagAction).where(col(FlagAction.flag_id).in_(  # the flags' history
            select(col(Flag.id)).where(col(Flag.application_id).in_(ids)))))
        for table in reversed(metadata.sorted_tables):  # the bulk-loaded copies go; replays stay
            if "application_id" in table.c:
                session.execute(delete(table).where(table.c.application_id.in_(ids)))
        session.execute(delete(Application).where(col(Application.id).in_(ids)))
        assert figures(session, fast=False) == loaded
        session.rollback()
