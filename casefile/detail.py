"""The application detail: the application as its caller sees it, its clocks per stage, its
deadlines and the expected time at its open stage; its whole file (with the timeline) and an
applicant's dashboard, as pages and documents show them."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from accounts.actor import Actor
from deadlines.schemas import DeadlineView
from deadlines.service import deadlines_of, open_windows_of
from deadlines.views import deadline_view
from law.road import CLOSED_STATES
from oversight.expectations import expectation
from oversight.schemas import Expectation
from regulators.registry import Registry
from workflow.policy import stage_for
from workflow.repository import ApplicationFilter, list_applications, stage_clocks, timeline
from workflow.schemas import ApplicationView, EventView, IntervalView, StageClock
from workflow.service import get_application
from workflow.views import application_view, event_view, interval_view


class ApplicationDetail(ApplicationView):
    stage_clocks: list[StageClock]
    deadlines: list[DeadlineView]
    expectation: Expectation | None


def application_detail(
    session: Session, actor: Actor, registry: Registry, reference: str
) -> ApplicationDetail:
    """What the caller may see of one application (NotFound outside their scope)."""
    application = get_application(session, actor, registry, reference)
    assert application.id is not None
    base = application_view(application, actor, registry)
    return ApplicationDetail(
        **base.model_dump(),
        stage_clocks=stage_clocks(session, application.id),
        deadlines=[deadline_view(d, application.regulator)
                   for d in deadlines_of(session, application.id) if stage_for(actor, d.stage)],
        expectation=expectation(session, application),
    )


@dataclass(frozen=True)
class ApplicationFile:
    """Everything one application's page or status summary shows: the detail and the timeline."""

    detail: ApplicationDetail
    events: list[EventView]
    intervals: list[IntervalView]


def application_file(
    session: Session, actor: Actor, registry: Registry, reference: str
) -> ApplicationFile:
    detail = application_detail(session, actor, registry, reference)
    _, events, intervals = timeline(session, actor, registry, reference)
    return ApplicationFile(detail, [event_view(e) for e in events],
                           [interval_view(i) for i in intervals])


@dataclass(frozen=True)
class DashboardRow:
    application: ApplicationView
    open_windows: list[DeadlineView]


# An applicant's applications on one page; more are reached by the next page's cursor.
DASHBOARD_PAGE = 50


def dashboard(
    session: Session, actor: Actor, registry: Registry, cursor: str | None = None
) -> tuple[list[DashboardRow], str | None]:
    """The caller's applications, each with its open statutory windows (two queries in all)."""
    rows, next_cursor = list_applications(session, actor, registry, ApplicationFilter(),
                                          DASHBOARD_PAGE, cursor)
    windows = open_windows_of(session, [row.id for row in rows if row.id is not None])
    return [
        DashboardRow(application_view(row, actor, registry),
                     [deadline_view(d, row.regulator) for d in windows.get(row.id or 0, [])])
        for row in rows
    ], next_cursor


def open_applications_like(
    session: Session, actor: Actor, registry: Registry, regulator: str, licence_class: str
) -> list[ApplicationView]:
    """The caller's applications still open with this regulator for this licence class: before a
    second is opened, the applicant is told."""
    rows, _ = list_applications(session, actor, registry, ApplicationFilter(regulator=regulator),
                                DASHBOARD_PAGE, None)
    return [application_view(row, actor, registry) for row in rows
            if row.licence_class == licence_class and row.state not in CLOSED_STATES]
