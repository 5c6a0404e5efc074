"""The Alembic migrations build exactly the tables the models describe, and can be undone and redone."""

import hashlib
import json
from collections.abc import Iterator

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select, text
from sqlmodel import col

from accounts.actor import Actor
from accounts.models import User
from cli.demo import generate
from fairtrack.database import make_engine, make_sessionmaker, transaction
from fairtrack.migrate import alembic_config, upgrade
from flags.models import Flag, FlagAction
from flags.service import triage_flag
from law.calendar import local_date
from law.road import Role
from migrations.tables import metadata
from regulators.registry import get_registry
from tests.support.road import password_hash
from workflow.ledger import APPLICATION_FACTS, HASHED_FIELDS, event_content
from workflow.models import Application, Event, StageVisit
from workflow.verify import verify_all


def differences(engine: Engine) -> list[object]:
    """What `alembic revision --autogenerate` would write, compared as migrations/env.py does."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return list(compare_metadata(context, metadata))


def test_autogenerate_finds_nothing_to_add_to_the_migrated_database(engine: Engine) -> None:
    assert differences(engine) == []


@pytest.fixture
def fresh_engine(fresh_database_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_database_url)
    yield engine
    engine.dispose()


def downgrade(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def tables(engine: Engine) -> set[str]:
    return set(inspect(engine).get_table_names()) - {"alembic_version"}


def test_a_fresh_database_goes_up_down_to_nothing_and_up_again(fresh_engine: Engine) -> None:
    model_tables = {table.name for table in metadata.sorted_tables}
    upgrade(fresh_engine)
    assert tables(fresh_engine) == model_tables
    downgrade(fresh_engine, "base")
    assert tables(fresh_engine) == set()
    upgrade(fresh_engine)
    assert tables(fresh_engine) == model_tables
    assert differences(fresh_engine) == []


def test_every_revision_steps_down_and_back_up_one_at_a_time(fresh_engine: Engine) -> None:
    """Each downgrade undoes exactly its own upgrade, so any single step can be rolled back."""
    script = ScriptDirectory.from_config(alembic_config())
    revisions = [r.revision for r in reversed(list(script.walk_revisions()))]
    assert len(revisions) >= 1 and script.get_heads() == [revisions[-1]]
    upgrade(fresh_engine)
    after = {"head": tables(fresh_engine)}
    for previous in reversed(["base", *revisions[:-1]]):
        downgrade(fresh_engine, "-1")
        after[previous] = tables(fresh_engine)
    assert after["base"] == set()
    for revision in revisions:
        upgrade(fresh_engine, revision)
    assert tables(fresh_engine) == after["head"]
    assert differences(fresh_engine) == []


def test_the_exit_date_migration_fills_the_ontario_date_of_stored_visits(fresh_engine: Engine) -> None:
    upgrade(fresh_engine)
    sessions = make_sessionmaker(fresh_engine)
    with transaction(sessions) as session:
        generate(session, get_registry(), 30, seed=7)
    downgrade(fresh_engine, "0005_visits")
    upgrade(fresh_engine)
    with sessions() as session:
        visits = list(session.scalars(select(StageVisit)))
    ended = [v for v in visits if v.exited_at is not None]
    assert ended and all(v.exited_on == local_date(v.exited_at) for v in ended)
    assert all(v.exited_on is None for v in visits if v.exited_at is None)


def _old_hash(prev_hash: str, event: Event) -> str:
    """An event's hash as revisions before 0008_trust computed it: no application facts in it."""
    content = event_content(**{name: getattr(event, name) for name in HASHED_FIELDS})
    del content["changes"]
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def test_the_trust_migration_puts_stored_facts_in_every_chain_and_verify_passes(
    fresh_engine: Engine,
) -> None:
    """Data from before 0008_trust: chains without the facts. After the upgrade every first event
    states them and every chain verifies; the downgrade gives the old hashes back."""
    upgrade(fresh_engine)
    sessions = make_sessionmaker(fresh_engine)
    with transaction(sessions) as session:
        generate(session, get_registry(), 30, seed=5)
    downgrade(fresh_engine, "0006_visit_exit_dates")
    old = make_sessionmaker(fresh_engine)
    with old() as session:  # the columns of the old events table only
        rows = session.execute(text(
            "SELECT application_id, seq, prev_hash, hash FROM events ORDER BY application_id, seq"
        )).all()
    upgrade(fresh_engine)
    with sessions() as session:
        events = list(session.scalars(select(Event).order_by(col(Event.application_id),
                                                             col(Event.seq))))
        assert [_old_hash(row.prev_hash, event) for row, event in zip(rows, events, strict=True)] \
            == [row.hash for row in rows], "the downgrade rebuilt the chains as they were"
        assert all(event.hash != row.hash for row, event in zip(rows, events, strict=True))
        firsts = [event for event in events if event.seq == 1]
        assert len(firsts) == 30 and all(set(e.changes) == set(APPLICATION_FACTS) for e in firsts)
        assert [finding for _, finding in verify_all(session) if finding] == []


