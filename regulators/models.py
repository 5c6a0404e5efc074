"""Tables of the registry as loaded by `fairtrack regulators sync`: every rules version ever in force.

The data files hold each regulator's current rules; the database keeps the history, so that an
application submitted under an earlier version still shows the standards that govern it.
"""

from datetime import date, datetime
from typing import Any

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import JSONDocument, UTCDateTime

# The same JSON type as the workflow tables: JSONB where PostgreSQL offers it.


class RegulatorRecord(SQLModel, table=True):
    """One row per regulator: its names for SQL reports, and the latest version loaded."""

    __tablename__ = "regulators"

    slug: str = Field(primary_key=True, max_length=80)
    acronym: str = Field(max_length=40)
    sector: str = Field(max_length=20, index=True)
    name_en: str = Field(max_length=255)
    name_fr: str = Field(max_length=255)
    current_version: int
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class RegulatorRules(SQLModel, table=True):
    """One version of a regulator's rules: the validated document, never changed once stored."""

    __tablename__ = "regulator_rules"
    __table_args__ = (
        UniqueConstraint("regulator", "version", name="uq_regulator_rules_regulator_version"),
        Index("ix_regulator_rules_regulator_effective", "regulator", "effective_date"),
    )

    id: int | None = Field(default=None, primary_key=True)
    regulator: str = Field(foreign_key="regulators.slug", max_length=80)
    version: int
    effective_date: date
    content_hash: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=Column(JSONDocument, nullable=False))
    loaded_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class AssessorRecord(SQLModel, table=True):
    """A third-party assessor's current data (assessors carry no rules version)."""

    __tablename__ = "assessors"

    slug: str = Field(primary_key=True, max_length=80)
    acronym: str = Field(max_length=40)
    name_en: str = Field(max_length=255)
    name_fr: str = Field(max_length=255)
    content_hash: str = Field(max_length=64)
    document: dict[str, Any] = Field(sa_column=Column(JSONDocument, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class RegistrySync(SQLModel, table=True):
    """A sync that changed something; the latest digest lets start-up skip unchanged files."""

    __tablename__ = "registry_syncs"

    id: int | None = Field(default=None, primary_key=True)
    digest: str = Field(max_length=64, index=True)
    regulators_added: int
    rules_versions_added: int
    assessors_changed: int
    synced_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
