"""Opening and closing an application's deadlines as events move it, in the event's transaction;
and the checks an event must pass against them (no lapse before a window has run out, no
abandonment while the applicant still has time, extensions of a window that exists)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol, TypeVar

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session
from sqlmodel import col

from deadlines.models import Deadline
from fairtrack.errors import DeadlineConflict, InvalidRequest, NotFound
from fairtrack.rows import insert_row, update_row
from i18n import msg
from law.calendar import add_business_days, business_days_between, local_date
from law.road import (
    ACT_OF_PARTY,
    COURT_FILINGS,
    ENDS_BY_CHOICE,
    EXTENSIONS,
    LAPSE,
    STATE_INFO,
    TRIGGER_OUTCOMES,
    Clock,
    Fact,
    Trigger,
)
from law.standards import PROJECT_DEFAULT_SOURCE, PROJECT_DEFAULTS, DayCount, StandardStage
from law.windows import (
    SentBy,
    WindowLaw,
    count_from,
    start_of,
    window_law,
    windows_opening,
)
from regulators.registry import Registry
from regulators.service import rules_of
from workflow.models import Application, Event

SERVICE_STANDARD, STATUTORY_WINDOW = "service_standard", "statutory_window"
RESPONSE_DEADLINE = "response_deadline"
OPEN = "open"
STANDARD_STAGES = frozenset(s.value for s in StandardStage)
# Whose work ends at a decision: the stage's standard closes then, even if the stage goes on
# (HPARB's decision leaves the file at the appeal board stage, on the applicant's clock).
DECISIONS = frozenset(TRIGGER_OUTCOMES)


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
    def actor_org(self) -> str | None: ...
    @property
    def occurred_at(self) -> datetime: ...
    @property
    def payload(self) -> dict[str, Any]: ...


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
    receipt_basis: str | None = None
    acted_on: date | None = None
    extended_seq: int | None = None
    original_due_on: date | None = None


Row = TypeVar("Row", Deadline, DeadlineDraft)
AnyRow = Deadline | DeadlineDraft


def _day(payload: dict[str, Any], key: str) -> date | None:
    value = payload.get(key)
    return date.fromisoformat(value) if isinstance(value, str) else None


def law_of(row: AnyRow, regulator: str) -> WindowLaw | None:
    """The window law a statutory window row counts by (None if the law no longer has it)."""
    try:
        return window_law(row.code, regulator)
    except (KeyError, LookupError):
        return None


def _extend(row: AnyRow, until: date) -> None:
    """Push the due date out by the applicant's pause (SPEC 4: pauses are not the regulator's time)."""
    assert row.paused_on is not None
    if row.counting == "project_business":
        row.due_on = add_business_days(row.due_on, business_days_between(row.paused_on, until))
    else:
        row.due_on += timedelta(days=(until - row.paused_on).days)
    row.paused_on = None


def _close(row: AnyRow, status: str, event: Step, day: date) -> None:
    row.status, row.closed_seq, row.closed_on = status, event.seq, day


def act_day(event: Step, day: date) -> date:
    """The day a party's act counts from: a court appeal's service (r. 61.04), else its day."""
    served = _day(event.payload, "served_on") if event.trigger in COURT_FILINGS else None
    return served or day


def _window_outcome(row: AnyRow, law: WindowLaw | None, event: Step, day: date) -> str:
    """How a window ended: used by its party in time or late, lapsed, waived, or ended by
    someone else (before its last day: cut short)."""
    if event.trigger == LAPSE:
        return "met" if row.acted_on else "lapsed"
    if event.trigger in ENDS_BY_CHOICE:
        return "closed"
    if law is not None and event.trigger in law.used_by:
        return "met" if act_day(event, day) <= row.due_on else "late"
    party = ACT_OF_PARTY.get(event.trigger)
    acted_by = party.value if party is not None else event.actor_role
    if acted_by == row.party:
        return "closed"  # the party took another way (e.g. met the requirements instead)
    if row.party == Clock.applicant.value and day <= row.due_on:
        # Another party ended the applicant's window on or before its last day, which is the
        # applicant's whole day (e.g. the committee decided while submissions were still open).
        return "cut_short"
    return "met" if row.acted_on else "lapsed"


def _follow_window(row: AnyRow, event: Step, day: date, regulator: str) -> None:
    law = law_of(row, regulator)
    runs_in = law.runs_in if law is not None else frozenset({event.from_state})
    payload = event.payload
    if event.trigger in EXTENSIONS and payload.get("window") == row.code:
        until = _day(payload, "until")
        if until is not None:
            row.original_due_on = row.original_due_on or row.due_on
            row.due_on, row.extended_seq = until, event.seq
        return
    if event.trigger == Trigger.record_receipt and law is not None and law.from_receipt:
        received = _day(payload, "received_on")
        if received is not None and row.extended_seq is None:
            row.starts_on = received
            row.due_on = count_from(law, received)[0]
            row.receipt_basis = (f"actual receipt recorded by the applicant (event {event.seq}): "
                                 f"{received.isoformat()}")
        return
    if law is not None and event.trigger in law.marked_by:
        row.acted_on = day
        return
    if law is not None and event.trigger in law.waived_by:
        _close(row, "waived", event, day)
        return
    if event.trigger == LAPSE and row.due_on < day:
        _close(row, _window_outcome(row, law, event, day), event, day)
        return
    leaving = event.from_state in runs_in and event.to_state not in runs_in
    if leaving:
        _close(row, _window_outcome(row, law, event, day), event, day)


def _follow_response(row: AnyRow, event: Step, day: date) -> None:
    """A response deadline ends with the state it was set in: answered, late, or passed unanswered
    when the file is abandoned."""
    if event.from_state != row.code or event.to_state == row.code:
        return
    if event.trigger == Trigger.abandon:
        _close(row, "lapsed", event, day)
    elif event.trigger in ENDS_BY_CHOICE:
        _close(row, "closed", event, day)
    else:
        _close(row, "met" if day <= row.due_on else "late", event, day)


def _close_or_pause(rows: Sequence[AnyRow], event: Step, day: date, regulator: str) -> None:
    entering = STATE_INFO[event.to_state]
    for row in rows:
        if row.status != OPEN:
            continue
        if row.kind == STATUTORY_WINDOW:
            _follow_window(row, event, day, regulator)
        elif row.kind == RESPONSE_DEADLINE:
            _follow_response(row, event, day)
        elif entering.stage.value != row.stage or event.trigger in DECISIONS:
            # The stage ended, or its holder decided: every standard closes met or missed. A
            # stage that ends during a pause ended, for the holder, when the pause began.
            ended = row.paused_on or day
            _close(row, "met" if ended <= row.due_on else "missed", event, day)
        elif entering.clock is Clock.applicant and row.paused_on is None:
            row.paused_on = day
        elif entering.clock is not Clock.applicant and row.paused_on is not None:
            _extend(row, day)


def _window_row(
    make: Callable[..., Row], application_id: int, law: WindowLaw, stage: str, step: Step,
    starts_on: date, due_on: date, basis: str, **more: Any,
) -> Row:
    return make(
        application_id=application_id, kind=STATUTORY_WINDOW, code=law.code, stage=stage,
        party=law.party.value, days=law.days, counting=law.counting.value,
        legal_basis=law.citation, to_verify=law.to_verify, starts_on=starts_on, due_on=due_on,
        status=OPEN, opened_seq=step.seq, receipt_basis=basis, **more,
    )


def _opened_windows(
    step: Step, day: date, facts: set[Fact], regulator: str, still_open: set[tuple[str, str]],
    application_id: int, stage: str, make: Callable[..., Row],
) -> list[Row]:
    payload = step.payload
    if step.trigger in EXTENSIONS:
        code, until = payload.get("window"), _day(payload, "until")
        if not isinstance(code, str) or until is None or (STATUTORY_WINDOW, code) in still_open:
            return []
        # A window that had run out, reopened by the order: it runs to the day the order gives.
        law = window_law(code, regulator)
        basis = (f"reopened by an order extending the time (event {step.seq}, "
                 f"{step.actor_org or 'the tribunal'}) to {until.isoformat()}")
        return [_window_row(make, application_id, law, stage, step, day, until, basis,
                            extended_seq=step.seq)]
    if step.from_state == step.to_state:
        return []  # a step that stays put opens nothing new
    sent_by = payload.get("sent_by")
    opened = []
    for law in windows_opening(step.to_state, facts, regulator):
        if (STATUTORY_WINDOW, law.code) in still_open:
            continue
        starts_on, basis = start_of(
            law, day, _day(payload, "sent_on"), SentBy(sent_by) if sent_by else None,
            _day(payload, "received_on"),
        )
        due_on = count_from(law, starts_on)[0]
        opened.append(_window_row(make, application_id, law, stage, step, starts_on, due_on, basis))
    return opened


def follow_step(
    open_rows: list[Row],
    step: Step,
    application_id: int,
    facts: set[Fact],
    standard: Callable[[StandardStage], Standard],
    make: Callable[..., Row],
    regulator: str = "",
) -> list[Row]:
    """Close, pause or extend the open deadlines the step touches (in place); return those it
    opens, built by `make` (`Deadline`, or `DeadlineDraft` for bulk inserts).

    `facts` are the application's route facts after the step; `standard` gives a stage's standard;
    `regulator` selects a body's own windows. Pure: the write path and the demo's bulk histories
    both go through here.
    """
    day = local_date(step.occurred_at)
    _close_or_pause(open_rows, step, day, regulator)
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
    opened += _opened_windows(step, day, facts, regulator, still_open, application_id, stage, make)
    respond_by = _day(step.payload, "respond_by")
    if respond_by is not None and (RESPONSE_DEADLINE, step.to_state) not in still_open:
        opened.append(make(
            application_id=application_id, kind=RESPONSE_DEADLINE, code=step.to_state,
            stage=stage, party=Clock.applicant.value, days=(respond_by - day).days,
            counting="calendar",
            legal_basis=f"the response date given with the request (event {step.seq})",
            starts_on=day, due_on=respond_by, status=OPEN, opened_seq=step.seq,
        ))
    return opened


_OPEN_ROWS = (
    select(Deadline)
    .where(col(Deadline.application_id) == bindparam("application_id"),
           col(Deadline.status) == OPEN)
    .order_by(col(Deadline.id))
)


def open_deadlines(session: Session, application_id: int) -> list[Deadline]:
    """The application's open deadlines (one indexed read: the checks and the follow share it)."""
    return list(session.scalars(_OPEN_ROWS, {"application_id": application_id}))