def test_a_log_recorded_on_the_old_road_is_reported_after_the_upgrade_never_hidden(
    fresh_engine: Engine,
) -> None:
    """Before 0007_law a third-party route's submission went straight to assessment_requested; the
    law's road sends it to assessment_queued (the assessor's clock). An upgraded log of the old
    road keeps its chain and its facts (0008 rechains it), but the replay disagrees, and verify
    says so for that file only: the migration does not rewrite history to fit the new road."""
    upgrade(fresh_engine)
    sessions = make_sessionmaker(fresh_engine)
    with transaction(sessions) as session:
        generate(session, get_registry(), 30, seed=11)
    downgrade(fresh_engine, "0006_visit_exit_dates")
    with fresh_engine.begin() as connection:  # as the old road recorded it
        queued = connection.execute(text(
            "SELECT a.id FROM applications a JOIN events e ON e.application_id = a.id "
            "WHERE e.seq = 2 AND e.to_state = 'assessment_queued' ORDER BY a.id LIMIT 1"
        )).one()
        connection.execute(text(
            "UPDATE events SET to_state = 'assessment_requested' WHERE application_id = :id AND "
            "seq = 2"), {"id": queued.id})
        connection.execute(text(
            "UPDATE events SET from_state = 'assessment_requested' WHERE application_id = :id AND "
            "seq = 3"), {"id": queued.id})
        connection.execute(text(
            "UPDATE applications SET state = 'assessment_requested' WHERE id = :id AND "
            "state = 'assessment_queued'"), {"id": queued.id})
        connection.execute(text(
            "UPDATE stage_intervals SET state = 'assessment_requested', clock = 'applicant' "
            "WHERE application_id = :id AND seq = 2"), {"id": queued.id})
    upgrade(fresh_engine)
    with sessions() as session:
        findings = [finding for _, finding in verify_all(session) if finding]
        reference = session.get_one(Application, queued.id).reference
    assert [f.reference for f in findings] == [reference]
    problems = findings[0].problems
    assert "event 2: replay gives assessment_queued, log says assessment_requested" in problems
    assert not [p for p in problems if "hash" in p or "state the application" in p]


def test_the_flag_history_migration_writes_the_history_the_flags_columns_tell(
    fresh_engine: Engine,
) -> None:
    """0014_flag_history backfills: a `raised` row per flag, then its acknowledgement and its
    resolution (with who and the note) from the flag's columns; the same rows the service writes
    as the steps are taken, but for a note an acknowledgement had before a resolution replaced it."""
    upgrade(fresh_engine)
    sessions = make_sessionmaker(fresh_engine)
    with transaction(sessions) as session:
        generate(session, get_registry(), 40, seed=7)
        staff = User(email="fairness@example.org", password_hash=password_hash(), role="oversight")
        session.add(staff)
        session.flush()
        fairness = Actor(user_id=staff.id, role=Role.oversight)
        ids = list(session.scalars(select(col(Flag.id)).order_by(col(Flag.id))))
        assert len(ids) >= 3
        triage_flag(session, fairness, ids[0], "acknowledge", "Looking into it")
        triage_flag(session, fairness, ids[1], "acknowledge", None)
        triage_flag(session, fairness, ids[1], "resolve", "Settled with the regulator")
        triage_flag(session, fairness, ids[2], "resolve", "Nothing to do")

    def history() -> list[tuple[object, ...]]:
        with sessions() as session:
            return [(a.flag_id, a.action, a.actor_id, a.at, a.from_status, a.to_status,
                     a.from_severity, a.to_severity, a.note)
                    for a in session.scalars(select(FlagAction).order_by(
                        col(FlagAction.flag_id), col(FlagAction.at), col(FlagAction.id)))]

    written = history()
    assert [row[1] for row in written if row[0] in ids[:3]] == [
        "raised", "acknowledged", "raised", "acknowledged", "resolved", "raised", "resolved"]
    downgrade(fresh_engine, "0012_write_path")
    assert "flag_actions" not in tables(fresh_engine)
    upgrade(fresh_engine)
    assert history() == written


def test_the_outcome_rollup_migration_builds_the_rollup_of_the_stored_applications(
    fresh_engine: Engine,
) -> None:
    """Data from before 0015_outcome_rollups: the upgrade writes every closed application's row
    (as the demo's refresh did) and sets the watermark to the last stage interval."""
    from oversight.models import OutcomeRollup, RollupWatermark
    from oversight.outcome_rollups import WATERMARK
    from workflow.models import StageInterval

    upgrade(fresh_engine)
    sessions = make_sessionmaker(fresh_engine)
    with transaction(sessions) as session:
        generate(session, get_registry(), 30, seed=11)

    def rows() -> list[tuple[object, ...]]:
        with sessions() as session:
            return [tuple(r) for r in session.execute(
                select(OutcomeRollup.application_id, OutcomeRollup.regulator,  # type: ignore[call-overload]
                       OutcomeRollup.applicant_id, OutcomeRollup.licensed, OutcomeRollup.days,
                       OutcomeRollup.stages).order_by(col(OutcomeRollup.application_id)))]

    refreshed = rows()
    assert refreshed  # some of thirty demo applications are closed
    downgrade(fresh_engine, "0014_flag_history")
    assert "outcome_rollups" not in tables(fresh_engine)
    upgrade(fresh_engine)
    assert rows() == refreshed
    with sessions() as session:
        mark = session.get(RollupWatermark, WATERMARK)
        assert mark is not None
        assert mark.last_id == session.scalar(select(func.max(col(StageInterval.id))))
