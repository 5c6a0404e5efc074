"""Shapes of deadlines as callers see them, and of the public deadline calculator's answer."""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, Field


class DeadlineKind(StrEnum):
    service_standard = "service_standard"
    statutory_window = "statutory_window"
    response_deadline = "response_deadline"  # a date given with a request to the applicant


class DeadlineStatus(StrEnum):
    """Where a deadline stands (deadlines/service.py sets them)."""

    open = "open"
    met = "met"  # acted in time
    missed = "missed"  # a service standard passed before the stage ended
    late = "late"  # a window used after its last day
    lapsed = "lapsed"  # a window closed unused (the scan's lapse)
    cut_short = "cut_short"  # a window ended early by another party's step
    waived = "waived"  # the applicant gave up the rest of the window in writing
    closed = "closed"  # ended without a finding (withdrawn, abandoned)


class HolidayView(BaseModel):
    day: date
    name: str


class DeadlineView(BaseModel):
    kind: str = Field(description="service_standard, statutory_window or response_deadline")
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
    receipt_basis: str | None = Field(
        default=None, description="Why a window runs from starts_on: actual or deemed receipt, "
        "or the making of the order")
    runs_from: str | None = Field(default=None, description="What the window runs from, in law")
    holidays_stepped_over: list[HolidayView] = Field(
        default_factory=list, description="Days the last day moved past (law.windows: the same "
        "function as the public calculator)")
    acted_on: date | None = Field(default=None, description="The party used the window that day")
    original_due_on: date | None = Field(
        default=None, description="The last day before a tribunal or court extended it")


class CountingRuleView(BaseModel):
    rule: str
    name: str
    holidays: str
    counting: str
    citation: str
    to_verify: str | None


class DeadlineCalculation(BaseModel):
    """A window's last day from a date, with every reason: what anyone may check."""

    window: str
    regulator: str | None
    known: bool = Field(description="False: the body's window of this kind is not known; none is "
                        "invented (to verify)")
    start: date = Field(description="The date given: the decision's, the sending's or the order's")
    sent_by: str | None
    runs_from: date | None = Field(description="The day the period runs from")
    basis: str | None = Field(description="Why it runs from that day (receipt, deemed or actual)")
    days: int | None
    last_day: date | None = Field(description="The last day to act (the whole day, Ontario time)")
    holidays_stepped_over: list[HolidayView] = Field(default_factory=list)
    party: str | None
    runs_from_in_law: str | None
    counting: CountingRuleView | None
    citation: str | None
    to_verify: list[str] = Field(default_factory=list,
                                 description="What in this answer is not yet checked at source")
    note: str | None = None
