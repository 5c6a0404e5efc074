"""The user account table: one person, one role, and for staff one organization."""

from datetime import datetime

from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import UTCDateTime, utcnow


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    # The regulator, assessor, appeal body or court a staff account works for; None for others.
    organization: str | None = Field(default=None, max_length=80, index=True)
    preferred_language: str = Field(default="en", max_length=2)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
