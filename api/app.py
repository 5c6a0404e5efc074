"""The FastAPI application, built from settings: one engine, one registry, the v1 routes."""

from fastapi import APIRouter, FastAPI

from api import (
    access,
    applications,
    deadlines,
    errors,
    health,
    oversight,
    profile,
    regulators,
    tokens,
)
from casefile.registry import sync_on_start
from fairtrack.database import make_engine, make_sessionmaker
from fairtrack.settings import Settings, get_settings
from regulators.registry import Registry, get_registry


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="FairTrack",
        version="1",
        summary="The system of record for internationally trained professionals' road to an "
        "Ontario licence.",
    )
    engine = make_engine(settings.database_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.registry = registry or get_registry()
    with app.state.sessions() as session:  # only when the files changed
        sync_on_start(session, app.state.registry)
    errors.install(app)
    v1 = APIRouter(prefix="/api/v1")
    v1.include_router(health.router)
    v1.include_router(tokens.router)
    v1.include_router(applications.router)
    v1.include_router(regulators.router)
    v1.include_router(deadlines.router)
    v1.include_router(oversight.router)
    v1.include_router(profile.router)
    access.include_routers(v1)
    app.include_router(v1)
    access.install(app, settings)
    return app
