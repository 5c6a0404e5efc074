"""Units of work: each business event in its own transaction, with Idempotency-Key replay."""

from typing import Any

from pydantic import BaseModel
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import Actor
from fairtrack.database import transaction
from fairtrack.errors import VersionConflict
from fairtrack.idempotency import fingerprint, recall, remember
from regulators.registry import Registry
from workflow.schemas import ApplicationCreate, ApplicationView, EventRequest, EventView
from workflow.service import apply_event, create_application, load_application
from workflow.views import application_view, event_view

CREATED = 201


class EventResult(BaseModel):
    application: ApplicationView
    event: EventView


def open_application(
    sessions: sessionmaker[Session],
    actor: Actor,
    registry: Registry,
    data: ApplicationCreate,
    idempotency_key: str | None = None,
) -> tuple[int, dict[str, Any]]:
    request_hash = fingerprint("open_application", data.model_dump(mode="json"))
    try:
        with transaction(sessions) as session:
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
    sessions: sessionmaker[Session],
    actor: Actor,
    registry: Registry,
    reference: str,
    request: EventRequest,
    idempotency_key: str | None = None,
) -> tuple[int, dict[str, Any]]:
    request_hash = fingerprint(f"event {reference}", request.model_dump(mode="json"))
    try:
        with transaction(sessions) as session:
            # Lock first, so that a retry racing its original waits and then finds its answer.
            load_application(session, actor, registry, reference, lock=True)
            if idempotency_key and actor.user_id is not None:
                earlier = recall(session, actor.user_id, idempotency_key, request_hash)
                if earlier is not None:
                    return earlier.status_code, earlier.response
            application, event = apply_event(session, actor, registry, reference, request)
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