def record_deadlines(
    session: Session, registry: Registry, application: Application, event: Event,
    open_rows: list[Deadline] | None = None,
) -> list[Deadline]:
    """Close the deadlines the event ends and open those it starts (after the state has moved).

    `open_rows`: the application's open deadlines, read in this transaction before the event (else
    read here). Returns every row the event touched or opened, stored: those still open, those it
    closed, and the new ones (with their ids), for the flag rules to decide on.
    """
    assert application.id is not None
    rows = open_deadlines(session, application.id) if open_rows is None else open_rows

    def standard(stage: StandardStage) -> Standard:
        return standard_of(session, registry, application.regulator, application.rules_version,
                           stage)

    opened = follow_step(rows, event, application.id, application.facts(), standard, Deadline,
                         application.regulator)
    # Core statements, not a flush: each changed row by its id, each new one with its id back.
    for row in rows:
        update_row(session, row)
    for row in opened:
        insert_row(session, row)
    return [*rows, *opened]


def _conflict(message: str, row: AnyRow | None = None) -> DeadlineConflict:
    details: dict[str, Any] = {}
    if row is not None:
        details = {"deadline": row.code, "last_day": row.due_on.isoformat()}
    return DeadlineConflict(message, **details)


def check_against_deadlines(
    session: Session, application: Application, trigger: str, payload: dict[str, Any],
    day: date, open_rows: list[Deadline] | None = None,
) -> None:
    """Refuse, naming the deadline, a step the application's deadlines do not allow on `day`
    (Ontario): a lapse before a window has run out; an abandonment while the applicant has a window
    open, or without a response deadline given and passed; an extension of no window.
    `open_rows`: the open deadlines read in this transaction (else read here)."""
    assert application.id is not None
    rows = open_deadlines(session, application.id) if open_rows is None else open_rows
    mine = [r for r in rows if r.kind == STATUTORY_WINDOW and r.party == Clock.applicant.value]
    if trigger == LAPSE:
        running = [r for r in mine if r.due_on >= day]
        if running:
            raise _conflict(msg("the window {window} runs until the end of {last_day} (Ontario "
                                "time): nothing lapses before its last day has passed",
                                window=running[0].code, last_day=running[0].due_on), running[0])
        if not any(r.due_on < day for r in mine):
            raise _conflict(msg("no window of the applicant's has run out here"))
    elif trigger == Trigger.abandon:
        running = [r for r in mine if r.due_on >= day]
        if running:
            raise _conflict(msg("the applicant's window {window} is open until {last_day}: the "
                                "file cannot be abandoned before it has passed",
                                window=running[0].code, last_day=running[0].due_on), running[0])
        asked = [r for r in rows if r.kind == RESPONSE_DEADLINE and r.code == application.state]
        if not asked:
            raise _conflict(msg("no response deadline was given to the applicant with the "
                                "request: abandonment needs one (respond_by), passed without a "
                                "response"))
        if asked[0].due_on >= day:
            raise _conflict(msg("the response deadline runs until {last_day}: abandonment needs "
                                "it passed without a response", last_day=asked[0].due_on),
                            asked[0])
    elif trigger in EXTENSIONS:
        _check_extension(session, application, trigger, payload, rows, day)


