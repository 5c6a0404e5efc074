"""The expected time at each regulator's stages, kept by the scan: every GET of an application
reads its stage's row instead of recomputing the percentiles over a year of visits."""

from datetime import datetime

from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import UTCDateTime


class StageExpectation(SQLModel, table=True):
    """p50 and p80 of the calendar days of the visits to one regulator's stage completed in the
    12 months before `computed_at` (oversight.expectations), as of the last scan."""

    __tablename__ = "stage_expectations"

    regulator: str = Field(primary_key=True, max_length=80)
    stage: str = Field(primary_key=True, max_length=40)
    visits: int
    p50_calendar_days: float | None = None
    p80_calendar_days: float | None = None
    computed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
