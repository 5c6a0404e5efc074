"""Every table, imported in one place for Alembic and for tests."""

from sqlmodel import SQLModel

from accounts.models import ApiKey, PageSessionRecord, RefreshToken, Throttle, User
from deadlines.models import Deadline
from fairtrack.idempotency import IdempotencyRecord
from flags.models import Flag, FlagAction
from integrations.models import (
    ImportedRow,
    ImportJob,
    OutboxAttempt,
    OutboxMessage,
    WebhookSubscription,
)
from oversight.models import OutcomeRollup, RollupWatermark, StageExpectation, TimelinessRollup
from profiles.models import ApplicantProfile
from regulators.models import AssessorRecord, RegistrySync, RegulatorRecord, RegulatorRules
from workflow.models import Application, DecisionLetter, Event, StageInterval, StageVisit

metadata = SQLModel.metadata

__all__ = [
    "ApplicantProfile", "Deadline", "Flag", "FlagAction",
    "ImportJob", "ImportedRow", "OutboxAttempt", "OutboxMessage", "WebhookSubscription",
    "ApiKey", "PageSessionRecord", "RefreshToken", "Throttle",
    "Application", "AssessorRecord", "DecisionLetter", "Event", "IdempotencyRecord", "OutcomeRollup",
    "RegistrySync",
    "RegulatorRecord", "RegulatorRules", "RollupWatermark", "StageExpectation", "StageInterval",
    "StageVisit", "TimelinessRollup", "User", "metadata",
]