def _check_extension(
    session: Session, application: Application, trigger: str, payload: dict[str, Any],
    rows: list[Deadline], day: date,
) -> None:
    code = str(payload.get("window"))
    try:
        law = window_law(code, application.regulator)
    except (KeyError, LookupError):
        raise InvalidRequest(msg("no window '{window}' on this application's route", window=code),
                             field="window") from None
    if law.extended_by != trigger:
        raise InvalidRequest(msg("'{trigger}' does not extend {window} ({extender} does)",
                                 trigger=trigger, window=code, extender=law.extended_by or "none"),
                             field="window")
    until = _day(payload, "until")
    assert until is not None  # law.road.NEEDS
    current = [r for r in rows if r.kind == STATUTORY_WINDOW and r.code == code]
    if current:
        if until <= current[0].due_on:
            raise InvalidRequest(msg("an extension lengthens the window: its last day is "
                                     "{last_day}", last_day=current[0].due_on), field="until")
        return
    lapsed = session.scalars(
        select(Deadline).where(
            col(Deadline.application_id) == application.id, col(Deadline.code) == code,
            col(Deadline.kind) == STATUTORY_WINDOW,
        ).order_by(col(Deadline.id).desc()).limit(1)
    ).first()
    reopens = lapsed is not None and lapsed.status == "lapsed" and (
        # A lapse that closed the file was the last event; a window that expired without a step
        # (e.g. while requirements are outstanding) left the application where it was.
        lapsed.closed_seq in (None, application.version)
    )
    if not reopens:
        raise _conflict(msg("no window {window} open or lapsed here to extend", window=code))
    assert lapsed is not None
    if until < day:
        raise InvalidRequest(msg("until must not be before the day of the extension"),
                             field="until")


def deadlines_of(session: Session, application_id: int) -> list[Deadline]:
    return list(
        session.scalars(
            select(Deadline)
            .where(col(Deadline.application_id) == application_id)
            .order_by(col(Deadline.opened_seq), col(Deadline.id))
        )
    )


def open_windows_of(
    session: Session, application_ids: Sequence[int],
    kinds: Sequence[str] = (STATUTORY_WINDOW, RESPONSE_DEADLINE),
) -> dict[int, list[Deadline]]:
    """The time limits still open on each of these applications, soonest first (one query): the
    statutory windows (whoever's) and the dates given to the applicant to answer a request (or the
    `kinds` asked, e.g. the service standards too)."""
    found: dict[int, list[Deadline]] = {}
    if not application_ids:
        return found
    rows = session.scalars(
        select(Deadline)
        .where(col(Deadline.application_id).in_(list(application_ids)),
               col(Deadline.kind).in_(list(kinds)),
               col(Deadline.status) == OPEN)
        .order_by(col(Deadline.due_on), col(Deadline.id))
    )
    for row in rows:
        found.setdefault(row.application_id, []).append(row)
    return found
