"""The flags table: one row per occurrence of a condition, with its evidence and triage lifecycle."""

from datetime import datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import JSONDocument, UTCDateTime


class Flag(SQLModel, table=True):
    """Raised once per occurrence (a stage visit, a window, a decision, an event, a declared test):
    the unique key makes the scan idempotent, and a new occurrence after resolution raises anew."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("application_id", "kind", "occurrence", name="uq_flags_occurrence"),
        Index("ix_flags_status_kind", "status", "kind"),
        Index("ix_flags_regulator_status", "regulator", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id")
    regulator: str = Field(max_length=80)
    kind: str = Field(max_length=30)
    occurrence: str = Field(max_length=80)
    severity: str = Field(max_length=10)  # low, medium, high
    status: str = Field(max_length=20)  # open, acknowledged, resolved
    evidence: dict[str, Any] = Field(sa_column=Column(JSONDocument, nullable=False))
    raised_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    acknowledged_by: int | None = Field(default=None, foreign_key="users.id")
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    resolved_by: int | None = Field(default=None, foreign_key="users.id")
    note: str | None = Field(default=None, max_length=5000)


class FlagAction(SQLModel, table=True):
    """One step in a flag's history, written in the transaction that takes it: raised (by the
    scan or by the event that made its condition true: no actor), its severity raised as the
    condition grew (no actor), acknowledged, resolved with a note (the fairness staff member who
    did it). A resolved flag is never reopened: a recurrence is a new occurrence, a new flag."""

    __tablename__ = "flag_actions"
    __table_args__ = (Index("ix_flag_actions_flag_at", "flag_id", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    flag_id: int = Field(foreign_key="flags.id")
    action: str = Field(max_length=20)  # raised, severity_raised, acknowledged, resolved
    actor_id: int | None = Field(default=None, foreign_key="users.id")  # None: FairTrack itself
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    from_severity: str | None = Field(default=None, max_length=10)
    to_severity: str = Field(max_length=10)
    note: str | None = Field(default=None, max_length=5000)
