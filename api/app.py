"""The FastAPI application, built from settings: one engine, one registry, the v1 routes."""

import logging

from fastapi import APIRouter, FastAPI

from api import (
    access,
    applications,
    deadlines,
    documents,
    errors,
    exports,
    health,
    integrations,
    oversight,
    profile,
    queue,
    regulators,
    tokens,
)
from casefile.registry import sync_on_start
from fairtrack.database import make_sessionmaker, server_engine
from fairtrack.migrate import schema_state
from fairtrack.settings import Settings, get_settings
from regulators.registry import Registry, get_registry

log = logging.getLogger("fairtrack.api")


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="FairTrack",
        version="1",
        summary="The system of record for internationally trained professionals' road to an "
        "Ontario licence.",
        # Served by api.docs from local assets (no CDN).
        docs_url=None,
        redoc_url=None,
    )
    engine = server_engine(settings)
    app.state.settings = settings
    app.state.engine = engine
    app.state.sessions = make_sessionmaker(engine)
    app.state.registry = registry or get_registry()
    with app.state.sessions() as session:  # only when the files changed
        state = schema_state(session.connection())
        session.commit()  # its connection back to the pool: the sync takes one of its own
        if state.is_current:
            sync_on_start(session, app.state.registry)
        else:  # the server starts and says so: /api/v1/health answers 503 until the upgrade
            log.warning("registry not synced: %s", state.advice())
    errors.install(app)
    v1 = APIRouter(prefix="/api/v1")
    v1.include_router(health.router)
    v1.include_router(tokens.router)
    v1.include_router(applications.router)
    v1.include_router(queue.router)
    v1.include_router(regulators.router)
    v1.include_router(deadlines.router)
    v1.include_router(oversight.router)
    v1.include_router(profile.router)
    v1.include_router(integrations.router)
    v1.include_router(documents.router)
    v1.include_router(exports.router)
    access.include_routers(v1)
    app.include_router(v1)
    access.install(app, settings)
    return app
