"""The transactional outbox: messages written in the transaction of what caused them, claimed by
a worker for a lease, sent, and their every attempt recorded.

Claiming takes rows with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL (several workers never
claim the same row at once; SQLite's BEGIN IMMEDIATE serializes them), and stamps a lease
(`claimed_until`): a worker killed while sending leaves it to run out, and the message is claimed
and sent again. Delivery is at least once.
"""

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, exists, or_, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from fairtrack.errors import NotFound
from integrations.models import OutboxAttempt, OutboxMessage, WebhookSubscription
from workflow.models import Application, Event

PENDING, DELIVERED, FAILED = "pending", "delivered", "failed"
WEBHOOK, EMAIL = "webhook", "email"
MAX_ERROR = 500


def organizations_of(application: Application) -> list[str]:
    """Whose applications these are, for webhooks: the regulator's and the assessor's."""
    return [org for org in (application.regulator, application.assessor) if org]


def event_document(application: Application, event: Event) -> dict[str, Any]:
    """What a webhook says about an event: no personal data, the reference to read the rest."""
    return {
        "type": "application.event",
        "reference": application.reference,
        "regulator": application.regulator,
        "assessor": application.assessor,
        "seq": event.seq,
        "trigger": event.trigger,
        "outcome": event.outcome,
        "from_state": event.from_state,
        "to_state": event.to_state,
        "actor_role": event.actor_role,
        "actor_organization": event.actor_org,
        "occurred_at": event.occurred_at.isoformat(),
        "recorded_at": event.recorded_at.isoformat(),
        "hash": event.hash,
    }


# Built once: the write path reads it after every event.
_SUBSCRIPTIONS = select(WebhookSubscription).where(
    col(WebhookSubscription.organization).in_(bindparam("organizations", expanding=True)),
    col(WebhookSubscription.active).is_(True),
).order_by(col(WebhookSubscription.id))


# Whether the application's organizations (organizations_of) have an active webhook: a column the
# write path reads with its lock (workflow.service.lock_application), so that an event on an
# application nobody subscribed to reads no subscriptions.
SUBSCRIBED = exists().where(
    col(WebhookSubscription.organization).in_([col(Application.regulator),
                                               col(Application.assessor)]),
    col(WebhookSubscription.active).is_(True),
).label("subscribed")


def queue_webhooks(session: Session, application: Application, event: Event, now: datetime) -> int:
    """One delivery per active subscription of the application's organizations that wants it."""
    subscriptions = session.scalars(_SUBSCRIPTIONS, {"organizations": organizations_of(application)}
                                    ).all()
    wanted = [s for s in subscriptions if not s.triggers or event.trigger in s.triggers]
    if not wanted:
        return 0
    body = json.dumps(event_document(application, event), separators=(",", ":"))
    for subscription in wanted:
        session.add(OutboxMessage(
            kind=WEBHOOK, dedupe_key=f"webhook:{subscription.id}:{event.application_id}:{event.seq}",
            application_id=application.id, subscription_id=subscription.id, body=body,
            status=PENDING, next_attempt_at=now, created_at=now,
        ))
    return len(wanted)


def queue_email(
    session: Session, *, dedupe_key: str, application_id: int, recipient_id: int, language: str,
    subject: str, body: str, now: datetime,
) -> OutboxMessage:
    message = OutboxMessage(
        kind=EMAIL, dedupe_key=dedupe_key, application_id=application_id, recipient_id=recipient_id,
        language=language, subject=subject[:300], body=body, status=PENDING, next_attempt_at=now,
        created_at=now,
    )
    session.add(message)
    return message


def already_queued(session: Session, dedupe_key: str) -> bool:
    found = session.scalar(select(col(OutboxMessage.id)).where(col(OutboxMessage.dedupe_key) == dedupe_key))
    return found is not None


def claim(session: Session, now: datetime, lease_seconds: float, limit: int) -> list[OutboxMessage]:
    """Take up to `limit` due messages for this worker until now + lease (caller's transaction)."""
    query = (
        select(OutboxMessage)
        .where(col(OutboxMessage.status) == PENDING, col(OutboxMessage.next_attempt_at) <= now,
               or_(col(OutboxMessage.claimed_until).is_(None), col(OutboxMessage.claimed_until) < now))
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    messages = list(session.scalars(query))
    for message in messages:
        message.claimed_until = now + timedelta(seconds=lease_seconds)
    session.flush()
    return messages


def release_claims(session: Session, ids: Sequence[int]) -> None:
    """Give back messages claimed and not sent (a worker stopping cleanly)."""
    if ids:
        session.execute(update(OutboxMessage).where(col(OutboxMessage.id).in_(list(ids)),
                                                    col(OutboxMessage.status) == PENDING)
                        .values(claimed_until=None))


def backoff(attempts: int, base: float, cap: float) -> timedelta:
    """The wait after the n-th failed attempt: base * 2**(n-1), capped."""
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def record_attempt(
    session: Session, message_id: int, now: datetime, *, ok: bool, status_code: int | None = None,
    error: str | None = None, max_attempts: int = 10, base: float = 30.0, cap: float = 6 * 3600.0,
) -> OutboxMessage | None:
    """The attempt's outcome: delivered, or due again after a backoff, or failed for good."""
    message = session.get(OutboxMessage, message_id, with_for_update=True)
    if message is None:
        return None
    error = error[:MAX_ERROR] if error else None
    session.add(OutboxAttempt(message_id=message_id, attempted_at=now, ok=ok,
                              status_code=status_code, error=error))
    message.attempts += 1
    message.claimed_until = None
    if ok:
        message.status, message.delivered_at, message.last_error = DELIVERED, now, None
    else:
        message.last_error = error
        if message.attempts >= max_attempts:
            message.status = FAILED
        else:
            message.next_attempt_at = now + backoff(message.attempts, base, cap)
    session.flush()
    return message


def replay(session: Session, message: OutboxMessage, now: datetime) -> OutboxMessage:
    """Send a delivery again (delivered or failed): due now, its earlier attempts kept."""
    message.status, message.next_attempt_at, message.claimed_until = PENDING, now, None
    session.flush()
    return message


def delivery_of(session: Session, organization: str | None, delivery_id: int) -> OutboxMessage:
    """A webhook delivery of one of this organization's subscriptions (else NotFound)."""
    found = session.execute(
        select(OutboxMessage).join(WebhookSubscription,
                                   col(WebhookSubscription.id) == col(OutboxMessage.subscription_id))
        .where(col(OutboxMessage.id) == delivery_id,
               col(WebhookSubscription.organization) == organization)
        .with_for_update(of=OutboxMessage)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no webhook delivery {delivery_id} of yours")
    return found
