"""Re-walks every application's log: the hash chain, the machine's replay, the application's facts
as the log states them, and the projections."""

import hashlib
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from law.road import INITIAL_STATE, STATE_INFO, Fact
from workflow.ledger import (
    APPLICATION_FACTS,
    GENESIS_HASH,
    HASHED_FIELDS,
    LATER_CHANGES,
    LETTER_HASH,
    chain_hash,
    event_content,
    recorded_business_days,
    visit_durations,
)
from workflow.machine import StepRefused, Walk, fire
from workflow.models import (
    Application,
    DecisionLetter,
    Event,
    StageInterval,
    StageVisit,
    route_facts,
)
from workflow.visits import Stay, Visit, fold_visits

BATCH = 500


@dataclass
class Finding:
    reference: str
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExpectedInterval:
    seq: int
    state: str
    stage: str
    clock: str
    entered_at: datetime
    exited_at: datetime | None
    calendar_days: int | None
    business_days: int | None
    recorded_at: datetime
    recorded_business_days: int | None


def check_application(
    application: Application,
    events: Sequence[Event],
    intervals: Sequence[StageInterval],
    visits: Sequence[StageVisit],
) -> list[str]:
    """Every way the stored application disagrees with its own log (empty when it agrees)."""
    if not events:
        return ["no events"]
    problems: list[str] = []
    prev_hash = GENESIS_HASH
    # The facts as the log states them, never as the row does: the replay starts from these.
    stated = dict(events[0].changes)
    missing = [name for name in APPLICATION_FACTS if name not in stated]
    if missing:
        problems.append(f"event 1 does not state the application's {', '.join(missing)}")
    walk = Walk(INITIAL_STATE, route_facts(bool(stated.get("health_route")), stated.get("assessor")))
    expected: list[ExpectedInterval] = []
    for position, event in enumerate(events, start=1):
        if event.seq != position:
            problems.append(f"event seq {event.seq} found where {position} was expected")
            return problems
        if event.prev_hash != prev_hash:
            problems.append(f"event {event.seq}: prev_hash does not match event {event.seq - 1}")
        content = event_content(**{name: getattr(event, name) for name in HASHED_FIELDS})
        if chain_hash(event.prev_hash, content) != event.hash:
            problems.append(f"event {event.seq}: hash does not match its content")
        prev_hash = event.hash
        if position == 1:
            if event.to_state != INITIAL_STATE or event.from_state is not None:
                problems.append("event 1 does not open the application in draft")
        else:
            if set(event.changes) - LATER_CHANGES:
                problems.append(f"event {event.seq} changes {sorted(set(event.changes) - LATER_CHANGES)}"
                                ", which no step changes")
            stated.update(event.changes)
            if event.from_state != walk.state:
                problems.append(f"event {event.seq}: from_state {event.from_state} != {walk.state}")
            try:
                fire(walk, event.trigger, event.outcome)
            except StepRefused:
                problems.append(f"event {event.seq}: '{event.trigger}' is no step from {walk.state}")
                return problems
            if walk.state != event.to_state:
                problems.append(f"event {event.seq}: replay gives {walk.state}, log says "
                                f"{event.to_state}")
            previous = expected[-1]
            days = visit_durations(previous.entered_at, event.occurred_at)
            expected[-1] = ExpectedInterval(
                previous.seq, previous.state, previous.stage, previous.clock,
                previous.entered_at, event.occurred_at, *days, previous.recorded_at,
                recorded_business_days(previous.recorded_at, event.recorded_at),
            )
        info = STATE_INFO[walk.state]
        expected.append(ExpectedInterval(
            event.seq, info.name, info.stage.value, info.clock.value, event.occurred_at,
            None, None, None, event.recorded_at, None,
        ))
    for name in APPLICATION_FACTS:
        if name in stated and getattr(application, name) != stated[name]:
            problems.append(f"stored {name} {getattr(application, name)!r}, the log says "
                            f"{stated[name]!r}")
    if application.created_at != events[0].occurred_at:
        problems.append("stored created_at is not the first event's time")
    if walk.state != application.state:
        problems.append(f"stored state {application.state}, replay gives {walk.state}")
    if (Fact.decided_by_committee in walk.facts) != application.decided_by_committee:
        problems.append("stored decided_by_committee disagrees with the replay")
    if application.version != len(events):
        problems.append(f"stored version {application.version}, log has {len(events)} events")
    if application.head_hash != prev_hash:
        problems.append("stored head hash is not the last event's hash")
    stored = [
        ExpectedInterval(
            i.seq, i.state, i.stage, i.clock, i.entered_at, i.exited_at,
            i.calendar_days, i.business_days, i.recorded_at, i.recorded_business_days,
        )
        for i in intervals
    ]
    regulator = stated.get("regulator")
    problems.extend(f"stage interval {i.seq}: regulator {i.regulator!r}, the log says {regulator!r}"
                    for i in intervals if i.regulator != regulator)
    problems.extend(f"stage visit {v.seq}: regulator {v.regulator!r}, the log says {regulator!r}"
                    for v in visits if v.regulator != regulator)
    if stored != expected:
        problems.append("stage intervals disagree with the events")
    stored_visits = [
        Visit(v.seq, v.stage, v.entered_at, v.exited_at, v.calendar_days, v.business_days,
              v.attributable_calendar_days, v.attributable_business_days, v.exited_on,
              v.attributable_business_days_as_recorded)
        for v in visits
    ]
    stays = (Stay(i.seq, i.stage, i.clock, i.entered_at, i.exited_at, i.calendar_days,
                  i.business_days, i.recorded_business_days) for i in expected)
    if stored_visits != fold_visits(stays):
        problems.append("stage visits disagree with the events")
    return problems


