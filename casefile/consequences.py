"""What each event sets off in its own transaction: the deadlines it opens or closes, the flags it
raises, and what it tells the world (webhook deliveries, the applicant's email: the outbox)."""

from sqlalchemy.orm import Session

from casefile.notifications import notify_event
from deadlines.models import Deadline
from deadlines.service import record_deadlines
from flags.service import KnownFlags, raise_flags_after
from regulators.registry import Registry
from workflow.models import Application, Event


def follow_event(
    session: Session, registry: Registry, application: Application, event: Event,
    open_deadlines: list[Deadline] | None = None, known_flags: KnownFlags | None = None,
    subscribed: bool | None = None,
) -> None:
    """After the log has moved the state and the projections (workflow.append), in the same
    transaction. `open_deadlines`: the application's open deadlines read before the event (the
    write path reads them once, for the checks and for this); the deadline flag rules then decide
    on the rows the event touched, in memory, knowing the flags read with them (`known_flags`).
    `subscribed`: whether the application's organizations have an active webhook (read with the
    lock), if known."""
    touched = record_deadlines(session, registry, application, event, open_deadlines)
    raise_flags_after(session, registry, application, event, touched, known_flags)
    notify_event(session, registry, application, event, subscribed)
