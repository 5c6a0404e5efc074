"""Request dependencies: settings, the registry, database sessions and the authenticated caller."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import Actor
from accounts.models import User
from accounts.security import InvalidToken, read_token
from accounts.service import actor_of
from fairtrack.errors import NotAuthenticated
from fairtrack.settings import Settings
from regulators.registry import Registry

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_registry(request: Request) -> Registry:
    return request.app.state.registry  # type: ignore[no-any-return]


def get_writer(request: Request) -> sessionmaker[Session]:
    """Sessions for units of work; each domain flow opens and commits its own transaction."""
    return request.app.state.sessions  # type: ignore[no-any-return]


def get_reader(request: Request) -> Iterator[Session]:
    """A read-only session (a replica could serve it later without touching routes)."""
    with request.app.state.readers() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
RegistryDep = Annotated[Registry, Depends(get_registry)]
WriterDep = Annotated[sessionmaker[Session], Depends(get_writer)]
ReaderDep = Annotated[Session, Depends(get_reader)]


def current_actor(
    token: Annotated[str | None, Depends(oauth2)], session: ReaderDep, settings: SettingsDep
) -> Actor:
    if not token:
        raise NotAuthenticated("a bearer token is required: POST /api/v1/auth/token")
    try:
        user_id = read_token(token, settings.secret_key.get_secret_value())
    except InvalidToken as exc:
        raise NotAuthenticated("the bearer token is invalid or expired") from exc
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("the bearer token's account is gone or disabled")
    return actor_of(user)
