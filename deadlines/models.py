"""The deadlines table: every service standard and statutory window an application has run under."""

from datetime import date

from sqlalchemy import Index
from sqlmodel import Field, SQLModel


class Deadline(SQLModel, table=True):
    """One standard or window on one application, opened and closed by events, never deleted."""

    __tablename__ = "deadlines"
    __table_args__ = (
        Index("ix_deadlines_application_status", "application_id", "status"),
        Index("ix_deadlines_status_due", "status", "due_on"),
    )

    id: int | None = Field(default=None, primary_key=True)
    application_id: int = Field(foreign_key="applications.id")
    kind: str = Field(max_length=20)  # service_standard | statutory_window | response_deadline
    # The stage, the window's kind, or the state a response deadline was set in.
    code: str = Field(max_length=40)
    stage: str = Field(max_length=40)
    party: str = Field(max_length=20)  # whose clock: who must act by due_on
    days: int
    counting: str = Field(max_length=20)  # calendar, project_business, legislation_act, ...
    legal_basis: str = Field(max_length=500)
    to_verify: str | None = Field(default=None, max_length=500)
    is_default: bool = False  # a project default, not the regulator's published standard
    starts_on: date
    due_on: date
    paused_on: date | None = None  # the applicant's clock is running: the standard waits
    # open, met, missed, lapsed, late, cut_short, waived, closed
    status: str = Field(max_length=20)
    opened_seq: int
    closed_seq: int | None = None
    closed_on: date | None = None
    # Why the window runs from starts_on: actual or deemed receipt, or the making of the order.
    receipt_basis: str | None = Field(default=None, max_length=500)
    acted_on: date | None = None  # the party used the window and it stays open (submissions)
    extended_seq: int | None = None  # the order that lengthened it
    original_due_on: date | None = None  # its last day before any extension
