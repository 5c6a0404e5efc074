"""Readiness: the service answers, its database does, and the database's schema is this code's
(503 "migrations pending" until `fairtrack db upgrade` has run)."""

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SessionDep
from api.errors import responses
from fairtrack.migrate import MigrationsPending, readiness

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@router.get("/health", response_model=Health, responses=responses(MigrationsPending))
def health(session: SessionDep) -> Health:
    readiness(session)
    return Health(status="ok", database="ok")
