"""What the scan keeps so that reads do not recompute: rollups of completed stage visits (what the
timeliness figures need) and the expected time at each regulator's stages (what every GET of an
application shows)."""

from datetime import date, datetime
from typing import Any

from sqlalchemy import UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import JSONDocument, UTCDateTime


class TimelinessRollup(SQLModel, table=True):
    """The completed visits of one regulator and stage that ended in one Ontario month (span
    'month', starts_on its first day) or on one Ontario day (span 'day'): a query reads whole months
    where its window covers them and days at its edges. The histogram of business days gives exact
    percentiles; sums give means and the share over the standard (oversight/rollups.py)."""

    __tablename__ = "timeliness_rollups"
    __table_args__ = (
        UniqueConstraint("span", "regulator", "stage", "starts_on", name="uq_timeliness_rollups_key"),
    )

    id: int | None = Field(default=None, primary_key=True)
    span: str = Field(max_length=5)  # month | day
    regulator: str = Field(max_length=80)
    stage: str = Field(max_length=40)
    starts_on: date
    count: int = 0
    # {"<business days>": visits}: the distribution of the visits' business days, whole.
    business_days: dict[str, Any] = Field(default_factory=dict,
                                          sa_column=Column(JSONDocument, nullable=False))
    # The largest standard over the visits (as the query's MAX), None where no visit had one.
    standard_days: int | None = None
    standard_business: int | None = None
    standard_is_default: int | None = None
    judged: int = 0  # visits with a standard
    over: int = 0  # of which over it
    attributable_business_days: int = 0  # sums over the visits
    attributable_business_days_as_recorded: int = 0


class OutcomeRollup(SQLModel, table=True):
    """One closed application as the outcome figures see it (oversight/outcome_rollups.py): its
    regulator and applicant, whether licensed, its days to licence and the stages it reached, as of
    the stage interval the watermark 'outcomes' last read. The applicant's profile is joined when
    the figures are asked for (a profile changes without any event)."""

    __tablename__ = "outcome_rollups"

    application_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    regulator: str = Field(max_length=80, index=True)
    applicant_id: int
    licensed: int  # 1 if licensed, else 0 (refused, withdrawn, abandoned)
    # Days from the application's creation to its entering `licensed` (fractional), None unless
    # licensed: the same SQL expression the figures computed from the rows (oversight.sql).
    days: float | None = None
    # The stages it had an interval in, closed aside: a bit each (outcome_rollups.STAGE_BITS).
    stages: int


class RollupWatermark(SQLModel, table=True):
    """How far the rollups have read: for 'timeliness', every visit closed by a visit whose id is
    at most last_id; for 'outcomes', every stage interval whose id is at most last_id."""

    __tablename__ = "rollup_watermarks"

    name: str = Field(primary_key=True, max_length=40)
    last_id: int = 0
    refreshed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


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