def check_letters(events: Sequence[Event], letters: Sequence[DecisionLetter]) -> list[str]:
    """Every decision letter kept is the one its event's payload hashed, and every event that
    sent one has it kept: an edited, swapped or deleted letter shows."""
    problems: list[str] = []
    stated = {e.seq: e.payload[LETTER_HASH] for e in events if LETTER_HASH in e.payload}
    kept = {letter.seq: letter for letter in letters}
    for seq, digest in sorted(stated.items()):
        letter = kept.get(seq)
        if letter is None:
            problems.append(f"event {seq} sent a letter that is not kept")
        elif hashlib.sha256(letter.pdf).hexdigest() != digest:
            problems.append(f"event {seq}: the kept letter is not the one whose hash the log holds")
        elif letter.sha256 != digest:
            problems.append(f"event {seq}: the letter's stored hash differs from the log's")
    problems.extend(f"letter for event {seq} has no event stating its hash"
                    for seq in sorted(set(kept) - set(stated)))
    return problems


def check_stored(session: Session, application: Application) -> list[str]:
    """check_application on one application's stored log and projections."""
    mine = col(Event.application_id) == application.id
    events = list(session.scalars(select(Event).where(mine).order_by(col(Event.seq))))
    intervals = list(session.scalars(
        select(StageInterval).where(col(StageInterval.application_id) == application.id)
        .order_by(col(StageInterval.seq))
    ))
    visits = list(session.scalars(
        select(StageVisit).where(col(StageVisit.application_id) == application.id)
        .order_by(col(StageVisit.seq))
    ))
    letters = list(session.scalars(
        select(DecisionLetter).where(col(DecisionLetter.application_id) == application.id)
    ))
    return check_application(application, events, intervals, visits) + check_letters(events, letters)


def _batches(session: Session) -> Iterator[list[Application]]:
    last_id = 0
    while True:
        query = select(Application).where(col(Application.id) > last_id)
        batch = list(session.scalars(query.order_by(col(Application.id)).limit(BATCH)))
        if not batch:
            return
        yield batch
        last_id = batch[-1].id or 0


Row = TypeVar("Row", Event, StageInterval, StageVisit, DecisionLetter)


def _by_application(session: Session, model: type[Row], ids: list[int | None]) -> dict[int, list[Row]]:
    """One query for a batch: the rows of each application, in seq order."""
    rows: dict[int, list[Row]] = defaultdict(list)
    for row in session.scalars(
        select(model)
        .where(col(model.application_id).in_(ids))
        .order_by(col(model.application_id), col(model.seq))
    ):
        rows[row.application_id].append(row)
    return rows


def verify_all(session: Session) -> Iterator[tuple[int, Finding | None]]:
    """Yields (applications checked so far, finding or None) for each application, in id order."""
    checked = 0
    for batch in _batches(session):
        ids = [a.id for a in batch]
        events = _by_application(session, Event, ids)
        intervals = _by_application(session, StageInterval, ids)
        visits = _by_application(session, StageVisit, ids)
        letters = _by_application(session, DecisionLetter, ids)
        for application in batch:
            assert application.id is not None
            checked += 1
            problems = check_application(
                application, events[application.id], intervals[application.id],
                visits[application.id],
            ) + check_letters(events[application.id], letters[application.id])
            yield checked, Finding(application.reference, problems) if problems else None
        session.expunge_all()
