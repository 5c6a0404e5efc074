"""Every table, imported in one place for Alembic and for tests."""

from sqlmodel import SQLModel

from accounts.models import ApiKey, PageSessionRecord, RefreshToken, Throttle, User
from deadlines.models import Deadline
from fairtrack.idempotency import IdempotencyRecord
from flags.models import Flag
from oversight.models import StageExpectation
from profiles.models import ApplicantProfile
from regulators.models import AssessorRecord, RegistrySync, RegulatorRecord, RegulatorRules
from workflow.models import Application, Event, StageInterval, StageVisit

metadata = SQLModel.metadata

__all__ = [
    "ApplicantProfile", "Deadline", "Flag",
    "ApiKey", "PageSessionRecord", "RefreshToken", "Throttle",
    "Application", "AssessorRecord", "Event", "IdempotencyRecord", "RegistrySync", "RegulatorRecord",
    "RegulatorRules", "StageExpectation", "StageInterval", "StageVisit", "User", "metadata",
]
