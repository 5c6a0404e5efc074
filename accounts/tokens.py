"""Access and refresh tokens: a short-lived signed access token and a rotating refresh token."""

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import RefreshToken, User
from accounts.security import issue_token, new_refresh_token, sha256_hex
from fairtrack.columns import utcnow
from fairtrack.errors import NotAuthenticated
from fairtrack.settings import Settings


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_in: int
    refresh_expires_in: int


def _issue(session: Session, user: User, settings: Settings, family: str) -> TokenPair:
    assert user.id is not None
    now = utcnow()
    refresh = new_refresh_token()
    session.add(
        RefreshToken(
            user_id=user.id,
            token_hash=sha256_hex(refresh),
            family=family,
            credentials_version=user.credentials_version,
            issued_at=now,
            expires_at=now + timedelta(days=settings.refresh_token_days),
        )
    )
    session.flush()
    minutes = settings.access_token_minutes
    access = issue_token(
        user.id, settings.secret_key.get_secret_value(), minutes, now, user.credentials_version,
        family=family,
    )
    return TokenPair(access, refresh, minutes * 60, settings.refresh_token_days * 86400)


def issue_pair(session: Session, user: User, settings: Settings) -> TokenPair:
    """A new login: a new refresh-token family."""
    return _issue(session, user, settings, secrets.token_hex(16))


def rotate(session: Session, token: str, settings: Settings, now: datetime) -> TokenPair | None:
    """Consume a refresh token and issue the next pair of its family; None when it was used before.

    A token used twice was copied: the second use revokes its whole family, so the thief and the
    owner both have to log in again (RFC 6819 5.2.2.3, refresh token rotation), and the access
    tokens of the family stop working too. The caller commits that revocation before it refuses
    (RefreshReused). Except within `refresh_reuse_grace_seconds` of the first use: two tabs or a
    retry refreshing with the same token at once each get a pair of the family (the row lock makes
    the second wait for the first), instead of logging their owner out.
    """
    row = session.scalars(
        select(RefreshToken).where(col(RefreshToken.token_hash) == sha256_hex(token)).with_for_update()
    ).one_or_none()
    if row is None:
        raise NotAuthenticated("the refresh token is invalid")
    grace = timedelta(seconds=settings.refresh_reuse_grace_seconds)
    reused = row.used_at is not None and row.revoked_at is None
    if reused and row.used_at is not None and now - row.used_at > grace:
        session.execute(
            update(RefreshToken)
            .where(col(RefreshToken.family) == row.family, col(RefreshToken.revoked_at).is_(None))
            .values(revoked_at=now)
        )
        return None
    user = session.get(User, row.user_id)
    if (
        row.revoked_at is not None
        or row.expires_at <= now
        or user is None
        or not user.is_active
        or user.credentials_version != row.credentials_version
    ):
        raise NotAuthenticated("the refresh token is expired or revoked; log in again")
    if not reused:
        row.used_at = now
    return _issue(session, user, settings, row.family)


def family_revoked(session: Session, family: str) -> bool:
    """Whether a refresh-token family was ended (reuse, password change, administrator)."""
    return session.scalars(
        select(col(RefreshToken.id))
        .where(col(RefreshToken.family) == family, col(RefreshToken.revoked_at).is_not(None))
        .limit(1)
    ).first() is not None


class RefreshReused(NotAuthenticated):
    """A consumed refresh token came back: treated as theft (its family is revoked, and kept so)."""
