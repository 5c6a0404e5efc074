"""Password hashing (argon2), signed expiring bearer tokens (PyJWT), and random opaque secrets."""

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from fairtrack.columns import utcnow

_hasher = PasswordHasher()
ALGORITHM = "HS256"
# Compared against when the account does not exist, so timing does not reveal which emails exist.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
# Stored in place of a hash for accounts that never log in (an organization's system account).
NO_PASSWORD = "!no-password"  # noqa: S105 - a marker that no password matches, not a secret
# The domain of organizations' system accounts (RFC 2606 reserves .invalid): no person's account
# may have an address there, so that none can stand in for a system account.
SYSTEM_DOMAIN = "system.fairtrack.invalid"
API_KEY_PREFIX = "ft_"
REFRESH_PREFIX = "rt_"


def normalize_password(password: str) -> str:
    """NFKC (NIST SP 800-63B 5.1.1.2): the same password typed on another keyboard or system (a
    composed or decomposed é, a full-width letter) is the same password."""
    return unicodedata.normalize("NFKC", password)


def hash_password(password: str) -> str:
    return _hasher.hash(normalize_password(password))


def _matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def verify_password(password_hash: str | None, password: str) -> bool:
    normalized = normalize_password(password)
    if _matches(password_hash or _DUMMY_HASH, normalized):
        return password_hash is not None
    # Hashes made before normalization hold the password as it was typed.
    return password_hash is not None and normalized != password and _matches(password_hash, password)


def issue_token(
    user_id: int, secret: str, minutes: int, now: datetime | None = None, version: int = 0,
    family: str | None = None,
) -> str:
    """An access token; `family` names the refresh-token family it came with, so that revoking the
    family (a stolen refresh token, an administrator) ends it too."""
    issued = now or utcnow()
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "iat": issued,
        "exp": issued + timedelta(minutes=minutes),
        "typ": "access",
        "ver": version,
    }
    if family is not None:
        claims["fam"] = family
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


class InvalidToken(Exception):
    pass


@dataclass(frozen=True)
class AccessClaims:
    user_id: int
    credentials_version: int
    family: str | None = None


def read_access_token(token: str, secret: str) -> AccessClaims:
    """Who a valid, unexpired access token was issued to, and at which credentials version."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    version, family = claims.get("ver", 0), claims.get("fam")
    if claims.get("typ") != "access" or not str(claims["sub"]).isdigit() or type(version) is not int:
        raise InvalidToken("not an access token")
    if family is not None and not (isinstance(family, str) and len(family) <= 64):
        raise InvalidToken("not an access token")
    return AccessClaims(int(claims["sub"]), version, family)


def sha256_hex(value: str) -> str:
    """For high-entropy secrets (API keys, refresh tokens) a plain SHA-256 is enough to store."""
    return hashlib.sha256(value.encode()).hexdigest()


def new_refresh_token() -> str:
    return REFRESH_PREFIX + secrets.token_urlsafe(32)


def new_api_key() -> tuple[str, str, str]:
    """(full key shown once, public prefix, hash of the secret part)."""
    prefix = secrets.token_hex(6)
    secret = secrets.token_urlsafe(32)
    return f"{API_KEY_PREFIX}{prefix}_{secret}", prefix, sha256_hex(secret)


def split_api_key(key: str) -> tuple[str, str] | None:
    """(prefix, secret) of something shaped like an API key, else None."""
    if not key.startswith(API_KEY_PREFIX):
        return None
    prefix, _, secret = key[len(API_KEY_PREFIX):].partition("_")
    if len(prefix) != 12 or not secret or len(secret) > 100:
        return None
    return prefix, secret


def same_secret(given: str, stored_hash: str) -> bool:
    return hmac.compare_digest(sha256_hex(given), stored_hash)


def pseudonym(secret: str, kind: str, identifier: str) -> str:
    """A keyed hash of a personal identifier (email, address): what limiters and logs keep."""
    digest = hmac.new(secret.encode(), f"{kind}\n{identifier}".encode(), hashlib.sha256)
    return digest.hexdigest()[:24]
