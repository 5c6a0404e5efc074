"""Opening and closing an application's deadlines as events move it: called in the event's transaction."""

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from deadlines.law import WINDOWS, windows_opening
from deadlines.models import Deadline
from fairtrack.errors import NotFound
from regulators.registry import Registry
from regulators.schema import PROJECT_DEFAULT_SOURCE, PROJECT_DEFAULTS, DayCount, StandardStage
from regulators.service import rules_of
from workflow.calendar import add_business_days, business_days_between, local_date, period_end
from workflow.models import Application, Event
from workflow.road import STATE_INFO, Clock, Fact

SERVICE_STANDARD, STATUTORY_WINDOW = "service_standard", "statutory_window"
OPEN = "open"
STANDARD_STAGES = frozenset(s.value for s in StandardStage)
ENDS_BY_CHOICE = frozenset({"withdraw", "abandon"})
WINDOW_STATES = {kind.kind.value: frozenset(kind.opens_in) for kind in WINDOWS}


def route_facts(application: Application) -> set[Fact]:
    facts: set[Fact] = set()
    if application.health_route:
        facts.add(Fact.health)
    if application.assessor is not None:
        facts.add(Fact.third_party_assessment)
    if application.decided_by_committee:
        facts.add(Fact.decided_by_committee)
    return facts


def _standard(
    session: Session, registry: Registry, application: Application, stage: StandardStage
) -> tuple[int, DayCount, str, bool]:
    """(days, counting, source, is project default) of the standard governing this application."""
    try:
        rules = rules_of(session, registry, application.regulator, application.rules_version)
    except NotFound:
        rules = registry.regulator(application.regulator)  # type: ignore[assignment]
    standard = rules.standard(stage) if rules is not None else None
    if standard is None:  # e.g. an assessment stage the regulator's data does not foresee
        days, counting = PROJECT_DEFAULTS[stage]
        return days, counting, PROJECT_DEFAULT_SOURCE, True
    return standard.days, standard.counting, standard.source, standard.is_default


def _extend(row: Deadline, until: date) -> None:
    """Push the due date out by the applicant's pause (SPEC 4: pauses are not the regulator's time)."""
    assert row.paused_on is not None
    if row.counting == "project_business":
        row.due_on = add_business_days(row.due_on, business_days_between(row.paused_on, until))
    else:
        row.due_on += timedelta(days=(until - row.paused_on).days)
    row.paused_on = None


def _close(row: Deadline, status: str, event: Event, day: date) -> None:
    row.status, row.closed_seq, row.closed_on = status, event.seq, day


def _window_outcome(row: Deadline, event: Event, day: date) -> str:
    """How a window ended: used by its party in time or late, lapsed, or ended by someone else."""
    if event.trigger == "lapse":
        return "lapsed"
    if event.trigger in ENDS_BY_CHOICE:
        return "closed"
    if event.actor_role == row.party:
        return "met" if day <= row.due_on else "late"
    # Another party ended the applicant's window before its last day (e.g. the committee began its
    # review while the applicant still had time for submissions, Code s. 15(3)).
    return "cut_short" if day < row.due_on else "closed"


def _close_or_pause(rows: list[Deadline], event: Event, day: date) -> None:
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


def record_deadlines(
    session: Session, registry: Registry, application: Application, event: Event
) -> None:
    """Close the deadlines the event ends and open those it starts (after the state has moved)."""
    day = local_date(event.occurred_at)
    rows = list(
        session.scalars(
            select(Deadline).where(
                col(Deadline.application_id) == application.id, col(Deadline.status) == OPEN
            )
        )
    )
    _close_or_pause(rows, event, day)
    still_open = {(r.kind, r.code) for r in rows if r.status == OPEN}
    assert application.id is not None
    entering = STATE_INFO[event.to_state]
    stage = entering.stage.value
    holder_clock = entering.clock not in (Clock.applicant, Clock.none)
    if stage in STANDARD_STAGES and holder_clock and (SERVICE_STANDARD, stage) not in still_open:
        days, counting, source, is_default = _standard(
            session, registry, application, StandardStage(stage)
        )
        business = counting is DayCount.business
        session.add(Deadline(
            application_id=application.id, kind=SERVICE_STANDARD, code=stage, stage=stage,
            party=entering.clock.value, days=days,
            counting="project_business" if business else "calendar",
            legal_basis=source, is_default=is_default, starts_on=day,
            due_on=add_business_days(day, days) if business else day + timedelta(days=days),
            status=OPEN, opened_seq=event.seq,
        ))
    for law in windows_opening(event.to_state, route_facts(application)):
        if (STATUTORY_WINDOW, law.kind.value) in still_open:
            continue
        session.add(Deadline(
            application_id=application.id, kind=STATUTORY_WINDOW, code=law.kind.value, stage=stage,
            party=law.party.value, days=law.days, counting=law.counting.value,
            legal_basis=law.citation, to_verify=law.to_verify, starts_on=day,
            due_on=period_end(day, law.days, law.counting), status=OPEN, opened_seq=event.seq,
        ))
    session.flush()


def deadlines_of(session: Session, application_id: int) -> list[Deadline]:
    return list(
        session.scalars(
            select(Deadline)
            .where(col(Deadline.application_id) == application_id)
            .order_by(col(Deadline.opened_seq), col(Deadline.id))
        )
    )
