"""Request dependencies: settings, the registry, the request's database session, and the caller.

One database session per request (`SessionDep`): the caller is read with it, routes read with it,
and the coordinating floor (casefile) writes with it in its own unit of work. The request never
holds two pooled connections at once, and none between reading its caller and running its route
(it may wait for a thread there).
"""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session

from accounts.actor import Actor
from accounts.security import API_KEY_PREFIX
from accounts.service import actor_for_token
from casefile.accounts import key_actor
from fairtrack.database import release
from fairtrack.errors import NotAuthenticated
from fairtrack.settings import Settings
from regulators.registry import Registry

oauth2 = OAuth2PasswordBearer(tokenUrl="/api/v1/auth/token", auto_error=False)
api_key_header = APIKeyHeader(
    name="X-API-Key",
    auto_error=False,
    description="A regulator's or assessor's system key (ft_...); also accepted as a bearer token.",
)


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def get_registry(request: Request) -> Registry:
    return request.app.state.registry  # type: ignore[no-any-return]


def get_session(request: Request) -> Iterator[Session]:
    """The request's database session, closed (its connection returned) when the answer is sent."""
    with request.app.state.sessions() as session:
        yield session


SettingsDep = Annotated[Settings, Depends(get_settings)]
RegistryDep = Annotated[Registry, Depends(get_registry)]
SessionDep = Annotated[Session, Depends(get_session)]


def current_actor(
    token: Annotated[str | None, Depends(oauth2)],
    api_key: Annotated[str | None, Depends(api_key_header)],
    session: SessionDep,
    settings: SettingsDep,
) -> Actor:
    """The caller: a person with a bearer token, or an organization's system with an API key."""
    try:
        if api_key or (token and token.startswith(API_KEY_PREFIX)):
            return key_actor(session, api_key or token or "")
        if not token:
            raise NotAuthenticated("a bearer token is required: POST /api/v1/auth/token")
        return actor_for_token(session, token, settings.secret_key.get_secret_value())
    finally:
        release(session)
