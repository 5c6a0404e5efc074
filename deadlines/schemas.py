"""Shapes of deadlines as callers see them."""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class DeadlineKind(StrEnum):
    service_standard = "service_standard"
    statutory_window = "statutory_window"


class DeadlineStatus(StrEnum):
    """Where a deadline stands (deadlines/service.py sets them)."""

    open = "open"
    met = "met"  # acted in time
    missed = "missed"  # a service standard passed before the stage ended
    late = "late"  # a window used after its last day
    lapsed = "lapsed"  # a window closed unused (the scan's lapse)
    cut_short = "cut_short"  # a window ended early by another party's step
    closed = "closed"  # ended without a finding (withdrawn, abandoned)


class DeadlineView(BaseModel):
    kind: str = Field(description="service_standard or statutory_window")
    code: str
    stage: str
    party: str = Field(description="Who must act by the due date")
    days: int
    counting: str
    due_on: date
    starts_on: date
    status: str
    legal_basis: str
    to_verify: str | None
    is_default: bool = Field(description="A project default, not the regulator's published figure")
    paused: bool
