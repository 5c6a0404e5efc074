"""The FastAPI application, built from settings: one engine, one registry, the v1 routes."""

from fastapi import APIRouter, FastAPI

from api import access, applications, errors, health, oversight, profile, regulators, tokens
from fairtrack.database import is_sqlite, make_engine, make_sessionmaker
from fairtrack.settings import Settings, get_settings
from regulators.registry import Registry, get_registry
from regulators.sync import sync_on_start


def create_app(settings: Settings | None = None, registry: Registry | None = None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(
        title="FairTrack",
        version="1",
        summary="The system of record for internationally trained professionals' road to an "
        "Ontario licence.",
    )
    engine = make_engine(settings.database_url)
    url = settings.database_url
    reader = make_engine(url, for_reads=True) if is_sqlite(url) else engine
    app.state.settings = settings
    app.state.engine = engine
    app.state.reader_engine = reader
    app.state.sessions = make_sessionmaker(engine)
    app.state.readers = make_sessionmaker(reader)
    app.state.registry = registry or get_registry()
    sync_on_start(engine, app.state.sessions, app.state.registry)  # only when the files changed
    errors.install(app)
    v1 = APIRouter(prefix="/api/v1")
    v1.include_router(health.router)
    v1.include_router(tokens.router)
    v1.include_router(applications.router)
    v1.include_router(regulators.router)
    v1.include_router(oversight.router)
    v1.include_router(profile.router)
    access.include_routers(v1)
    app.include_router(v1)
    access.install(app, settings)
    return app
