"""Shapes of flags as fairness staff see and triage them."""

from datetime import datetime
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from fairtrack.pagination import Page
from flags.rules import FLAG_KINDS

FlagKind = StrEnum("FlagKind", {k: k for k in FLAG_KINDS})  # type: ignore[misc]


class Severity(StrEnum):
    low = "low"
    medium = "medium"
    high = "high"


class FlagStatus(StrEnum):
    open = "open"
    acknowledged = "acknowledged"
    resolved = "resolved"


class TriageAction(StrEnum):
    acknowledge = "acknowledge"
    resolve = "resolve"


class FlagTriage(BaseModel):
    model_config = ConfigDict(extra="forbid")
    action: TriageAction
    note: str | None = Field(default=None, max_length=5000, description="Required to resolve")


class FlagView(BaseModel):
    id: int
    application: str = Field(description="The application's public reference")
    regulator: str
    kind: str
    severity: str
    status: str
    evidence: dict[str, Any]
    raised_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    note: str | None


class FlagPage(Page[FlagView]):
    pass


class FlagActionKind(StrEnum):
    raised = "raised"
    severity_raised = "severity_raised"
    acknowledged = "acknowledged"
    resolved = "resolved"


class FlagActionView(BaseModel):
    action: FlagActionKind
    by: str = Field(description="The role of who took the step (oversight: fairness staff), or "
                                "'system' for FairTrack itself (the scan, or the event that made "
                                "the condition true)")
    at: datetime
    from_status: FlagStatus | None
    to_status: FlagStatus
    from_severity: Severity | None
    to_severity: Severity
    note: str | None


class FlagDetail(FlagView):
    history: list[FlagActionView] = Field(description="Every step on the flag, oldest first")
