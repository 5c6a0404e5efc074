"""Stage visits: consecutive intervals in one stage folded into one row, kept by the write path.

A visit starts where an interval's stage differs from the previous interval's and ends when the
application leaves the stage; its days are the sums of its intervals', and its attributable days
leave out the intervals on the applicant's clock (SPEC 4). `fold_visits` is the definition (the demo
and `fairtrack verify` use it); `advance_visit` is the same fold one event at a time (the write path).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from fairtrack.rows import insert_row, update_row
from law.calendar import local_date
from law.road import Clock
from workflow.models import StageInterval, StageVisit


class Stay(NamedTuple):
    """What a visit needs to know of one stage interval."""

    seq: int
    stage: str
    clock: str
    entered_at: datetime
    exited_at: datetime | None
    calendar_days: int | None
    business_days: int | None
    recorded_business_days: int | None = None  # as recorded, not as back-dated


@dataclass
class Visit:
    seq: int
    stage: str
    entered_at: datetime
    exited_at: datetime | None = None
    calendar_days: int = 0
    business_days: int = 0
    attributable_calendar_days: int = 0
    attributable_business_days: int = 0
    exited_on: date | None = None  # the Ontario date of exited_at
    attributable_business_days_as_recorded: int = 0


def _close(visit: Visit | StageVisit, exited_at: datetime) -> None:
    visit.exited_at = exited_at
    visit.exited_on = local_date(exited_at)


def _add_stay(visit: Visit | StageVisit, clock: str, calendar_days: int, business_days: int,
              recorded_business_days: int) -> None:
    visit.calendar_days += calendar_days
    visit.business_days += business_days
    if clock != Clock.applicant.value:
        visit.attributable_calendar_days += calendar_days
        visit.attributable_business_days += business_days
        visit.attributable_business_days_as_recorded += recorded_business_days


def fold_visits(stays: Iterable[Stay]) -> list[Visit]:
    """The visits a sequence of intervals (in seq order) makes."""
    visits: list[Visit] = []
    for stay in stays:
        if not visits or visits[-1].stage != stay.stage:
            if visits:
                _close(visits[-1], stay.entered_at)
            visits.append(Visit(stay.seq, stay.stage, stay.entered_at))
        if stay.exited_at is not None:
            _add_stay(visits[-1], stay.clock, stay.calendar_days or 0, stay.business_days or 0,
                      stay.recorded_business_days or 0)
    return visits


def visit_of(interval: StageInterval) -> StageVisit:
    """The visit an interval opens when it enters a stage other than the previous interval's."""
    return StageVisit(
        application_id=interval.application_id, regulator=interval.regulator, seq=interval.seq,
        stage=interval.stage, entered_at=interval.entered_at,
    )


def advance_visit(
    session: Session, ended: StageInterval, entered: StageInterval, visit: StageVisit | None = None
) -> None:
    """Add the interval just ended to its open visit (`visit`, if already read); close the visit if
    `entered` leaves its stage. Written now, by Core statements (fairtrack.rows)."""
    if visit is None:
        visit = session.scalars(
            select(StageVisit).where(
                col(StageVisit.application_id) == ended.application_id,
                col(StageVisit.exited_at).is_(None),
            )
        ).one()
    _add_stay(visit, ended.clock, ended.calendar_days or 0, ended.business_days or 0,
              ended.recorded_business_days or 0)
    leaves = entered.stage != visit.stage
    if leaves:
        _close(visit, entered.entered_at)
    update_row(session, visit)
    if leaves:
        insert_row(session, visit_of(entered))
