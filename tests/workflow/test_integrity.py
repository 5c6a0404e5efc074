"""Integrity against someone with database access: daily chain heads, exported and checked later."""

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col
from typer.testing import CliRunner

from casefile.applications import apply_event
from cli.main import app as cli
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from tests.support.road import Road
from workflow import heads
from workflow.heads import last_closed_head
from workflow.ledger import (
    GENESIS_HASH,
    chain_hash,
    event_content,
    recorded_business_days,
    visit_durations,
)
from workflow.models import Application, Event, StageInterval, StageVisit
from workflow.schemas import EventRequest
from workflow.service import parse_reference
from workflow.visits import Stay, fold_visits

runner = CliRunner()


def _history(road: Road, days_ago: int) -> str:
    """An engineering application opened, submitted and taken up on three past days."""
    engineer, peo = road.applicant(), road.regulator("peo")
    start = utcnow() - timedelta(days=days_ago)
    reference = engineer.opened_on(start, "peo", "p-eng")
    for offset, (person, trigger) in enumerate([(engineer, "submit"), (peo, "begin_review")], 1):
        with transaction(road.sessions) as session:
            apply_event(
                session, person.actor, road.registry, reference,
                EventRequest(trigger=trigger, expected_version=offset),
                now=start + timedelta(days=offset),
            )
    return reference


def _rewrite_and_rechain(
    sessions: sessionmaker[Session], reference: str, seq: int, regulator: str | None = None
) -> None:
    """What a careful insider does: move one event's time (or the application to another
    regulator, everywhere it is written), then recompute every hash and the projection after it,
    so that the application agrees with its own log again."""
    app_id = parse_reference(reference)
    with transaction(sessions) as session:
        events = list(session.scalars(
            select(Event).where(col(Event.application_id) == app_id).order_by(col(Event.seq))
        ))
        intervals = list(session.scalars(
            select(StageInterval).where(col(StageInterval.application_id) == app_id)
            .order_by(col(StageInterval.seq))
        ))
        target = events[seq - 1]
        if regulator is None:
            target.occurred_at = target.occurred_at - timedelta(hours=20)
            target.recorded_at = target.recorded_at - timedelta(hours=20)
        else:
            events[0].changes = {**events[0].changes, "regulator": regulator}
            for interval in intervals:
                interval.regulator = regulator
        previous = GENESIS_HASH
        for event in events:
            event.prev_hash = previous
            event.hash = chain_hash(previous, event_content(
                application_id=event.application_id, seq=event.seq, trigger=event.trigger,
                outcome=event.outcome, from_state=event.from_state, to_state=event.to_state,
                actor_id=event.actor_id, actor_role=event.actor_role, actor_org=event.actor_org,
                occurred_at=event.occurred_at, recorded_at=event.recorded_at, payload=event.payload,
                changes=event.changes,
            ))
            previous = event.hash
        for interval, event in zip(intervals, events, strict=True):
            interval.entered_at, interval.recorded_at = event.occurred_at, event.recorded_at
        for interval, following in zip(intervals, events[1:], strict=False):
            interval.exited_at = following.occurred_at
            interval.calendar_days, interval.business_days = visit_durations(
                interval.entered_at, following.occurred_at
            )
            interval.recorded_business_days = recorded_business_days(interval.recorded_at,
                                                                     following.recorded_at)
        stays = [Stay(i.seq, i.stage, i.clock, i.entered_at, i.exited_at, i.calendar_days,
                      i.business_days, i.recorded_business_days) for i in intervals]
        visits = session.scalars(select(StageVisit).where(col(StageVisit.application_id) == app_id)
                                 .order_by(col(StageVisit.seq)))
        for stored, refolded in zip(visits, fold_visits(stays), strict=True):
            for name, value in vars(refolded).items():
                setattr(stored, name, value)
            stored.regulator = regulator or stored.regulator
        application = session.get(Application, app_id)
        assert application is not None
        application.head_hash = previous
        application.regulator = regulator or application.regulator


