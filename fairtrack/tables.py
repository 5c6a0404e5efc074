"""Every table, imported in one place for Alembic and for tests."""

from sqlmodel import SQLModel

from accounts.models import User
from workflow.models import Application, Event, IdempotencyRecord, StageInterval

metadata = SQLModel.metadata

__all__ = ["Application", "Event", "IdempotencyRecord", "StageInterval", "User", "metadata"]
