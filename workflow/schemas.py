"""Shapes of what the workflow takes in and gives out, shared by the API, the CLI and tests."""

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from fairtrack.pagination import Page
from law.road import REQUIREMENT_CODES, STATE_INFO


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ApplicationCreate(Strict):
    regulator: str = Field(min_length=1, max_length=80, examples=["cno"])
    licence_class: str = Field(min_length=1, max_length=80, examples=["rn"])
    assessor: str | None = Field(
        default=None,
        max_length=80,
        description="Third-party assessor, for regulators whose route starts with one.",
        examples=["nnas"],
    )


class EventRequest(Strict):
    trigger: str = Field(min_length=1, max_length=40, examples=["begin_review"])
    expected_version: int = Field(
        ge=0, description="The application's version you last read; a stale one is refused (409)."
    )
    occurred_at: datetime | None = Field(
        default=None,
        description="When it happened (default: now). Never in the future, never before the "
        "previous event. Needs a time zone.",
    )
    outcome: str | None = Field(default=None, max_length=40)
    reasons: str | None = Field(default=None, max_length=20_000)
    requirements: list[str] = Field(default_factory=list, max_length=len(REQUIREMENT_CODES))
    note: str | None = Field(default=None, max_length=5_000)
    documents: list[str] = Field(default_factory=list, max_length=50)

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime | None) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("occurred_at needs a time zone, e.g. 2026-03-01T09:30:00-05:00")
        return value

    @field_validator("requirements")
    @classmethod
    def _known_requirements(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - set(REQUIREMENT_CODES))
        if unknown:
            raise ValueError(f"unknown requirement codes {unknown}; known: {list(REQUIREMENT_CODES)}")
        return value

    @field_validator("documents")
    @classmethod
    def _document_names(cls, value: list[str]) -> list[str]:
        if any(not (0 < len(name) <= 255) for name in value):
            raise ValueError("each document name must be 1 to 255 characters")
        return value

    def payload(self) -> dict[str, Any]:
        """The event payload: only what was said."""
        fields = {
            "reasons": self.reasons,
            "requirements": self.requirements,
            "note": self.note,
            "documents": self.documents,
        }
        return {k: v for k, v in fields.items() if v}


class AllowedTrigger(BaseModel):
    trigger: str
    outcomes: list[str] = Field(default_factory=list)


class ApplicationView(BaseModel):
    reference: str
    regulator: str
    licence_class: str
    assessor: str | None
    rules_version: int
    state: str
    stage: str
    clock: str
    version: int
    created_at: datetime
    updated_at: datetime
    allowed_triggers: list[AllowedTrigger] = Field(
        default_factory=list, description="What this caller may fire now."
    )


class ApplicationPage(Page[ApplicationView]):
    pass


class EventView(BaseModel):
    seq: int
    trigger: str
    outcome: str | None
    from_state: str | None
    to_state: str
    actor_role: str
    actor_organization: str | None
    occurred_at: datetime
    recorded_at: datetime
    payload: dict[str, Any]
    hash: str


class IntervalView(BaseModel):
    state: str
    stage: str
    clock: str
    entered_at: datetime
    exited_at: datetime | None
    calendar_days: int
    business_days: int
    open: bool


class TimelineView(BaseModel):
    application: ApplicationView
    events: list[EventView]
    intervals: list[IntervalView]


def stage_of(state: str) -> str:
    return STATE_INFO[state].stage.value


def clock_of(state: str) -> str:
    return STATE_INFO[state].clock.value


class StageClock(BaseModel):
    stage: str
    calendar_days: int
    business_days: int
    paused_business_days: int = Field(description="On the applicant's clock (pauses)")
    attributable_business_days: int = Field(
        description="Not on the applicant's clock: the regulator's (or assessor's, tribunal's)"
    )
