"""Tables of the integrations: import jobs and the rows they applied (row idempotency keys),
webhook subscriptions, and the transactional outbox (webhook deliveries and emails) with every
attempt to send."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import JSONDocument, UTCDateTime


class ImportJob(SQLModel, table=True):
    """One imported file: who sent it, and its report (applied, already applied, refused rows)."""

    __tablename__ = "import_jobs"

    id: int | None = Field(default=None, primary_key=True)
    organization: str | None = Field(default=None, max_length=80, index=True)
    actor_id: int | None = Field(default=None, foreign_key="users.id")
    filename: str = Field(max_length=255)
    format: str = Field(max_length=10)  # csv | jsonl
    status: str = Field(max_length=20)  # running | done
    rows: int = 0
    applied: int = 0
    already_applied: int = 0
    refused: int = 0
    # [{"line": n, "reason": "..."}], in line order
    refusals: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSONDocument, nullable=False))
    started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    finished_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class ImportedRow(SQLModel, table=True):
    """A row applied once: its key (given, or the hash of the organization and the row's content)
    is stored in the transaction that applied it, so that importing it again applies nothing."""

    __tablename__ = "imported_rows"
    __table_args__ = (UniqueConstraint("organization", "key", name="uq_imported_rows_org_key"),)

    id: int | None = Field(default=None, primary_key=True)
    organization: str = Field(max_length=80)
    key: str = Field(max_length=255)
    job_id: int = Field(foreign_key="import_jobs.id")
    line: int
    application_id: int = Field(foreign_key="applications.id")
    seq: int  # the event the row appended


class WebhookSubscription(SQLModel, table=True):
    """An organization's endpoint, told of every event on its applications (or of the triggers it
    chose), signed with this subscription's own secret."""

    __tablename__ = "webhook_subscriptions"

    id: int | None = Field(default=None, primary_key=True)
    organization: str = Field(max_length=80, index=True)
    url: str = Field(max_length=2000)
    # The HMAC key: kept as is, since signing needs it; shown once, at creation.
    secret: str = Field(max_length=128)
    triggers: list[str] = Field(default_factory=list, sa_column=Column(JSONDocument, nullable=False))
    active: bool = True
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class OutboxMessage(SQLModel, table=True):
    """Something to send, written in the transaction of what caused it: a webhook delivery or an
    email to an applicant (which is also the message on their portal page). The worker claims it
    for a lease (claimed_until), sends it, and records the attempt; a worker killed mid-send leaves
    the lease to run out, and the message is sent again (at least once)."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_due", "status", "next_attempt_at"),
        Index("ix_outbox_recipient", "recipient_id", "id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=10)  # webhook | email
    # What it is about: e.g. event:12:3, decision, reminder:45:7 (unique: queued once).
    dedupe_key: str = Field(max_length=120, unique=True)
    application_id: int | None = Field(default=None, foreign_key="applications.id")
    subscription_id: int | None = Field(default=None, foreign_key="webhook_subscriptions.id",
                                        index=True)
    recipient_id: int | None = Field(default=None, foreign_key="users.id")
    language: str | None = Field(default=None, max_length=2)
    subject: str | None = Field(default=None, max_length=300)
    body: str  # the email's text, or the webhook's JSON body
    status: str = Field(max_length=20)  # pending | delivered | failed
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    last_error: str | None = Field(default=None, max_length=500)


class OutboxAttempt(SQLModel, table=True):
    """One attempt to send an outbox message: when, and what came of it."""

    __tablename__ = "outbox_attempts"

    id: int | None = Field(default=None, primary_key=True)
    message_id: int = Field(foreign_key="outbox_messages.id", index=True)
    attempted_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    ok: bool
    status_code: int | None = None  # the webhook endpoint's HTTP status
    error: str | None = Field(default=None, max_length=500)
