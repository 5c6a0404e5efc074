"""Webhook subscriptions of an organization (its staff or its system's API key): subscribe (the
secret is shown once), list, read the deliveries with their status, replay one, delete one (its
deliveries still to send are cancelled, its secret erased; the row stays, inactive, for the record
of what was sent)."""

from typing import Any
from urllib.parse import urlsplit

from pydantic import BaseModel, Field
from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from fairtrack.errors import Forbidden, InvalidRequest, NotFound
from integrations.models import OutboxAttempt, OutboxMessage, WebhookSubscription
from integrations.outbox import cancel_deliveries, delivery_of, replay
from integrations.signing import new_secret
from law.road import TRIGGER_ROLES, Role

SUBSCRIBERS = frozenset({Role.regulator, Role.assessor, Role.tribunal})
MAX_SUBSCRIPTIONS = 20


class SubscriptionCreate(BaseModel):
    url: str = Field(min_length=8, max_length=2000, examples=["https://cases.example.org/fairtrack"])
    triggers: list[str] = Field(default_factory=list, max_length=len(TRIGGER_ROLES) + 1,
                                description="Only these triggers (default: every event).")


class SubscriptionView(BaseModel):
    id: int
    organization: str
    url: str
    triggers: list[str]
    active: bool
    secret: str | None = Field(default=None, description="Shown once, when created.")


class AttemptView(BaseModel):
    attempted_at: Any
    ok: bool
    status_code: int | None
    error: str | None


class DeliveryView(BaseModel):
    id: int
    subscription: int
    status: str
    attempts: int
    next_attempt_at: Any
    delivered_at: Any
    last_error: str | None
    body: str
    history: list[AttemptView]


def _organization(actor: Actor) -> str:
    if actor.role not in SUBSCRIBERS or actor.organization is None:
        raise Forbidden("webhooks are for regulators, assessors and tribunals")
    return actor.organization


def _view(row: WebhookSubscription, secret: str | None = None) -> SubscriptionView:
    assert row.id is not None
    return SubscriptionView(id=row.id, organization=row.organization, url=row.url,
                            triggers=row.triggers, active=row.active, secret=secret)


def subscribe(session: Session, actor: Actor, data: SubscriptionCreate) -> SubscriptionView:
    organization = _organization(actor)
    parts = urlsplit(data.url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise InvalidRequest("url must be an http(s) address", field="url")
    unknown = sorted(set(data.triggers) - set(TRIGGER_ROLES))
    if unknown:
        raise InvalidRequest(f"unknown triggers {unknown}", field="triggers")
    with unit_of_work(session):
        count = len(session.scalars(select(col(WebhookSubscription.id)).where(
            col(WebhookSubscription.organization) == organization,
            col(WebhookSubscription.active).is_(True))).all())
        if count >= MAX_SUBSCRIPTIONS:
            raise InvalidRequest(f"at most {MAX_SUBSCRIPTIONS} subscriptions per organization")
        secret = new_secret()
        row = WebhookSubscription(organization=organization, url=data.url, secret=secret,
                                  triggers=sorted(set(data.triggers)), created_by=actor.user_id,
                                  created_at=utcnow())
        session.add(row)
        session.flush()
        view = _view(row, secret)
    return view


def subscriptions(session: Session, actor: Actor) -> list[SubscriptionView]:
    organization = _organization(actor)
    rows = session.scalars(select(WebhookSubscription).where(
        col(WebhookSubscription.organization) == organization,
        col(WebhookSubscription.active).is_(True)).order_by(col(WebhookSubscription.id)))
    return [_view(row) for row in rows]


def _delivery_view(session: Session, message: OutboxMessage) -> DeliveryView:
    assert message.id is not None and message.subscription_id is not None
    history = session.scalars(select(OutboxAttempt).where(
        col(OutboxAttempt.message_id) == message.id).order_by(col(OutboxAttempt.id)))
    return DeliveryView(
        id=message.id, subscription=message.subscription_id, status=message.status,
        attempts=message.attempts, next_attempt_at=message.next_attempt_at,
        delivered_at=message.delivered_at, last_error=message.last_error, body=message.body,
        history=[AttemptView(attempted_at=a.attempted_at, ok=a.ok, status_code=a.status_code,
                             error=a.error) for a in history],
    )


def _own(
    session: Session, organization: str, subscription_id: int, lock: bool = False,
) -> WebhookSubscription:
    """One of this organization's subscriptions, not deleted (else NotFound: another's is not
    said to exist)."""
    subscription = session.get(WebhookSubscription, subscription_id, with_for_update=lock)
    if subscription is None or subscription.organization != organization or not subscription.active:
        raise NotFound(f"no webhook subscription {subscription_id} of yours")
    return subscription


def deliveries(session: Session, actor: Actor, subscription_id: int, limit: int = 50) -> list[DeliveryView]:
    organization = _organization(actor)
    _own(session, organization, subscription_id)
    rows = session.scalars(select(OutboxMessage).where(
        col(OutboxMessage.subscription_id) == subscription_id)
        .order_by(col(OutboxMessage.id).desc()).limit(limit)).all()
    return [_delivery_view(session, row) for row in rows]


def replay_delivery(session: Session, actor: Actor, delivery_id: int) -> DeliveryView:
    """Send a delivery again: the worker picks it up at once; its earlier attempts are kept."""
    organization = _organization(actor)
    with unit_of_work(session):
        message = replay(session, delivery_of(session, organization, delivery_id), utcnow())
        view = _delivery_view(session, message)
    return view


def unsubscribe(session: Session, actor: Actor, subscription_id: int) -> int:
    """Delete one of the organization's subscriptions: no delivery is queued for it any more, those
    still to send are cancelled (never sent), and its secret is erased. How many were cancelled."""
    organization = _organization(actor)
    with unit_of_work(session):
        subscription = _own(session, organization, subscription_id, lock=True)
        subscription.active, subscription.secret = False, ""
        cancelled = cancel_deliveries(session, subscription_id)
    return cancelled
