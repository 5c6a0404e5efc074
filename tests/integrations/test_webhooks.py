"""Webhooks (issue 15, item 2): an organization subscribes; each event on its applications writes a
delivery in the event's own transaction (an endpoint that is down never holds up the write); the
worker sends it signed (HMAC-SHA256 over timestamp and body with the subscription's secret),
retries with backoff, records each attempt, and a delivery can be replayed."""

import json
import time
from datetime import timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from fairtrack.columns import utcnow
from fairtrack.settings import Settings
from integrations.models import OutboxMessage, WebhookSubscription
from integrations.outbox import backoff, claim, record_attempt
from integrations.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify
from regulators.registry import Registry
from tests.support.integrations import under_review
from tests.support.integrations_world import worker
from tests.support.receiver import webhook_receiver
from tests.support.road import Road


def _deliveries(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).where(col(OutboxMessage.kind) == "webhook")
                                    .order_by(col(OutboxMessage.id))))


def _without_emails(sessions: sessionmaker[Session]) -> None:
    """The applicant's emails (tested in test_emails.py) out of the way of the counts here."""
    with sessions() as session, session.begin():
        session.execute(delete(OutboxMessage).where(col(OutboxMessage.kind) == "email"))


def test_a_subscriber_gets_each_event_signed_and_a_failed_delivery_is_retried_with_backoff_then_replayed(
    road: Road, sessions: sessionmaker[Session], settings: Settings, registry: Registry,
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    with webhook_receiver() as receiver:
        created = peo.post("/webhooks", json={"url": receiver.url})
        assert created.status_code == 201, created.text
        secret = created.json()["secret"]
        assert secret and all(s["secret"] is None for s in peo.get("/webhooks").json())
        (ref,) = under_review(road, applicant, peo, 1)
        deliveries = _deliveries(sessions)
        assert [json.loads(d.body)["trigger"] for d in deliveries] == ["create", "submit",
                                                                       "begin_review"]

        _without_emails(sessions)
        receiver.statuses = [500]  # the first attempt fails
        now = utcnow()
        sender = worker(sessions, settings, registry, 1, outbox_backoff_seconds=30.0)
        sender.clock = lambda: now
        assert sender.send_due() == 3
        assert len(receiver.received) == 3
        for got in receiver.received:
            timestamp = int(got.headers[TIMESTAMP_HEADER])
            assert verify(secret, timestamp, got.body, got.headers[SIGNATURE_HEADER], int(time.time()))
            assert not verify("another secret", timestamp, got.body, got.headers[SIGNATURE_HEADER],
                              int(time.time()))
        first = next(d for d in _deliveries(sessions) if d.status == "pending")
        assert first.attempts == 1 and first.last_error == "HTTP 500"
        assert first.next_attempt_at == now + backoff(1, 30.0, settings.outbox_max_backoff_seconds)
        assert sender.send_due() == 0  # not due yet
        sender.clock = lambda: now + timedelta(seconds=31)
        assert sender.send_due() == 1
        assert all(d.status == "delivered" for d in _deliveries(sessions))
        assert json.loads(receiver.received[-1].body)["reference"] == ref

        subscription = created.json()["id"]
        listed = peo.get(f"/webhooks/{subscription}/deliveries").json()
        retried = next(d for d in listed if d["id"] == first.id)
        assert [(a["ok"], a["status_code"]) for a in retried["history"]] == [(False, 500), (True, 200)]

        replayed = peo.post(f"/webhooks/deliveries/{first.id}/replay")
        assert replayed.status_code == 200 and replayed.json()["status"] == "pending"
        assert sender.send_due() == 1
        assert len(receiver.received) == 5
        again = peo.get(f"/webhooks/{subscription}/deliveries").json()
        assert len(next(d for d in again if d["id"] == first.id)["history"]) == 3

    # Another organization sees none of it; applicants and fairness staff have no webhooks.
    cno = road.regulator("cno")
    assert cno.get(f"/webhooks/{subscription}/deliveries").status_code == 404
    assert cno.post(f"/webhooks/deliveries/{first.id}/replay").status_code == 404
    assert applicant.post("/webhooks", json={"url": "https://example.org/x"}).status_code == 403
    assert road.oversight().get("/webhooks").status_code == 403


def test_an_endpoint_that_is_down_never_holds_up_the_write_and_failures_stop_after_the_last_attempt(
    road: Road, sessions: sessionmaker[Session], settings: Settings, registry: Registry,
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    assert peo.post("/webhooks", json={"url": "http://127.0.0.1:9/down",
                                       "triggers": ["begin_review"]}).status_code == 201
    began = time.perf_counter()
    under_review(road, applicant, peo, 1)
    assert time.perf_counter() - began < 5  # nothing is sent in the write
    (delivery,) = _deliveries(sessions)  # only the trigger subscribed to
    _without_emails(sessions)
    sender = worker(sessions, settings, registry, 1, outbox_max_attempts=2,
                    outbox_backoff_seconds=0.001)
    sender.send_due()
    time.sleep(0.01)
    sender.send_due()
    (delivery,) = _deliveries(sessions)
    assert delivery.status == "failed" and delivery.attempts == 2 and delivery.last_error


def test_subscriptions_are_checked(road: Road, sessions: sessionmaker[Session]) -> None:
    peo = road.regulator("peo")
    assert peo.post("/webhooks", json={"url": "ftp://example.org/x"}).status_code == 422
    assert peo.post("/webhooks", json={"url": "https://example.org/x",
                                       "triggers": ["no_such"]}).status_code == 422
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(OutboxMessage)) == 0


def test_a_deleted_subscription_gets_nothing_more_and_its_pending_deliveries_are_never_sent(
    road: Road, sessions: sessionmaker[Session], settings: Settings, registry: Registry,
) -> None:
    applicant, peo, cno = road.applicant(), road.regulator("peo"), road.regulator("cno")
    with webhook_receiver() as receiver:
        created = peo.post("/webhooks", json={"url": receiver.url})
        kept = peo.post("/webhooks", json={"url": receiver.url, "triggers": ["begin_review"]})
        subscription, other = created.json()["id"], kept.json()["id"]
        (ref,) = under_review(road, applicant, peo, 1)  # create, submit, begin_review: pending
        _without_emails(sessions)
        # In flight: a worker claimed the deliveries a moment before the deletion.
        with sessions() as session, session.begin():
            claimed = claim(session, utcnow(), 60.0, 10)
        assert len(claimed) == 4

        # Only the owner organization deletes it; another's is not said to exist.
        assert cno.delete(f"/webhooks/{subscription}").status_code == 404
        assert applicant.delete(f"/webhooks/{subscription}").status_code == 403
        deleted = peo.delete(f"/webhooks/{subscription}")
        assert deleted.status_code == 204, deleted.text
        assert peo.delete(f"/webhooks/{subscription}").status_code == 404  # gone
        assert [s["id"] for s in peo.get("/webhooks").json()] == [other]
        assert peo.get(f"/webhooks/{subscription}/deliveries").status_code == 404

        with sessions() as session:
            row = session.get(WebhookSubscription, subscription)
            assert row is not None and not row.active and row.secret == ""
        mine = [d for d in _deliveries(sessions) if d.subscription_id == subscription]
        assert [d.status for d in mine] == ["cancelled"] * 3
        cancelled = mine[0].id
        assert peo.post(f"/webhooks/deliveries/{cancelled}/replay").status_code == 404

        # The worker holding the claim finds the subscription deleted: nothing sent, still cancelled.
        sender = worker(sessions, settings, registry, 1)
        for message in claimed:
            assert message.id is not None
            with sessions() as session:
                result = sender._send(session, message)
            with sessions() as session, session.begin():
                record_attempt(session, message.id, utcnow(), ok=result.ok, error=result.error,
                               status_code=result.status_code, max_attempts=1)
        assert len(receiver.received) == 1  # the other subscription's begin_review only
        assert json.loads(receiver.received[0].body)["trigger"] == "begin_review"
        after = {d.id: (d.subscription_id, d.status) for d in _deliveries(sessions)}
        assert sorted(after.values()) == sorted([(subscription, "cancelled")] * 3
                                                + [(other, "delivered")])

        # Events after the deletion write no delivery for it (the other wants begin_review only).
        peo.step(ref, "issue_decision", outcome="registered")
        assert len(_deliveries(sessions)) == 4
