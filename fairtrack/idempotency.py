"""Idempotency-Key handling for writes: a retry gets the first answer and changes nothing."""

import hashlib
import json
from datetime import datetime
from typing import Any

from sqlalchemy import UniqueConstraint, select
from sqlalchemy.orm import Session
from sqlmodel import Column, Field, SQLModel, col

from fairtrack.columns import JSONDocument, UTCDateTime, utcnow
from fairtrack.errors import IdempotencyKeyReused


class IdempotencyRecord(SQLModel, table=True):
    """The first answer to a write sent with an Idempotency-Key, returned again to any retry."""

    __tablename__ = "idempotency_records"
    __table_args__ = (UniqueConstraint("user_id", "key", name="uq_idempotency_user_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id")
    key: str = Field(max_length=255)
    request_hash: str = Field(max_length=64)
    status_code: int
    response: dict[str, Any] = Field(sa_column=Column(JSONDocument, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def fingerprint(scope: str, body: dict[str, Any]) -> str:
    """What the key promises: the same route and target with the same body."""
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(f"{scope}\n{canonical}".encode()).hexdigest()


def recall(session: Session, user_id: int, key: str, request_hash: str) -> IdempotencyRecord | None:
    record = session.scalars(
        select(IdempotencyRecord).where(
            col(IdempotencyRecord.user_id) == user_id, col(IdempotencyRecord.key) == key
        )
    ).one_or_none()
    if record is not None and record.request_hash != request_hash:
        raise IdempotencyKeyReused(
            "this Idempotency-Key was already used for a different request; use a new key"
        )
    return record


def remember(
    session: Session,
    user_id: int,
    key: str,
    request_hash: str,
    status_code: int,
    response: dict[str, Any],
) -> None:
    session.add(
        IdempotencyRecord(
            user_id=user_id,
            key=key,
            request_hash=request_hash,
            status_code=status_code,
            response=response,
            created_at=utcnow(),
        )
    )
