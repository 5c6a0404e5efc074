"""The applicant profile table: one row per applicant, minimal personal data, never logged."""

from datetime import date, datetime

from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import UTCDateTime


class ApplicantProfile(SQLModel, table=True):
    __tablename__ = "applicant_profiles"

    user_id: int = Field(foreign_key="users.id", primary_key=True)
    immigration_status: str | None = Field(default=None, max_length=30, index=True)
    country_of_education: str | None = Field(default=None, max_length=2)  # ISO 3166-1 alpha-2
    started_before_arrival: bool | None = None
    arrival_date: date | None = None
    # The English or French test the applicant took for immigration (an IRCC-approved test).
    language_test: str | None = Field(default=None, max_length=40)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
