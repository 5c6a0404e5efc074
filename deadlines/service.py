"""Opening and closing an application's deadlines as events move it: called in the event's transaction."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from deadlines.models import Deadline
from fairtrack.errors import NotFound
from law.calendar import add_business_days, business_days_between, local_date
from law.road import ACT_OF_PARTY, ENDS_BY_CHOICE, LAPSE, STATE_INFO, Clock, Fact
from law.standards import PROJECT_DEFAULT_SOURCE, PROJECT_DEFAULTS, DayCount, StandardStage
from law.windows import WINDOWS, calculate, windows_opening
from regulators.registry import Registry
from regulators.service import rules_of
from workflow.models import Application, Event

SERVICE_STANDARD, STATUTORY_WINDOW = "service_standard", "statutory_window"
OPEN = "open"
STANDARD_STAGES = frozenset(s.value for s in StandardStage)
WINDOW_STATES = {kind.kind.value: frozenset(kind.opens_in) for kind in WINDOWS}


# (days, counting, source, is project default) of a stage's service standard.
Standard = tuple[int, DayCount, str, bool]


class Step(Protocol):
    """What deadlines need to know of an event: the write path's Event, or a demo history's step."""

    @property
    def seq(self) -> int: ...
    @property
    def trigger(self) -> str: ...
    @property
    def from_state(self) -> str | None: ...
    @property
    def to_state(self) -> str: ...
    @property
    def actor_role(self) -> str: ...
    @property
    def occurred_at(self) -> datetime: ...


def standard_of(
    session: Session, registry: Registry, regulator: str, rules_version: int, stage: StandardStage
) -> Standard:
    """The standard governing an application of `regulator` under `rules_version`."""
    try:
        rules = rules_of(session, registry, regulator, rules_version)
    except NotFound:
        rules = registry.regulator(regulator)  # type: ignore[assignment]
    standard = rules.standard(stage) if rules is not None else None
    if standard is None:  # e.g. an assessment stage the regulator's data does not foresee
        days, counting = PROJECT_DEFAULTS[stage]
        return days, counting, PROJECT_DEFAULT_SOURCE, True
    return standard.days, standard.counting, standard.source, standard.is_default


@dataclass(slots=True)
class DeadlineDraft:
    """A deadline row not (yet) in a session: the demo's bulk form of `Deadline`, same fields."""

    application_id: int
    kind: str
    code: str
    stage: str
    party: str
    days: int
    counting: str
    legal_basis: str
    starts_on: date
    due_on: date
    status: str
    opened_seq: int
    to_verify: str | None = None
    is_default: bool = False
    paused_on: date | None = None
    closed_seq: int | None = None
    closed_on: date | None = None


Row = TypeVar("Row", Deadline, DeadlineDraft)


def _extend(row: Deadline | DeadlineDraft, until: date) -> None:
    """Push the due date out by the applicant's pause (SPEC 4: pauses are not the regulator's time)."""
    assert row.paused_on is not None
    if row.counting == "project_business":
        row.due_on = add_business_days(row.due_on, business_days_between(row.paused_on, until))
    else:
        row.due_on += timedelta(days=(until - row.paused_on).days)
    row.paused_on = None


def _close(row: Deadline | DeadlineDraft, status: str, event: Step, day: date) -> None:
    row.status, row.closed_seq, row.closed_on = status, event.seq, day


def _window_outcome(row: Deadline | DeadlineDraft, event: Step, day: date) -> str:
    """How a window ended: used by its party in time or late, lapsed, or ended by someone else."""
    if event.trigger == LAPSE:
        return "lapsed"
    if event.trigger in ENDS_BY_CHOICE:
        return "closed"
    party = ACT_OF_PARTY.get(event.trigger)
    acted_by = party.value if party is not None else event.actor_role
    if acted_by == row.party:
        return "met" if day <= row.due_on else "late"
    # Another party ended the applicant's window before its last day (e.g. the committee began its
    # review while the applicant still had time for submissions, Code s. 15(3)).
    return "cut_short" if day < row.due_on else "closed"


