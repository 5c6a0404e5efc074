"""Reads: an applicant's messages (the emails FairTrack sent or will send them), newest first."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from integrations.models import OutboxMessage
from integrations.outbox import EMAIL

MESSAGES_SHOWN = 100


def messages_for(session: Session, user_id: int, limit: int = MESSAGES_SHOWN) -> list[OutboxMessage]:
    return list(session.scalars(
        select(OutboxMessage)
        .where(col(OutboxMessage.recipient_id) == user_id, col(OutboxMessage.kind) == EMAIL)
        .order_by(col(OutboxMessage.id).desc())
        .limit(limit)
    ))