def test_a_rewritten_and_rechained_event_passes_verify_but_not_the_kept_heads(
    road: Road, cli_database: None, tmp_path: Path
) -> None:
    reference = _history(road, days_ago=10)
    _history(road, days_ago=6)
    heads = tmp_path / "heads.jsonl"

    exported = runner.invoke(cli, ["verify", "--export-heads", str(heads)])
    assert exported.exit_code == 0, exported.output
    assert len(heads.read_text().splitlines()) == 6  # three days for each history
    assert runner.invoke(cli, ["verify", "--heads", str(heads)]).exit_code == 0

    _rewrite_and_rechain(road.sessions, reference, seq=2)

    alone = runner.invoke(cli, ["verify"])
    assert alone.exit_code == 0, "the insider's rewrite is self-consistent: the chain alone agrees"
    checked = runner.invoke(cli, ["verify", "--heads", str(heads)])
    assert checked.exit_code == 1
    assert "day head mismatch" in checked.output


def test_an_application_moved_to_another_regulator_everywhere_passes_verify_but_not_the_heads(
    road: Road, cli_database: None, tmp_path: Path
) -> None:
    """The regulator is in the first event's hashed content: moving the file means rewriting that
    event and its chain, which the day heads kept outside show."""
    reference = _history(road, days_ago=8)
    heads = tmp_path / "heads.jsonl"
    assert runner.invoke(cli, ["verify", "--export-heads", str(heads)]).exit_code == 0

    _rewrite_and_rechain(road.sessions, reference, seq=1, regulator="oaa")

    assert runner.invoke(cli, ["verify"]).exit_code == 0, "the rewrite is self-consistent"
    checked = runner.invoke(cli, ["verify", "--heads", str(heads)])
    assert checked.exit_code == 1 and "day head mismatch" in checked.output


def test_todays_events_are_not_exported_and_later_days_do_not_disturb_old_heads(
    road: Road, cli_database: None, tmp_path: Path
) -> None:
    _history(road, days_ago=5)
    heads = tmp_path / "heads.jsonl"
    assert runner.invoke(cli, ["verify", "--export-heads", str(heads)]).exit_code == 0
    road.applicant().open("peo", "p-eng")  # recorded today, after the export
    _history(road, days_ago=2)  # days after the last exported one
    result = runner.invoke(cli, ["verify", "--heads", str(heads)])
    assert result.exit_code == 0, result.output


def test_a_deleted_day_and_a_malformed_heads_file_are_reported(
    road: Road, cli_database: None, tmp_path: Path
) -> None:
    _history(road, days_ago=4)
    printed = runner.invoke(cli, ["verify", "--export-heads", "-"])
    assert printed.exit_code == 0
    lines = [line for line in printed.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 3
    kept = tmp_path / "kept.jsonl"
    kept.write_text("\n".join(lines) + "\n")
    with transaction(road.sessions) as session:  # an insider inserts a back-dated day's record
        event = session.scalars(select(Event).order_by(col(Event.id))).first()
        assert event is not None
        event.recorded_at = event.recorded_at - timedelta(days=30)
    assert runner.invoke(cli, ["verify", "--heads", str(kept)]).exit_code == 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text("not json\n")
    assert runner.invoke(cli, ["verify", "--heads", str(bad)]).exit_code == 2


def test_the_last_closed_head_is_kept_until_older_history_is_added(
    road: Road, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A report's footer reads the last closed day's head: walked once, then kept while no event
    recorded before today is added (today's events are not under it)."""
    _history(road, days_ago=5)
    with road.sessions() as session:
        walked = last_closed_head(session)
    assert walked is not None and walked.total == 3

    def no_walk(*_: object, **__: object) -> None:
        raise AssertionError("the kept head was walked again")

    monkeypatch.setattr(heads, "day_heads", no_walk)
    road.applicant().open("peo", "p-eng")  # recorded today
    with road.sessions() as session:
        assert last_closed_head(session) == walked
    monkeypatch.undo()

    _history(road, days_ago=3)  # back-dated history (a demo, an import of old events)
    with road.sessions() as session:
        again = last_closed_head(session)
        assert again is not None and again.total == 6 and again != walked
        assert again == list(heads.day_heads(session, through=date.fromisoformat(again.day)))[-1]
