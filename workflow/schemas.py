"""Shapes of what the workflow takes in and gives out, shared by the API, the CLI and tests."""

from datetime import date, datetime
from enum import Enum
from typing import Any, Literal, Self, get_args

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fairtrack.pagination import Page
from law.road import REQUIREMENT_CODES, STATE_INFO, Detail
from law.windows import WINDOW_CODES, SentBy

# What an applicant requires of HPARB (RHPA Code): a review of the record, or a hearing.
ReviewOrHearing = Literal["review", "hearing"]
REVIEW_OR_HEARING: tuple[str, ...] = get_args(ReviewOrHearing)


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
    sent_on: date | None = Field(
        default=None, description="A notice or decision: the day it was sent to the applicant "
        "(default: the day it was made).")
    sent_by: SentBy | None = Field(
        default=None, description="How it was sent: in_person, email or regular_mail. A window "
        "running from receipt runs from the receipt the law deems for it (regular mail: the fifth "
        "day after mailing, SPPA s. 18, to verify) unless the actual receipt is recorded.")
    received_on: date | None = Field(
        default=None, description="The day it actually reached the applicant, when known.")
    served_on: date | None = Field(
        default=None, description="A court appeal: the day the notice of appeal was served "
        "(r. 61.04: service, not filing, stops the clock).")
    respond_by: date | None = Field(
        default=None, description="A request: the response deadline given to the applicant.")
    review_or_hearing: ReviewOrHearing | None = Field(
        default=None, description="A request to HPARB: a review (on the record) or a hearing.")
    consent_to_conditions: bool | None = Field(
        default=None, description="The registrar's terms, conditions or limitations: the "
        "applicant consents (otherwise they go to the Registration Committee).")
    alternatives_accepted: bool | None = Field(
        default=None, description="A Canadian experience requirement: whether international "
        "alternatives giving substantially similar competencies are accepted (O. Reg. 378/23).")
    window: str | None = Field(
        default=None, max_length=40, description="An extension: the window it lengthens.",
        examples=["appeal_board_request"])
    until: date | None = Field(default=None, description="An extension: the new last day.")
    backdated_because: str | None = Field(
        default=None, max_length=5_000, description="Why the event is recorded after the "
        "tolerance (law/fairness.py BACKDATING_TOLERANCE_DAYS business days): required then.")

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

    @field_validator("window")
    @classmethod
    def _known_window(cls, value: str | None) -> str | None:
        if value is not None and value not in WINDOW_CODES:
            raise ValueError(f"unknown window '{value}'; known: {list(WINDOW_CODES)}")
        return value

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        if self.sent_on and self.received_on and self.received_on < self.sent_on:
            raise ValueError("received_on is before sent_on")
        return self

    def given(self, detail: Detail) -> bool:
        """Whether the request says `detail` (an empty text or list says nothing)."""
        value = getattr(self, detail.value)
        if isinstance(value, str):
            return bool(value.strip())
        if isinstance(value, list):
            return bool(value)
        return value is not None

    def payload(self) -> dict[str, Any]:
        """The event payload: only what was said (it is in the hash chain)."""
        fields = {detail.value: getattr(self, detail.value) for detail in Detail}
        return {
            k: v.isoformat() if isinstance(v, date) else v.value if isinstance(v, Enum) else v
            for k, v in fields.items() if v is not None and v != [] and v != ""
        }


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
    paused_business_days_as_recorded: int = Field(
        default=0, description="The applicant's clock counted between the events' recordings")
    attributable_business_days_as_recorded: int = Field(
        default=0, description="The others' clocks counted between the events' recordings: "
        "beside the figure counted by the days events say they occurred, it shows what "
        "back-dating moved")
