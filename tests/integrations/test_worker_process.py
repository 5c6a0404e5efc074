"""`fairtrack worker` as a real process (issue 15, item 4): killed with SIGKILL while it sends, then
started again, it delivers every message at least once and records each delivery; SIGTERM lets the
message being sent finish and be recorded, and the worker exits cleanly."""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from integrations.models import OutboxAttempt, OutboxMessage
from tests.support.integrations import under_review
from tests.support.mail import Inbox, smtp_server
from tests.support.road import Road

ROOT = Path(__file__).resolve().parents[2]


def _start(database_url: str, port: int) -> "subprocess.Popen[str]":
    env = {**os.environ, "FAIRTRACK_DATABASE_URL": database_url, "FAIRTRACK_SMTP_PORT": str(port),
           "FAIRTRACK_OUTBOX_LEASE_SECONDS": "3", "FAIRTRACK_WORKER_POLL_SECONDS": "0.2",
           "FAIRTRACK_OUTBOX_BATCH": "4", "FAIRTRACK_SCAN_INTERVAL_SECONDS": "3600"}
    return subprocess.Popen([sys.executable, "-m", "cli.main", "worker"], env=env, cwd=ROOT,  # noqa: S603
                            stderr=subprocess.PIPE, text=True)


def _wait(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def _messages(sessions: sessionmaker[Session]) -> list[OutboxMessage]:
    with sessions() as session:
        return list(session.scalars(select(OutboxMessage).order_by(col(OutboxMessage.id))))


def _ok_attempts(sessions: sessionmaker[Session]) -> dict[int, int]:
    with sessions() as session:
        rows = session.scalars(select(col(OutboxAttempt.message_id)).where(col(OutboxAttempt.ok)))
        counts: dict[int, int] = {}
        for message_id in rows:
            counts[message_id] = counts.get(message_id, 0) + 1
        return counts


def test_a_worker_killed_mid_send_and_started_again_loses_no_message_and_sigterm_finishes_cleanly(
    road: Road, sessions: sessionmaker[Session], database_url: str,
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    under_review(road, applicant, peo, 6)
    queued = [m.id for m in _messages(sessions)]
    assert len(queued) >= 6
    with smtp_server(delay=0.3) as inbox:  # a slow server: the kill lands while one is sent
        first = _start(database_url, inbox.port)
        try:
            _wait(lambda: len(inbox.messages) >= 2)
            time.sleep(0.2)  # inside the next message's SMTP exchange
            first.send_signal(signal.SIGKILL)
            first.wait(10)
        finally:
            first.kill()
        claimed = [m for m in _messages(sessions) if m.status == "pending" and m.claimed_until]
        assert claimed, "the killed worker held claims"
        assert len(inbox.messages) < len(queued)

        second = _start(database_url, inbox.port)
        try:
            _wait(lambda: all(m.status == "delivered" for m in _messages(sessions)))
            second.send_signal(signal.SIGTERM)
            _, err = second.communicate(timeout=20)
        finally:
            second.kill()
        assert second.returncode == 0, err
        assert "worker stopped" in err
        _every_message_arrived_and_was_recorded(sessions, inbox, queued)


def test_sigterm_lets_the_message_being_sent_finish_and_gives_the_rest_back(
    road: Road, sessions: sessionmaker[Session], database_url: str,
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    under_review(road, applicant, peo, 3)
    queued = [m.id for m in _messages(sessions)]
    with smtp_server(delay=0.3) as inbox:
        worker = _start(database_url, inbox.port)
        try:
            _wait(lambda: len(inbox.messages) >= 1)
            worker.send_signal(signal.SIGTERM)
            _, err = worker.communicate(timeout=20)
        finally:
            worker.kill()
        assert worker.returncode == 0, err
        messages = _messages(sessions)
        delivered = {m.id for m in messages if m.status == "delivered"}
        # Everything that arrived was recorded (nothing sent and forgotten) and nothing is held.
        assert set(inbox.ids()) == delivered
        assert all(m.claimed_until is None for m in messages if m.status == "pending")
        assert len(delivered) < len(queued)
        assert len(inbox.ids()) == len(set(inbox.ids()))  # a clean stop sends nothing twice


def _every_message_arrived_and_was_recorded(
    sessions: sessionmaker[Session], inbox: Inbox, queued: list[int | None],
) -> None:
    arrived = inbox.ids()
    assert set(arrived) == set(queued), "a message never reached the server"
    ok = _ok_attempts(sessions)
    assert set(ok) == set(queued), "a delivery went unrecorded"
    assert all(m.status == "delivered" and m.delivered_at for m in _messages(sessions))
