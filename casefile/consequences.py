"""What each event sets off in its own transaction: the deadlines it opens or closes, the flags it
raises, and what it tells the world (webhook deliveries, the applicant's email: the outbox)."""

from sqlalchemy.orm import Session

from casefile.notifications import notify_event
from deadlines.service import record_deadlines
from flags.service import raise_flags_after
from regulators.registry import Registry
from workflow.models import Application, Event


def follow_event(session: Session, registry: Registry, application: Application, event: Event) -> None:
    """After the log has moved the state and the projections (workflow.append), in the same
    transaction."""
    record_deadlines(session, registry, application, event)
    assert application.id is not None
    raise_flags_after(session, registry, application.id, event)
    notify_event(session, application, event)
