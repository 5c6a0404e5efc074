"""Request dependencies: settings, the registry, database sessions and the authenticated caller."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, OAuth2PasswordBearer
from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import Actor
from accounts.keys import key_owner, needs_touch, touch
from accounts.models import User
from accounts.security import API_KEY_PREFIX, InvalidToken, read_access_token
from accounts.service import actor_of
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from fairtrack.errors import NotAuthenticated
from fairtrack.settings import Settings
from regulators.registry import Registry
from workflow.road import Role

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
    token: Annotated[str | None, Depends(oauth2)],
    api_key: Annotated[str | None, Depends(api_key_header)],
    session: ReaderDep,
    writer: WriterDep,
    settings: SettingsDep,
) -> Actor:
    """The caller: a person with a bearer token, or an organization's system with an API key."""
    if api_key or (token and token.startswith(API_KEY_PREFIX)):
        return _key_actor(api_key or token or "", session, writer)
    if not token:
        raise NotAuthenticated("a bearer token is required: POST /api/v1/auth/token")
    try:
        claims = read_access_token(token, settings.secret_key.get_secret_value())
    except InvalidToken as exc:
        raise NotAuthenticated("the bearer token is invalid or expired") from exc
    user = session.get(User, claims.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("the bearer token's account is gone or disabled")
    if user.credentials_version != claims.credentials_version:
        raise NotAuthenticated("the bearer token predates a password change; log in again")
    return actor_of(user)


def _key_actor(text: str, session: Session, writer: sessionmaker[Session]) -> Actor:
    user, key = key_owner(session, text)
    now = utcnow()
    if needs_touch(key, now):
        assert key.id is not None
        with transaction(writer) as write:
            touch(write, key.id, now)
    # The key's own role and organization, never the account's: the key is what the admin granted.
    assert user.id is not None
    return Actor(user_id=user.id, role=Role(key.role), organization=key.organization,
                 api_key_id=key.id)
