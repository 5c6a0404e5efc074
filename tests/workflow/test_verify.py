"""`fairtrack verify`: exit 0 while the log agrees with itself, exit 1 once any stored row is touched."""

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Connection, select, text, update
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from accounts.models import User
from cli.demo import generate
from cli.main import app as cli
from fairtrack.database import transaction
from law.road import CLOSED_STATES
from regulators.registry import Registry
from tests.support.road import Road, password_hash
from workflow.models import Application, Event, StageInterval, StageVisit

DEMO_APPLICATIONS = 50


def verify() -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify"])
    return result.exit_code, result.output


@pytest.fixture
def demo_log(
    sessions: sessionmaker[Session], registry: Registry, cli_database: None,
    monkeypatch: pytest.MonkeyPatch,
) -> str:
    """Fifty demo histories; returns the reference of one with a long log, the one to tamper with."""
    monkeypatch.setattr("cli.demo.hash_password", lambda _password: password_hash())
    with transaction(sessions) as session:
        generate(session, registry, DEMO_APPLICATIONS, seed=7)
    with sessions() as session:
        target = session.scalars(
            select(Application).where(Application.version >= 6).order_by(Application.id)  # type: ignore[arg-type]
        ).first()
        assert target is not None
        return target.reference


def test_a_clean_log_verifies(road: Road, demo_log: str) -> None:
    # Histories written through the API as well as the demo's bulk inserts.
    engineer, peo = road.applicant(), road.regulator("peo")
    ref = engineer.open("peo", "p-eng")
    engineer.step(ref, "submit")
    peo.step(ref, "begin_review")
    peo.step(ref, "issue_decision", outcome="refused", reasons="Academic deficiencies remain.")

    code, output = verify()
    assert code == 0, output
    assert f"{DEMO_APPLICATIONS + 1} applications verified" in output


def test_an_empty_database_verifies(cli_database: None) -> None:
    code, output = verify()
    assert code == 0, output
    assert "0 applications verified" in output


def _app_id(ref: str) -> int:
    return int(ref.rsplit("-", 1)[1])


def edit_a_payload(conn: Connection, ref: str) -> None:
    conn.execute(update(Event).where(Event.application_id == _app_id(ref), Event.seq == 3)
                 .values(payload={"note": "added afterwards"}))


def edit_an_occurred_at(conn: Connection, ref: str) -> None:
    occurred = conn.scalar(select(Event.occurred_at).where(
        Event.application_id == _app_id(ref), Event.seq == 4))
    conn.execute(update(Event).where(Event.application_id == _app_id(ref), Event.seq == 4)
                 .values(occurred_at=occurred - timedelta(seconds=1)))


def edit_a_recorded_at(conn: Connection, ref: str) -> None:
    recorded = conn.scalar(select(Event.recorded_at).where(
        Event.application_id == _app_id(ref), Event.seq == 2))
    conn.execute(update(Event).where(Event.application_id == _app_id(ref), Event.seq == 2)
                 .values(recorded_at=recorded + timedelta(days=1)))


def edit_who_acted(conn: Connection, ref: str) -> None:
    conn.execute(update(Event).where(Event.application_id == _app_id(ref), Event.seq == 2)
                 .values(actor_role="oversight"))


def delete_an_event_in_the_middle(conn: Connection, ref: str) -> None:
    conn.execute(Event.__table__.delete().where(  # type: ignore[attr-defined]
        Event.application_id == _app_id(ref), Event.seq == 3))


def delete_the_last_event(conn: Connection, ref: str) -> None:
    last = conn.scalar(select(Application.version).where(Application.id == _app_id(ref)))
    conn.execute(Event.__table__.delete().where(  # type: ignore[attr-defined]
        Event.application_id == _app_id(ref), Event.seq == last))


def swap_two_events(conn: Connection, ref: str) -> None:
    """Reorder: events 2 and 3 exchange their places in the sequence."""
    rows = (Event.application_id == _app_id(ref))
    conn.execute(update(Event).where(rows, Event.seq == 2).values(seq=-3))
    conn.execute(update(Event).where(rows, Event.seq == 3).values(seq=2))
    conn.execute(update(Event).where(rows, Event.seq == -3).values(seq=3))


def edit_a_stage_interval(conn: Connection, ref: str) -> None:
    conn.execute(update(StageInterval)
                 .where(StageInterval.application_id == _app_id(ref), StageInterval.seq == 2)
                 .values(business_days=StageInterval.business_days + 1))


def move_a_stage_interval(conn: Connection, ref: str) -> None:
    conn.execute(update(StageInterval)
                 .where(StageInterval.application_id == _app_id(ref), StageInterval.seq == 3)
                 .values(stage="appeal_board"))


def delete_a_stage_interval(conn: Connection, ref: str) -> None:
    conn.execute(StageInterval.__table__.delete().where(  # type: ignore[attr-defined]
        StageInterval.application_id == _app_id(ref), StageInterval.seq == 2))


def edit_a_stage_visit(conn: Connection, ref: str) -> None:
    first_visit = conn.scalar(select(StageVisit.id).where(StageVisit.application_id == _app_id(ref))
                              .order_by(StageVisit.seq).offset(1).limit(1))  # type: ignore[arg-type]
    conn.execute(update(StageVisit).where(StageVisit.id == first_visit)
                 .values(attributable_business_days=StageVisit.attributable_business_days + 1))


