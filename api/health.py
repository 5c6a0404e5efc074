"""Liveness: the service answers and its database does."""

from fastapi import APIRouter
from pydantic import BaseModel

from api.deps import SessionDep
from fairtrack.database import ping

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@router.get("/health", response_model=Health)
def health(session: SessionDep) -> Health:
    ping(session)
    return Health(status="ok", database="ok")
