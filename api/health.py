"""Liveness: the service answers and its database does."""

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from api.deps import ReaderDep

router = APIRouter(tags=["health"])


class Health(BaseModel):
    status: str
    database: str


@router.get("/health", response_model=Health)
def health(session: ReaderDep) -> Health:
    session.execute(text("SELECT 1"))
    return Health(status="ok", database="ok")
