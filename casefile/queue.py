"""A staff member's work queue: their organization's applications that await them (workflow.policy
.awaiting), flagged and oldest first, a page at a time (keyset), with the count per stage, each
row with its days in stage, the stage's service standard and the time left on any open window.

A constant number of queries whatever the page's length: the page (with its flag and the stage's
first day in the same query), the open deadlines of the page's applications, the counts.
"""

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy import case, exists, func, select, tuple_
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from deadlines.models import Deadline
from deadlines.schemas import DeadlineView
from deadlines.service import OPEN, RESPONSE_DEADLINE, SERVICE_STANDARD, STATUTORY_WINDOW, open_windows_of
from deadlines.views import deadline_view
from fairtrack.columns import utcnow
from fairtrack.errors import InvalidRequest
from fairtrack.pagination import MAX_PAGE, Page, cursor_keys, keys_cursor
from flags.models import Flag
from i18n import msg
from law.calendar import local_date
from law.road import STATE_INFO, STATES, Stage
from regulators.registry import Registry
from workflow.ledger import visit_durations
from workflow.models import Application, StageVisit
from workflow.policy import AWAITS, awaiting
from workflow.schemas import ApplicationView
from workflow.views import application_view

QUEUE_PAGE = 25
# Ages a queue can be cut at (calendar days in the stage, at least).
AGES = (30, 60, 90, 180, 365)
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class QueueFilter:
    """What a queue is cut to; each value already checked against what it may be."""

    stage: str | None = None
    state: str | None = None
    flagged: bool = False
    overdue: bool = False
    age: int | None = None  # at least this many calendar days in the stage

    def check(self, actor: Actor) -> "QueueFilter":
        """Refuse a filter that names nothing in this queue (never ignore it)."""
        states = AWAITS.get(actor.role, frozenset())
        if self.state is not None and self.state not in states:
            raise InvalidRequest(msg("state is one of {states}", states=", ".join(sorted(states))),
                                 field="state")
        stages = {STATE_INFO[s].stage.value for s in states}
        if self.stage is not None and self.stage not in stages:
            raise InvalidRequest(msg("stage is one of {stages}", stages=", ".join(sorted(stages))),
                                 field="stage")
        if self.age is not None and self.age not in AGES:
            raise InvalidRequest(msg("age is one of {ages}", ages=", ".join(map(str, AGES))),
                                 field="age")
        return self


@dataclass(frozen=True)
class QueueRow:
    application: Application
    flagged: bool
    stage_since: datetime
    days_in_stage: int  # Ontario business days since the stage began
    standard: Deadline | None  # the stage's service standard, open
    windows: list[Deadline]  # open statutory windows and response deadlines, soonest first


@dataclass(frozen=True)
class WorkQueue:
    rows: list[QueueRow]
    next_cursor: str | None
    counts: dict[str, int] = field(default_factory=dict)  # stage -> applications awaiting there
    total: int = 0


def _micros(moment: datetime) -> int:
    return (moment - EPOCH) // timedelta(microseconds=1)


def _query(actor: Actor, registry: Registry, filters: QueueFilter, now: datetime):  # type: ignore[no-untyped-def]
    open_flag = exists(select(col(Flag.id)).where(
        col(Flag.application_id) == col(Application.id), col(Flag.status) != "resolved"))
    unflagged = case((open_flag, 0), else_=1)
    # The open stage visit's first day, looked up per application by its key (a join would read
    # every open visit of every regulator).
    since = (select(col(StageVisit.entered_at))
             .where(col(StageVisit.application_id) == col(Application.id),
                    col(StageVisit.exited_at).is_(None))
             .order_by(col(StageVisit.seq).desc()).limit(1).scalar_subquery())
    query = (
        select(Application, since.label("since"), unflagged.label("unflagged"))
        .where(awaiting(actor, registry))
    )
    if filters.state is not None:
        query = query.where(col(Application.state) == filters.state)
    if filters.stage is not None:
        query = query.where(col(Application.state).in_(
            [s.name.value for s in STATES if s.stage.value == filters.stage]))
    if filters.flagged:
        query = query.where(open_flag)
    if filters.overdue:
        query = query.where(exists(select(col(Deadline.id)).where(
            col(Deadline.application_id) == col(Application.id),
            col(Deadline.kind) == SERVICE_STANDARD, col(Deadline.status) == OPEN,
            col(Deadline.due_on) < local_date(now))))
    if filters.age is not None:
        query = query.where(since <= now - timedelta(days=filters.age))
    return query, unflagged, since


