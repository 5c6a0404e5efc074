"""Password hashing (argon2) and signed, expiring bearer tokens (PyJWT)."""

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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def issue_token(user_id: int, secret: str, minutes: int, now: datetime | None = None) -> str:
    issued = now or utcnow()
    claims: dict[str, Any] = {
        "sub": str(user_id),
        "iat": issued,
        "exp": issued + timedelta(minutes=minutes),
        "typ": "access",
    }
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


class InvalidToken(Exception):
    pass


def read_token(token: str, secret: str) -> int:
    """The user id a valid, unexpired token was issued to."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], options={"require": ["exp", "sub"]})
    except jwt.PyJWTError as exc:
        raise InvalidToken(str(exc)) from exc
    if claims.get("typ") != "access" or not str(claims["sub"]).isdigit():
        raise InvalidToken("not an access token")
    return int(claims["sub"])
