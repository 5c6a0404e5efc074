"""The application detail: the application as its caller sees it, its clocks per stage, its
deadlines and the expected time at its open stage."""

from sqlalchemy.orm import Session

from accounts.actor import Actor
from deadlines.schemas import DeadlineView
from deadlines.service import deadlines_of
from deadlines.views import deadline_view
from oversight.expectations import expectation
from oversight.schemas import Expectation
from regulators.registry import Registry
from workflow.repository import stage_clocks
from workflow.schemas import ApplicationView, StageClock
from workflow.service import get_application
from workflow.views import application_view


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
                   for d in deadlines_of(session, application.id)],
        expectation=expectation(session, application),
    )