def _close_or_pause(rows: Sequence[Deadline | DeadlineDraft], event: Step, day: date) -> None:
    entering = STATE_INFO[event.to_state]
    for row in rows:
        if row.kind == STATUTORY_WINDOW:
            if event.from_state not in WINDOW_STATES[row.code] or event.to_state == event.from_state:
                continue
            _close(row, _window_outcome(row, event, day), event, day)
        elif entering.stage.value != row.stage:
            # A stage that ends during a pause ended, for the holder, when the pause began.
            ended = row.paused_on or day
            _close(row, "met" if ended <= row.due_on else "missed", event, day)
        elif entering.clock is Clock.applicant and row.paused_on is None:
            row.paused_on = day
        elif entering.clock is not Clock.applicant and row.paused_on is not None:
            _extend(row, day)


def follow_step(
    open_rows: list[Row],
    step: Step,
    application_id: int,
    facts: set[Fact],
    standard: Callable[[StandardStage], Standard],
    make: Callable[..., Row],
) -> list[Row]:
    """Close or pause the open deadlines the step ends (in place); return those it opens, built
    by `make` (`Deadline`, or `DeadlineDraft` for bulk inserts).

    `facts` are the application's route facts after the step; `standard` gives a stage's standard.
    Pure: the write path and the demo's bulk histories both go through here.
    """
    day = local_date(step.occurred_at)
    _close_or_pause(open_rows, step, day)
    still_open = {(r.kind, r.code) for r in open_rows if r.status == OPEN}
    entering = STATE_INFO[step.to_state]
    stage = entering.stage.value
    holder_clock = entering.clock not in (Clock.applicant, Clock.none)
    opened: list[Row] = []
    if stage in STANDARD_STAGES and holder_clock and (SERVICE_STANDARD, stage) not in still_open:
        days, counting, source, is_default = standard(StandardStage(stage))
        business = counting is DayCount.business
        opened.append(make(
            application_id=application_id, kind=SERVICE_STANDARD, code=stage, stage=stage,
            party=entering.clock.value, days=days,
            counting="project_business" if business else "calendar",
            legal_basis=source, is_default=is_default, starts_on=day,
            due_on=add_business_days(day, days) if business else day + timedelta(days=days),
            status=OPEN, opened_seq=step.seq,
        ))
    for law in windows_opening(step.to_state, facts):
        if (STATUTORY_WINDOW, law.kind.value) in still_open:
            continue
        opened.append(make(
            application_id=application_id, kind=STATUTORY_WINDOW, code=law.kind.value, stage=stage,
            party=law.party.value, days=law.days, counting=law.counting.value,
            legal_basis=law.citation, to_verify=law.to_verify, starts_on=day,
            due_on=calculate(law.kind.value, day).last_day, status=OPEN, opened_seq=step.seq,
        ))
    return opened


def record_deadlines(
    session: Session, registry: Registry, application: Application, event: Event
) -> None:
    """Close the deadlines the event ends and open those it starts (after the state has moved)."""
    assert application.id is not None
    rows = list(
        session.scalars(
            select(Deadline).where(
                col(Deadline.application_id) == application.id, col(Deadline.status) == OPEN
            )
        )
    )

    def standard(stage: StandardStage) -> Standard:
        return standard_of(session, registry, application.regulator, application.rules_version,
                           stage)

    session.add_all(
        follow_step(rows, event, application.id, application.facts(), standard, Deadline)
    )
    session.flush()


def deadlines_of(session: Session, application_id: int) -> list[Deadline]:
    return list(
        session.scalars(
            select(Deadline)
            .where(col(Deadline.application_id) == application_id)
            .order_by(col(Deadline.opened_seq), col(Deadline.id))
        )
    )


def open_windows_of(session: Session, application_ids: Sequence[int]) -> dict[int, list[Deadline]]:
    """The statutory windows still open on each of these applications, soonest first (one query)."""
    found: dict[int, list[Deadline]] = {}
    if not application_ids:
        return found
    rows = session.scalars(
        select(Deadline)
        .where(col(Deadline.application_id).in_(list(application_ids)),
               col(Deadline.kind) == STATUTORY_WINDOW, col(Deadline.status) == OPEN)
        .order_by(col(Deadline.due_on), col(Deadline.id))
    )
    for row in rows:
        found.setdefault(row.application_id, []).append(row)
    return found
