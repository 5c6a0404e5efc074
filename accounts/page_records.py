"""Page sessions' server-side records, and the end of every session of an account.

A logged-in page cookie names a record by a random token (stored as its SHA-256); each page request
checks the record is live, so logout, a password change or an administrator's revocation take effect
at once, even for a copied cookie. Functions flush in the caller's transaction.
"""

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import PageSessionRecord, RefreshToken, User
from accounts.security import sha256_hex


def start(session: Session, user: User, minutes: int, now: datetime) -> str:
    """A new record for the user's login; returns the token the cookie carries."""
    assert user.id is not None
    # The user's ended or expired records are of no further use: kept from growing at each login.
    session.execute(delete(PageSessionRecord).where(
        col(PageSessionRecord.user_id) == user.id,
        (col(PageSessionRecord.expires_at) <= now) | col(PageSessionRecord.revoked_at).is_not(None),
    ))
    token = secrets.token_urlsafe(32)
    session.add(PageSessionRecord(token_hash=sha256_hex(token), user_id=user.id, created_at=now,
                                  expires_at=now + timedelta(minutes=minutes)))
    session.flush()
    return token


def is_live(session: Session, user_id: int, token: str | None, now: datetime) -> bool:
    if token is None or len(token) > 100:
        return False
    found = session.scalars(select(PageSessionRecord).where(
        col(PageSessionRecord.token_hash) == sha256_hex(token))).one_or_none()
    return (found is not None and found.user_id == user_id and found.revoked_at is None
            and found.expires_at > now)


def end(session: Session, token: str | None, now: datetime) -> None:
    """Logout: the record named by the cookie ends (nothing happens for an unknown token)."""
    if token is not None:
        session.execute(update(PageSessionRecord)
                        .where(col(PageSessionRecord.token_hash) == sha256_hex(token),
                               col(PageSessionRecord.revoked_at).is_(None))
                        .values(revoked_at=now))


def end_all(session: Session, user_id: int, now: datetime) -> None:
    """Every page session and refresh-token family of the account ends (their access tokens with
    them: accounts.service checks the family)."""
    session.execute(update(PageSessionRecord)
                    .where(col(PageSessionRecord.user_id) == user_id,
                           col(PageSessionRecord.revoked_at).is_(None))
                    .values(revoked_at=now))
    session.execute(update(RefreshToken)
                    .where(col(RefreshToken.user_id) == user_id, col(RefreshToken.revoked_at).is_(None))
                    .values(revoked_at=now))
