"""`fairtrack worker`: sends what the outbox holds (webhook deliveries, emails) and runs the periodic
scan at its interval. Several may run at once: each claims its own messages (integrations.outbox).

A message is claimed for a lease and sent outside any transaction (no lock is held while a server
answers); its attempt is then recorded. A worker killed mid-send leaves the lease to run out: the
message is sent again, by it or another (at least once). `stop()` (SIGTERM) lets the message being
sent finish and be recorded, gives back the other claimed ones, and ends the loop.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from accounts.models import User
from casefile.scan import scan
from fairtrack.columns import utcnow
from fairtrack.database import release, unit_of_work
from fairtrack.settings import Settings
from integrations.models import OutboxMessage, WebhookSubscription
from integrations.outbox import EMAIL, WEBHOOK, claim, record_attempt, release_claims
from integrations.senders import Sent, post_webhook, send_email
from regulators.registry import Registry

log = logging.getLogger("fairtrack.worker")


@dataclass
class WorkerStats:
    sent: int = 0
    failed: int = 0
    scans: int = 0


@dataclass
class Worker:
    sessions: sessionmaker[Session]
    settings: Settings
    registry: Registry
    clock: Callable[[], datetime] = utcnow
    stats: WorkerStats = field(default_factory=WorkerStats)
    stopping: threading.Event = field(default_factory=threading.Event)
    last_scan: float | None = None

    def stop(self) -> None:
        self.stopping.set()

    def _send(self, session: Session, message: OutboxMessage) -> Sent:
        if message.kind == EMAIL:
            person = session.get(User, message.recipient_id) if message.recipient_id else None
            if person is None or not person.is_active:
                return Sent(False, error="no active recipient")
            release(session)
            return send_email(message, person.email, self.settings)
        if message.kind == WEBHOOK:
            subscription = (session.get(WebhookSubscription, message.subscription_id)
                            if message.subscription_id else None)
            if subscription is None or not subscription.active:
                return Sent(False, error="the subscription is gone or inactive")
            release(session)
            return post_webhook(message, subscription, self.settings)
        return Sent(False, error=f"unknown kind {message.kind}")

    def send_due(self) -> int:
        """Claim a batch of due messages and send them; how many were attempted."""
        settings = self.settings
        with self.sessions() as session:
            with unit_of_work(session):
                claimed = claim(session, self.clock(), settings.outbox_lease_seconds,
                                settings.outbox_batch)
            ids = [m.id for m in claimed if m.id is not None]
            done: list[int] = []
            try:
                for message in claimed:
                    if self.stopping.is_set():
                        break
                    assert message.id is not None
                    result = self._send(session, message)
                    with unit_of_work(session):
                        record_attempt(
                            session, message.id, self.clock(), ok=result.ok,
                            status_code=result.status_code, error=result.error,
                            max_attempts=settings.outbox_max_attempts,
                            base=settings.outbox_backoff_seconds,
                            cap=settings.outbox_max_backoff_seconds,
                        )
                    done.append(message.id)
                    if result.ok:
                        self.stats.sent += 1
                    else:
                        self.stats.failed += 1
                        log.warning("outbox message %s (%s) not sent: %s", message.id, message.kind,
                                    result.error)
            finally:
                left = [i for i in ids if i not in done]
                if left:
                    with unit_of_work(session):
                        release_claims(session, left)
        return len(done)

    def scan_if_due(self, monotonic: float) -> None:
        if self.last_scan is not None and monotonic - self.last_scan < self.settings.scan_interval_seconds:
            return
        self.last_scan = monotonic
        with self.sessions() as session:
            report = scan(session, self.registry, now=self.clock())
        self.stats.scans += 1
        log.info("scan: lapsed %d, expired %d, reminders queued %d", len(report.lapsed),
                 report.expired, report.reminders)

    def run(self, monotonic: Callable[[], float], once: bool = False) -> WorkerStats:
        """Until stopped (or, with `once`, until nothing is due)."""
        while not self.stopping.is_set():
            self.scan_if_due(monotonic())
            attempted = self.send_due()
            if once and attempted == 0:
                break
            if attempted == 0:
                self.stopping.wait(self.settings.worker_poll_seconds)
        return self.stats
