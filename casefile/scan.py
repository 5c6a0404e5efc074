"""The periodic scan (`fairtrack scan`, and `fairtrack worker` at its interval): close windows whose
last day has fully passed (Ontario time), raise every flag, queue the applicants' reminders
(14, 7 and 2 days before each of their time limits, each once), fold the stage visits
completed since into the timeliness rollups and the applications changed since into the outcome
rollup, and keep each regulator's and stage's expected time for the reads.

Idempotent: what it lapses is gone from the next run's candidates, and flags are keyed by occurrence.
Each lapse is its own unit of work through the one domain function that writes events.
"""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import SYSTEM
from casefile.applications import step
from casefile.notifications import queue_reminders
from deadlines.models import Deadline
from deadlines.service import STATUTORY_WINDOW, law_of
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from fairtrack.errors import DomainError
from flags.service import raise_flags
from law.calendar import local_date
from law.road import LAPSE
from oversight.expectations import refresh_expectations
from oversight.outcome_rollups import refresh as refresh_outcomes
from oversight.rollups import refresh
from regulators.registry import Registry
from workflow.machine import allowed_triggers
from workflow.models import Application
from workflow.schemas import EventRequest


def deadline_states(deadline: Deadline, regulator: str) -> frozenset[str]:
    """The states a window runs in (a lapse step from elsewhere is not this window's)."""
    law = law_of(deadline, regulator)
    return law.runs_in if law is not None else frozenset()


@dataclass
class ScanReport:
    lapsed: list[str] = field(default_factory=list)  # references whose window closed by `lapse`
    expired: int = 0  # windows past their day where the road has no `lapse` step
    raised: dict[str, int] = field(default_factory=dict)
    reminders: int = 0  # reminder emails queued
    rolled_up: int = 0  # completed visits folded into the timeliness rollups
    outcomes_rolled_up: int = 0  # closed applications' rows written into the outcome rollup
    expectations: int = 0  # (regulator, stage) expected times kept for the reads


def lapse_windows(
    session: Session, registry: Registry, now: datetime, report: ScanReport
) -> None:
    today = local_date(now)
    due = session.execute(
        select(col(Deadline.id), col(Deadline.application_id), col(Deadline.due_on))
        .where(col(Deadline.kind) == STATUTORY_WINDOW, col(Deadline.status) == "open",
               col(Deadline.due_on) < today)
        .order_by(col(Deadline.id))
    ).all()
    for deadline_id, application_id, due_on in due:
        with unit_of_work(session):
            application = session.get(Application, application_id, with_for_update=True)
            deadline = session.get(Deadline, deadline_id)
            if application is None or deadline is None or deadline.status != "open":
                continue  # a concurrent scan or event got there first
            runs_here = application.state in deadline_states(deadline, application.regulator)
            if runs_here and LAPSE in allowed_triggers(application.state, application.facts()):
                request = EventRequest(
                    trigger=LAPSE, expected_version=application.version,
                    note=f"{deadline.code} closed unused: its last day was {due_on.isoformat()}",
                )
                try:
                    step(session, SYSTEM, registry, application, request, now)
                except DomainError:
                    continue  # moved meanwhile; the next scan looks again
                report.lapsed.append(application.reference)
            else:
                # e.g. the appeal window on a committee's order to complete requirements, or a
                # submissions window while the committee has the file: the road has no lapse from
                # there, so the window closes without a step (used, if the applicant acted in it).
                deadline.status = "met" if deadline.acted_on else "lapsed"
                deadline.closed_on = today
                report.expired += 1


def scan(session: Session, registry: Registry, now: datetime | None = None) -> ScanReport:
    now = now or utcnow()
    report = ScanReport()
    lapse_windows(session, registry, now, report)
    with unit_of_work(session):
        for finding in raise_flags(session, registry, local_date(now), now=now):
            report.raised[finding.kind] = report.raised.get(finding.kind, 0) + 1
    with unit_of_work(session):
        report.reminders = queue_reminders(session, local_date(now), now)
    with unit_of_work(session):  # after the lapses: the visits they closed are counted
        report.rolled_up = refresh(session, now)
    with unit_of_work(session):  # after the lapses: the applications they closed are counted
        report.outcomes_rolled_up = refresh_outcomes(session, now)
    with unit_of_work(session):
        report.expectations = refresh_expectations(session, registry, now)
    return report
