"""Shapes of deadlines as callers see them."""

from datetime import date

from pydantic import BaseModel, Field


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