def delete_a_stage_visit(conn: Connection, ref: str) -> None:
    last = conn.scalar(select(StageVisit.id).where(StageVisit.application_id == _app_id(ref))
                       .order_by(StageVisit.seq.desc()).limit(1))  # type: ignore[attr-defined]
    conn.execute(StageVisit.__table__.delete().where(StageVisit.id == last))  # type: ignore[attr-defined]


def edit_the_stored_state(conn: Connection, ref: str) -> None:
    state = conn.scalar(select(Application.state).where(Application.id == _app_id(ref)))
    conn.execute(update(Application).where(Application.id == _app_id(ref)).values(
        state="refused" if state == "licensed" else "licensed"))


def edit_the_stored_version(conn: Connection, ref: str) -> None:
    conn.execute(update(Application).where(Application.id == _app_id(ref))
                 .values(version=Application.version + 1))


def _edit_application(conn: Connection, ref: str, **values: object) -> None:
    conn.execute(update(Application).where(Application.id == _app_id(ref)).values(**values))


def hand_the_application_to_another_applicant(conn: Connection, ref: str) -> None:
    other = conn.scalar(select(User.id).where(User.role == "applicant", User.id != select(
        Application.applicant_id).where(Application.id == _app_id(ref)).scalar_subquery()))
    _edit_application(conn, ref, applicant_id=other)


def move_the_application_to_another_regulator(conn: Connection, ref: str) -> None:
    _edit_application(conn, ref, regulator="cpso")


def change_the_licence_class(conn: Connection, ref: str) -> None:
    _edit_application(conn, ref, licence_class="something-else")


def change_the_assessor(conn: Connection, ref: str) -> None:
    assessor = conn.scalar(select(Application.assessor).where(Application.id == _app_id(ref)))
    _edit_application(conn, ref, assessor="wes" if assessor != "wes" else "ices")


def change_the_rules_version(conn: Connection, ref: str) -> None:
    _edit_application(conn, ref, rules_version=Application.rules_version + 1)


def flip_the_health_route(conn: Connection, ref: str) -> None:
    _edit_application(conn, ref, health_route=~Application.health_route)  # type: ignore[operator]


def move_the_intervals_to_another_regulator(conn: Connection, ref: str) -> None:
    conn.execute(update(StageInterval).where(StageInterval.application_id == _app_id(ref))
                 .values(regulator="cpso"))


def move_the_visits_to_another_regulator(conn: Connection, ref: str) -> None:
    conn.execute(update(StageVisit).where(StageVisit.application_id == _app_id(ref))
                 .values(regulator="cpso"))


def change_when_it_was_opened(conn: Connection, ref: str) -> None:
    opened = conn.scalar(select(Application.created_at).where(Application.id == _app_id(ref)))
    _edit_application(conn, ref, created_at=opened - timedelta(hours=1))


FACT_TAMPERS = [
    hand_the_application_to_another_applicant, move_the_application_to_another_regulator,
    change_the_licence_class, change_the_assessor, change_the_rules_version, flip_the_health_route,
    move_the_intervals_to_another_regulator, move_the_visits_to_another_regulator,
    change_when_it_was_opened,
]


@pytest.mark.parametrize(
    "tamper",
    [
        edit_a_payload, edit_an_occurred_at, edit_a_recorded_at, edit_who_acted,
        delete_an_event_in_the_middle, delete_the_last_event, swap_two_events,
        edit_a_stage_interval, move_a_stage_interval, delete_a_stage_interval,
        edit_a_stage_visit, delete_a_stage_visit,
        edit_the_stored_state, edit_the_stored_version, *FACT_TAMPERS,
    ],
    ids=lambda tamper: tamper.__name__,
)
def test_verify_fails_after_one_row_is_touched_and_names_only_that_application(
    sessions: sessionmaker[Session], demo_log: str, tamper: Callable[[Connection, str], None]
) -> None:
    assert verify()[0] == 0
    engine = sessions.kw["bind"]
    with engine.begin() as conn:
        tamper(conn, demo_log)

    code, output = verify()
    assert code == 1, output
    assert demo_log in output
    flagged = [line for line in output.splitlines() if line.startswith("FT-")]
    assert [line.split(":")[0] for line in flagged] == [demo_log]
    assert f"1 of {DEMO_APPLICATIONS}" in output or "1 problems" in output


def test_verify_names_each_fact_that_differs_from_the_log(
    sessions: sessionmaker[Session], demo_log: str
) -> None:
    engine = sessions.kw["bind"]
    with engine.begin() as conn:
        move_the_application_to_another_regulator(conn, demo_log)
        change_the_licence_class(conn, demo_log)
        move_the_visits_to_another_regulator(conn, demo_log)
    code, output = verify()
    assert code == 1
    (line,) = [line for line in output.splitlines() if line.startswith(demo_log)]
    assert "stored regulator 'cpso', the log says" in line
    assert "stored licence_class 'something-else', the log says" in line
    assert "stage visit 1: regulator 'cpso', the log says" in line


def test_the_demo_log_holds_histories_worth_tampering_with(
    sessions: sessionmaker[Session], demo_log: str
) -> None:
    """Guards the test above: the chosen log is long, and the demo data is not all closed."""
    with sessions() as session:
        states = list(session.scalars(select(Application.state)))
        version = session.scalar(text("SELECT max(version) FROM applications"))
    assert len(states) == DEMO_APPLICATIONS
    assert version is not None and version >= 6
    assert any(state not in CLOSED_STATES for state in states)
