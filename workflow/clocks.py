"""An application's clocks and what lies ahead: days per stage and whose they were, its deadlines,
and the expected time at its open stage. The application detail shows these."""

from datetime import date, datetime
from typing import cast

from pydantic import BaseModel, Field
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from deadlines.service import deadlines_of
from fairtrack.columns import utcnow
from oversight.expectations import expectation
from oversight.schemas import Expectation
from regulators.registry import Registry
from workflow.ledger import visit_durations
from workflow.models import Application, StageInterval
from workflow.schemas import ApplicationView
from workflow.views import application_view


class StageClock(BaseModel):
    stage: str
    calendar_days: int
    business_days: int
    paused_business_days: int = Field(description="On the applicant's clock (pauses)")
    attributable_business_days: int = Field(
        description="Not on the applicant's clock: the regulator's (or assessor's, tribunal's)"
    )


class DeadlineView(BaseModel):
    kind: str = Field(description="service_standard or statutory_window")
    code: str
    stage: str
    party: str = Field(description="Who must act by the due date")
    days: int
    counting: str
    due_on: date
    starts_on: date
    status: str
    legal_basis: str
    to_verify: str | None
    is_default: bool = Field(description="A project default, not the regulator's published figure")
    paused: bool


class ApplicationDetail(ApplicationView):
    stage_clocks: list[StageClock]
    deadlines: list[DeadlineView]
    expectation: Expectation | None


def stage_clocks(session: Session, application_id: int, now: datetime | None = None) -> list[StageClock]:
    """Per stage, in SQL over the closed visits; the one open visit is counted to now."""
    applicant = col(StageInterval.clock) == "applicant"
    business = col(StageInterval.business_days)
    rows = session.execute(
        select(
            col(StageInterval.stage),
            func.min(col(StageInterval.seq)),
            func.coalesce(func.sum(col(StageInterval.calendar_days)), 0),
            func.coalesce(func.sum(business), 0),
            func.coalesce(func.sum(case((applicant, business), else_=0)), 0),
        )
        .where(col(StageInterval.application_id) == application_id)
        .group_by(col(StageInterval.stage))
        .order_by(func.min(col(StageInterval.seq)))
    ).all()
    clocks: dict[str, list[int]] = {
        cast(str, stage): [cast(int, calendar), cast(int, total), cast(int, paused)]
        for stage, _, calendar, total, paused in rows
    }
    current = session.scalars(
        select(StageInterval).where(
            col(StageInterval.application_id) == application_id, col(StageInterval.exited_at).is_(None)
        )
    ).one_or_none()
    if current is not None and current.stage != "closed":
        calendar, business_days = visit_durations(current.entered_at, now or utcnow())
        clocks[current.stage][0] += calendar
        clocks[current.stage][1] += business_days
        if current.clock == "applicant":
            clocks[current.stage][2] += business_days
    return [
        StageClock(stage=stage, calendar_days=c, business_days=b, paused_business_days=p,
                   attributable_business_days=b - p)
        for stage, (c, b, p) in clocks.items() if stage != "closed"
    ]


def application_detail(
    session: Session, application: Application, actor: Actor, registry: Registry
) -> ApplicationDetail:
    assert application.id is not None
    base = application_view(application, actor, registry)
    return ApplicationDetail(
        **base.model_dump(),
        stage_clocks=stage_clocks(session, application.id),
        deadlines=[
            DeadlineView(
                kind=d.kind, code=d.code, stage=d.stage, party=d.party, days=d.days,
                counting=d.counting, due_on=d.due_on, starts_on=d.starts_on, status=d.status,
                legal_basis=d.legal_basis, to_verify=d.to_verify, is_default=d.is_default,
                paused=d.paused_on is not None,
            )
            for d in deadlines_of(session, application.id)
        ],
        expectation=expectation(session, application),
    )
