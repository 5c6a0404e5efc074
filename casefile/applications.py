"""Opening an application and recording an event: each a unit of work that locks once, checks,
appends to the log, follows the event (deadlines, flags) and answers, with Idempotency-Key replay."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from accounts.actor import Actor
from casefile.consequences import follow_event
from casefile.documents import Draft, attached, draft_before_lock, draft_letter, keep_letter
from deadlines.service import check_against_deadlines
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from fairtrack.errors import VersionConflict
from fairtrack.idempotency import fingerprint, recall, remember
from flags.service import open_deadlines_and_flags
from integrations.outbox import SUBSCRIBED, tribunals
from law.calendar import local_date
from regulators.registry import Registry
from workflow.append import append_event, start_log
from workflow.models import Application, Event
from workflow.schemas import ApplicationCreate, ApplicationView, EventRequest, EventView
from workflow.service import (
    Locked,
    check_board_order,
    check_dates,
    check_step,
    lock_application,
    new_application,
)
from workflow.views import application_view, event_view

CREATED = 201


class EventResult(BaseModel):
    application: ApplicationView
    event: EventView


def create_application(
    session: Session, actor: Actor, registry: Registry, data: ApplicationCreate,
    now: datetime | None = None,
) -> Application:
    """Open an application in the caller's transaction: its log, its first deadlines and flags."""
    application = new_application(session, actor, registry, data, now or utcnow())
    event = start_log(session, actor, application)
    follow_event(session, registry, application, event)
    return application


def apply_event(
    session: Session, actor: Actor, registry: Registry, reference: str, request: EventRequest,
    now: datetime | None = None,
) -> tuple[Application, Event]:
    """Fire one trigger in the caller's transaction: lock the application (once), check the step,
    append it to the log, and follow it."""
    locked = lock_application(session, actor, registry, reference, SUBSCRIBED,
                              {"tribunals": tribunals(registry)})
    return step(session, actor, registry, locked.application, request, now, locked)


def step(
    session: Session, actor: Actor, registry: Registry, application: Application,
    request: EventRequest, now: datetime | None, locked: Locked | None = None,
    draft: Draft | None = None,
) -> tuple[Application, Event]:
    """Check, append and follow one step on an application already locked by this transaction
    (`locked`: with its open interval and visit, read with the lock; `draft`: the decision's
    letter rendered before the lock, casefile.documents.draft_before_lock).

    Its open deadlines are read once, with the flags raised on them, for the checks and for what
    the event sets off; the deadline flag rules decide on the rows in memory, and every row is
    written by one Core statement compiled once (fairtrack.rows), not by the ORM's flush."""
    now = now or utcnow()
    if draft is not None:
        if draft.holds(application):
            request = draft.request  # the decision's time, as the drafted letter gives it
        else:  # another event came first: the checks below refuse the stale version
            draft = None
    check_step(actor, application, registry, request)
    check_dates(request, now)
    check_board_order(session, application, request)
    assert application.id is not None
    with session.no_autoflush:
        deadlines, flagged = open_deadlines_and_flags(session, application.id)
        check_against_deadlines(session, application, request.trigger, request.payload(),
                                local_date(request.occurred_at or now), deadlines)
        # A decision's letter is made first (or its draft kept): its hash is part of what the
        # event says.
        letter = draft_letter(session, actor, registry, application, request, now, draft)
        event = append_event(session, actor, registry, application, request, now,
                             attached=attached(letter),
                             current=locked.interval if locked else None,
                             visit=locked.visit if locked else None)
        follow_event(session, registry, application, event, deadlines, flagged,
                     bool(locked.also) if locked and locked.also is not None else None)
        keep_letter(session, letter, event)
    return application, event


def open_application(
    session: Session,
    actor: Actor,
    registry: Registry,
    data: ApplicationCreate,
    idempotency_key: str | None = None,
) -> tuple[int, dict[str, Any]]:
    request_hash = fingerprint("open_application", data.model_dump(mode="json"))
    try:
        with unit_of_work(session):
            if idempotency_key and actor.user_id is not None:
                earlier = recall(session, actor.user_id, idempotency_key, request_hash)
                if earlier is not None:
                    return earlier.status_code, earlier.response
            application = create_application(session, actor, registry, data)
            body = application_view(application, actor, registry).model_dump(mode="json")
            if idempotency_key and actor.user_id is not None:
                remember(session, actor.user_id, idempotency_key, request_hash, CREATED, body)
    except IntegrityError as exc:  # the same key, sent twice at once: the other one won
        raise VersionConflict("a concurrent request with this Idempotency-Key won; retry") from exc
    return CREATED, body


def record_event(
    session: Session,
    actor: Actor,
    registry: Registry,
    reference: str,
    request: EventRequest,
    idempotency_key: str | None = None,
) -> tuple[int, dict[str, Any]]:
    request_hash = fingerprint(f"event {reference}", request.model_dump(mode="json"))
    # A decision's letter is rendered before the lock, so that no other writer waits for it.
    draft = draft_before_lock(session, actor, registry, reference, request)
    try:
        with unit_of_work(session):
            # Lock first, so that a retry racing its original waits and then finds its answer.
            locked = lock_application(session, actor, registry, reference, SUBSCRIBED,
                              {"tribunals": tribunals(registry)})
            if idempotency_key and actor.user_id is not None:
                earlier = recall(session, actor.user_id, idempotency_key, request_hash)
                if earlier is not None:
                    return earlier.status_code, earlier.response
            application, event = step(session, actor, registry, locked.application, request,
                                      None, locked, draft)
            body = EventResult(
                application=application_view(application, actor, registry), event=event_view(event)
            ).model_dump(mode="json")
            if idempotency_key and actor.user_id is not None:
                remember(session, actor.user_id, idempotency_key, request_hash, CREATED, body)
    except IntegrityError as exc:
        # The row lock serializes retries on one application only: the same key sent at once for
        # another application meets this one at the key's unique index, after the lock.
        if not idempotency_key:
            raise
        raise VersionConflict("a concurrent request with this Idempotency-Key won; retry") from exc
    return CREATED, body
