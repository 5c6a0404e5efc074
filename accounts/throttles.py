"""Throttles in the database, so that every server process counts together: failures with an
exponential delay (logins, password changes), and attempts in a window (registrations).

Only failures count towards a delay, and a success clears its own (account, address) pair: a
stranger failing from elsewhere never delays the owner, who logs in from an address with no failures.
Functions flush in the caller's transaction; the coordinating floor opens it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgres_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import Throttle


@dataclass(frozen=True)
class Backoff:
    """`free` failures without delay; then a delay of `first_delay` seconds, doubled at each further
    failure up to `max_delay`; failures older than `memory` seconds are forgotten."""

    free: int
    first_delay: float
    max_delay: float
    memory: float

    def delay(self, failures: int) -> float:
        if failures <= self.free:
            return 0.0
        return float(min(self.first_delay * 2 ** min(failures - self.free - 1, 40), self.max_delay))


def seconds_left(until: datetime | None, now: datetime) -> int:
    """Whole seconds to wait (at least 1) until `until`, or 0 when it has passed."""
    if until is None or until <= now:
        return 0
    return max(1, int((until - now).total_seconds() + 0.999))


def wait(session: Session, keys: list[str], now: datetime) -> int:
    """Seconds before any of these throttles lets an attempt through (0: go ahead). Reads only."""
    blocked = session.scalars(
        select(col(Throttle.blocked_until)).where(col(Throttle.key).in_(keys))
    ).all()
    return max((seconds_left(until, now) for until in blocked), default=0)


def _locked_row(session: Session, key: str, now: datetime) -> Throttle:
    """The key's row, created if missing (by whichever process gets there first), locked."""
    insert = postgres_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Throttle).values(key=key, count=0, window_started_at=now, last_at=now)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    row = session.scalars(
        select(Throttle).where(col(Throttle.key) == key).with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    return row


def fail(session: Session, key: str, backoff: Backoff, now: datetime) -> int:
    """Count one failure; returns the seconds the key must now wait (0: none yet)."""
    row = _locked_row(session, key, now)
    if now - row.last_at > timedelta(seconds=backoff.memory):
        row.count, row.window_started_at = 0, now
    row.count += 1
    row.last_at = now
    delay = backoff.delay(row.count)
    row.blocked_until = now + timedelta(seconds=delay) if delay else None
    session.flush()
    return seconds_left(row.blocked_until, now)


def clear(session: Session, key: str) -> None:
    session.execute(delete(Throttle).where(col(Throttle.key) == key))


def attempt(session: Session, key: str, limit: int, window: float, now: datetime) -> int:
    """Count one attempt within a window of `window` seconds; returns 0 while under `limit`, else
    the seconds until the window ends (the attempt is then not counted)."""
    row = _locked_row(session, key, now)
    if now - row.window_started_at >= timedelta(seconds=window):
        row.count, row.window_started_at, row.blocked_until = 0, now, None
    if row.count >= limit:
        row.blocked_until = row.window_started_at + timedelta(seconds=window)
        session.flush()
        return seconds_left(row.blocked_until, now)
    row.count += 1
    row.last_at = now
    session.flush()
    return 0


def forget_all(session: Session) -> None:
    """Every throttle gone (tests start each case from zero)."""
    session.execute(delete(Throttle))
