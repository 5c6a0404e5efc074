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

from accounts.actor import Actor
from fairtrack.errors import NotFound
from integrations.models import OutboxAttempt, OutboxMessage, WebhookSubscription
from law.road import Role
from regulators.registry import DIVISIONAL_COURT, Registry
from workflow.models import Application, Event
from workflow.policy import events_for, visible_to

# cancelled: a delivery still to send when its subscription was deleted; never sent.
PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"
WEBHOOK, EMAIL = "webhook", "email"
MAX_ERROR = 500


def organizations_of(application: Application, registry: Registry) -> dict[str, Role]:
    """The organizations that may be told of an application's events, with the role their staff
    hold: its regulator, its assessor, the appeal body that hears its regulator's decisions, and the
    Divisional Court. Which of them is told of one event is `told`'s call."""
    found = {application.regulator: Role.regulator}
    if application.assessor:
        found.setdefault(application.assessor, Role.assessor)
    regulator = registry.regulator(application.regulator)
    if regulator is not None:
        found.setdefault(regulator.appeal_body.slug, Role.tribunal)
    found.setdefault(DIVISIONAL_COURT, Role.tribunal)
    return found


def told(session: Session, registry: Registry, application: Application, event: Event,
         organization: str, role: Role) -> bool:
    """Whether an organization's webhooks are told of this event: need to know, as its staff read
    the file over the API (workflow.policy). The application must be visible to the organization
    once the event is applied (a tribunal: from the moment the file came, or could come, before it,
    never before; an assessor: never a draft), and the event must be one of the parts of the log it
    reads (an assessor: its own part)."""
    actor = Actor(user_id=None, role=role, organization=organization)
    if not events_for(actor, [event]):
        return False
    if role is Role.regulator:
        return application.regulator == organization
    session.flush()  # the event's stage interval, which a tribunal's visibility reads
    return session.scalar(select(col(Application.id)).where(
        col(Application.id) == application.id, visible_to(actor, registry))) is not None


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


def tribunals(registry: Registry) -> list[str]:
    """The organizations that may be told of any application as its tribunal: every appeal body
    and the Divisional Court."""
    return sorted({r.appeal_body.slug for r in registry.regulators.values()} | {DIVISIONAL_COURT})


# Whether any organization that could be told of the application's events (organizations_of: its
# regulator, its assessor, or a tribunal) has an active webhook: a column the write path reads with
# its lock (workflow.service.lock_application), so that an event on an application nobody
# subscribed to reads no subscriptions. The tribunals come in as one expanding parameter.
SUBSCRIBED = exists().where(
    or_(col(WebhookSubscription.organization).in_([col(Application.regulator),
                                                   col(Application.assessor)]),
        col(WebhookSubscription.organization).in_(bindparam("tribunals", expanding=True))),
    col(WebhookSubscription.active).is_(True),
).label("subscribed")


def queue_webhooks(
    session: Session, registry: Registry, application: Application, event: Event, now: datetime,
) -> int:
    """One delivery per active subscription that wants it, of the organizations told of the event."""
    organizations = organizations_of(application, registry)
    subscriptions = session.scalars(_SUBSCRIPTIONS, {"organizations": sorted(organizations)}).all()
    wanted = [s for s in subscriptions if not s.triggers or event.trigger in s.triggers]
    if not wanted:
        return 0
    verdicts = {org: told(session, registry, application, event, org, organizations[org])
                for org in {s.organization for s in wanted}}
    wanted = [s for s in wanted if verdicts[s.organization]]
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
        if message.status != PENDING:
            pass  # cancelled while it was being sent: it stays so
        elif message.attempts >= max_attempts:
            message.status = FAILED
        else:
            message.next_attempt_at = now + backoff(message.attempts, base, cap)
    session.flush()
    return message


def cancel_deliveries(session: Session, subscription_id: int) -> int:
    """A deleted subscription's deliveries still to send: cancelled, never sent (the worker claims
    pending messages only; one it holds at this moment finds the subscription inactive)."""
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.subscription_id) == subscription_id,
               col(OutboxMessage.status) == PENDING)
        .values(status=CANCELLED, claimed_until=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def replay(session: Session, message: OutboxMessage, now: datetime) -> OutboxMessage:
    """Send a delivery again (delivered or failed): due now, its earlier attempts kept."""
    message.status, message.next_attempt_at, message.claimed_until = PENDING, now, None
    session.flush()
    return message


def delivery_of(session: Session, organization: str | None, delivery_id: int) -> OutboxMessage:
    """A webhook delivery of one of this organization's subscriptions, not deleted (else NotFound)."""
    found = session.execute(
        select(OutboxMessage).join(WebhookSubscription,
                                   col(WebhookSubscription.id) == col(OutboxMessage.subscription_id))
        .where(col(OutboxMessage.id) == delivery_id,
               col(WebhookSubscription.organization) == organization,
               col(WebhookSubscription.active).is_(True))
        .with_for_update(of=OutboxMessage)
    ).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no webhook delivery {delivery_id} of yours")
    return found
