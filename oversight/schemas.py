"""Shapes of the oversight figures and the applicant's expectations."""

from datetime import date

from pydantic import BaseModel, Field


class TimelinessRow(BaseModel):
    regulator: str
    stage: str
    period: str
    count: int = Field(description="Completed visits to the stage that ended in the period")
    median_business_days: float
    p80_business_days: float
    p90_business_days: float
    standard_days: int | None = Field(description="The service standard (null: none for the stage)")
    standard_counting: str | None
    standard_is_default: bool | None = Field(description="A project default, not the regulator's")
    share_over_standard: float | None = Field(
        description="Share of visits whose attributable days exceeded the standard"
    )
    mean_attributable_business_days: float = Field(
        description="Business days not on the applicant's clock (pauses excluded), by the days "
        "the events say they occurred"
    )
    mean_attributable_business_days_as_recorded: float = Field(
        description="The same, by the days the events were recorded: beside the figure above, "
        "it shows how much back-dated events moved time between clocks"
    )


class Timeliness(BaseModel):
    since: date
    until: date
    period: str
    rows: list[TimelinessRow]


class OutcomeRow(BaseModel):
    group: str
    suppressed: bool = Field(description="Figures withheld: fewer than the minimum people, or "
                             "withheld with such a cell so that it cannot be worked out")
    people: int | None
    applications: int | None
    licensed: int | None
    success_rate: float | None
    median_days_to_licence: float | None
    p80_days_to_licence: float | None


class OutcomeTotals(BaseModel):
    people: int = Field(description="Closed applications' applicants, rounded")
    applications: int = Field(description="Closed applications, rounded")
    licensed: int = Field(description="Of them licensed, rounded")
    rounded_to: int = Field(description="Totals are rounded to the nearest multiple of this")


class Outcomes(BaseModel):
    by: str
    minimum_cell: int
    rows: list[OutcomeRow]
    totals: OutcomeTotals


class Expectation(BaseModel):
    stage: str
    completed_visits: int = Field(description="Visits to this stage at this regulator, last 12 months")
    median_calendar_days: float | None
    p80_calendar_days: float | None
    queue_position: int | None = Field(
        description="1 + open applications at this regulator and stage that entered it earlier"
    )
    open_in_queue: int | None