def work_queue(
    session: Session, actor: Actor, registry: Registry, filters: QueueFilter,
    cursor: str | None = None, limit: int | None = None, now: datetime | None = None,
) -> WorkQueue:
    limit = limit or QUEUE_PAGE
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(msg("limit is from 1 to {most}", most=MAX_PAGE), field="limit")
    filters.check(actor)
    now = now or utcnow()
    query, unflagged, since = _query(actor, registry, filters, now)
    after = cursor_keys(cursor, 3)
    if after is not None:
        query = query.where(tuple_(unflagged, since, col(Application.id))
                            > tuple_(after[0], EPOCH + timedelta(microseconds=after[1]), after[2]))
    found = session.execute(
        query.order_by(unflagged, since, col(Application.id)).limit(limit + 1)
    ).all()
    page, more = found[:limit], len(found) > limit
    ids = [row[0].id for row in page if row[0].id is not None]
    deadlines = open_windows_of(session, ids, (SERVICE_STANDARD, STATUTORY_WINDOW, RESPONSE_DEADLINE))
    rows = []
    for found_row in page:
        application: Application = found_row[0]
        stage_since: datetime = found_row[1]
        not_flagged: int = found_row[2]
        stage = STATE_INFO[application.state].stage.value
        held = deadlines.get(application.id or 0, [])
        rows.append(QueueRow(
            application=application, flagged=not not_flagged, stage_since=stage_since,
            days_in_stage=visit_durations(stage_since, now)[1],
            standard=next((d for d in held if d.kind == SERVICE_STANDARD and d.code == stage), None),
            windows=[d for d in held if d.kind != SERVICE_STANDARD],
        ))
    next_cursor = None
    if more:
        last = page[-1]
        next_cursor = keys_cursor((last[2], _micros(last[1]), last[0].id))
    counts = stage_counts(session, actor, registry)
    return WorkQueue(rows, next_cursor, counts, sum(counts.values()))


def stage_counts(session: Session, actor: Actor, registry: Registry) -> dict[str, int]:
    """How many applications await this staff member at each stage (one grouped query)."""
    counts: dict[str, int] = {}
    for state, number in session.execute(
        select(col(Application.state), func.count()).where(awaiting(actor, registry))
        .group_by(col(Application.state))
    ):
        stage = STATE_INFO[state].stage.value
        counts[stage] = counts.get(stage, 0) + number
    return {s.value: counts[s.value] for s in Stage if s.value in counts}


class QueueItem(BaseModel):
    application: ApplicationView
    flagged: bool = Field(description="A fairness flag on it is not resolved")
    stage_since: datetime = Field(description="When the application entered its current stage")
    business_days_in_stage: int
    standard: DeadlineView | None = Field(description="The stage's service standard, open")
    windows: list[DeadlineView] = Field(description="Open statutory windows and response deadlines")


class QueueView(Page[QueueItem]):
    counts: dict[str, int] = Field(description="Applications awaiting the caller, per stage")
    total: int


def queue_view(queue: WorkQueue, actor: Actor, registry: Registry) -> QueueView:
    """The queue as the JSON API answers it (the page shows the same rows)."""
    return QueueView(
        items=[QueueItem(
            application=application_view(row.application, actor, registry), flagged=row.flagged,
            stage_since=row.stage_since, business_days_in_stage=row.days_in_stage,
            standard=deadline_view(row.standard, row.application.regulator) if row.standard
            else None,
            windows=[deadline_view(w, row.application.regulator) for w in row.windows],
        ) for row in queue.rows],
        next_cursor=queue.next_cursor, counts=queue.counts, total=queue.total,
    )
