"""Histories on given Ontario dates, for tests about clocks, deadlines and flags."""

from collections.abc import Callable
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from casefile.applications import apply_event, create_application
from deadlines.models import Deadline
from flags.models import Flag
from law.calendar import TORONTO
from law.road import Role
from regulators.registry import Registry
from tests.support.road import Person, Road
from workflow.models import Application, Event
from workflow.schemas import ApplicationCreate, EventRequest
from workflow.service import parse_reference


def noon(day: date) -> datetime:
    """Midday in Toronto on that date: no time-zone edge moves it to another day."""
    return datetime.combine(day, time(12, 0), tzinfo=TORONTO)


BACKDATED = "recorded after the fact: a test history on given dates"


def on(person: Person, reference: str, trigger: str, day: date, **fields: Any) -> dict[str, Any]:
    """The step as it happened at noon that day, recorded now (with the reason back-dating needs)."""
    fields.setdefault("backdated_because", BACKDATED)
    return person.step(reference, trigger, occurred_at=noon(day).isoformat(), **fields)


def refused_on(person: Person, reference: str, trigger: str, day: date, status: int, error: str,
               **fields: Any) -> dict[str, Any]:
    """The step, as of noon that day, refused with this status and error, changing nothing."""
    fields.setdefault("backdated_because", BACKDATED)
    return person.refused(reference, trigger, status, error, occurred_at=noon(day).isoformat(),
                          **fields)


class Cast:
    """An applicant and the staff along a health (CNO) and a non-health (PEO) road."""

    def __init__(self, road: Road) -> None:
        self.road = road
        self.applicant = road.applicant()
        self.nnas = road.assessor("nnas")
        self.cno = road.regulator("cno")
        self.hparb = road.tribunal("hparb")
        self.court = road.tribunal("divisional-court")
        self.peo = road.regulator("peo")
        self.peo_appeals = road.tribunal("peo-registration-committee")

    def cno_under_review(self, opened: date, reviewed: date) -> str:
        ref = self.applicant.opened_on(noon(opened), "cno", "rn", "nnas")
        on(self.applicant, ref, "submit", opened)
        on(self.nnas, ref, "start_assessment", opened)
        on(self.nnas, ref, "complete_assessment", opened)
        on(self.cno, ref, "begin_review", reviewed)
        return ref

    def cno_referred(self, opened: date, referred: date) -> str:
        ref = self.cno_under_review(opened, opened)
        on(self.cno, ref, "refer_to_committee", referred, reasons="Doubts on clinical hours.")
        return ref

    def cno_refused_by_committee(self, opened: date, refused: date, **fields: Any) -> str:
        ref = self.cno_referred(opened, opened)
        on(self.cno, ref, "begin_review", opened)
        on(self.cno, ref, "issue_decision", refused, outcome="refused", reasons="Hours not shown.",
           **fields)
        return ref

    def cno_committee_orders(self, opened: date, decided: date, outcome: str,
                             **fields: Any) -> str:
        """The Registration Committee's order, after the applicant waived submissions."""
        ref = self.cno_referred(opened, opened)
        on(self.applicant, ref, "waive_submissions", opened, note="No submissions to make.")
        if outcome == "requirements":
            fields.setdefault("requirements", ["examination"])
        on(self.cno, ref, "issue_decision", decided, outcome=outcome,
           reasons="The committee's reasons.", **fields)
        return ref

    def cno_before_hparb(self, opened: date) -> str:
        """A committee refusal appealed to HPARB, which holds a hearing."""
        ref = self.cno_refused_by_committee(opened, opened)
        on(self.applicant, ref, "request_appeal", opened, review_or_hearing="hearing")
        return ref

    def cno_appeal_dismissed(self, opened: date, dismissed: date) -> str:
        ref = self.cno_refused_by_committee(opened, opened)
        on(self.applicant, ref, "request_appeal", opened, review_or_hearing="review")
        on(self.hparb, ref, "decide_appeal", dismissed, outcome="dismissed", reasons="Confirmed.")
        return ref

    def peo_submitted(self, day: date) -> str:
        ref = self.applicant.opened_on(noon(day), "peo", "p-eng")
        on(self.applicant, ref, "submit", day)
        return ref

    def under_review(self, regulator: str, licence_class: str, day: date) -> str:
        """A self-assessing regulator's application under review from `day`."""
        ref = self.applicant.opened_on(noon(day), regulator, licence_class)
        on(self.applicant, ref, "submit", day)
        on(self.road.regulator(regulator), ref, "begin_review", day)
        return ref


def deadlines(road: Road, reference: str) -> list[Deadline]:
    with road.sessions() as session:
        return list(session.scalars(
            select(Deadline).where(col(Deadline.application_id) == parse_reference(reference))
            .order_by(col(Deadline.id))
        ))


def window(road: Road, reference: str, code: str) -> Deadline:
    return next(d for d in deadlines(road, reference) if d.code == code)


def flags(road: Road, reference: str | None = None, kind: str | None = None) -> list[Flag]:
    query = select(Flag).order_by(col(Flag.id))
    if reference is not None:
        query = query.where(col(Flag.application_id) == parse_reference(reference))
    if kind is not None:
        query = query.where(col(Flag.kind) == kind)
    with road.sessions() as session:
        return list(session.scalars(query))


def replay_through_the_write_path(
    session: Session,
    registry: Registry,
    recorded: Application,
    after_each: Callable[[Application, Event], None] | None = None,
) -> int:
    """A stored application's events, one by one through create_application and apply_event.

    Returns the replay's id; `after_each(replay, original_event)` runs after every event.
    """
    events = list(session.scalars(select(Event).where(col(Event.application_id) == recorded.id)
                                  .order_by(col(Event.seq))))
    applicant = Actor(user_id=recorded.applicant_id, role=Role.applicant)
    replay = create_application(session, applicant, registry, ApplicationCreate(
        regulator=recorded.regulator, licence_class=recorded.licence_class,
        assessor=recorded.assessor), now=events[0].occurred_at)
    for event in events[1:]:
        actor = Actor(user_id=event.actor_id, role=Role(event.actor_role), organization=event.actor_org)
        request = EventRequest(
            trigger=event.trigger, outcome=event.outcome, expected_version=replay.version,
            occurred_at=event.occurred_at, **event.payload)
        replay, _ = apply_event(session, actor, registry, replay.reference, request,
                                now=event.recorded_at)
        if after_each is not None:
            after_each(replay, event)
    assert replay.id is not None and replay.state == recorded.state
    return replay.id
