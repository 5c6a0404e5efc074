"""People's own accounts: applicant self-registration and password change; an administrator ending
every session of an account."""

from typing import Annotated, Literal

from fastapi import APIRouter, Path, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from accounts.models import User
from api.auth import AccountAdmin, AccountHolder
from api.deps import RegistryDep, SessionDep, SettingsDep
from api.errors import responses
from api.limits import RateLimited, client_address
from casefile import accounts as units
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated, NotFound

router = APIRouter(tags=["accounts"])


class Registration(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str = Field(min_length=3, max_length=254, examples=["amara@example.org"])
    password: str = Field(
        min_length=1, max_length=1000,
        description="12 to 128 characters, at least 6 different ones, not containing your email.",
    )
    preferred_language: Literal["en", "fr"] = "en"


class Account(BaseModel):
    id: int
    role: str
    preferred_language: str


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(min_length=1, max_length=1000)
    new_password: str = Field(min_length=1, max_length=1000)


def _account(user: User) -> Account:
    assert user.id is not None
    return Account(id=user.id, role=user.role, preferred_language=user.preferred_language)


@router.post(
    "/auth/register",
    status_code=201,
    response_model=Account,
    responses=responses(InvalidRequest, RateLimited),
)
def register(
    data: Registration,
    request: Request,
    session: SessionDep,
    registry: RegistryDep,
    settings: SettingsDep,
) -> Account:
    user = units.register(session, registry, settings, email=data.email, password=data.password,
                          preferred_language=data.preferred_language, address=client_address(request))
    return _account(user)


@router.post(
    "/me/password",
    status_code=204,
    responses=responses(NotAuthenticated, Forbidden, InvalidRequest, RateLimited),
)
def set_password(
    data: PasswordChange, actor: AccountHolder, session: SessionDep, settings: SettingsDep
) -> Response:
    """Every access token, refresh token and page session issued before this stops working. Wrong
    current passwords are throttled like failed logins (429 with Retry-After)."""
    units.set_password(session, settings, actor, data.current_password, data.new_password)
    return Response(status_code=204)


@router.post(
    "/admin/users/{user_id}/revoke-sessions",
    status_code=204,
    tags=["admin"],
    responses=responses(NotAuthenticated, Forbidden, NotFound),
)
def revoke_sessions(
    user_id: Annotated[int, Path(ge=1, le=2**31 - 1)], actor: AccountAdmin, session: SessionDep
) -> Response:
    """End every session of an account at once: its access tokens, refresh tokens and page
    sessions stop working (a stolen device, a departure). Its password is unchanged."""
    units.end_sessions_of(session, user_id=user_id)
    return Response(status_code=204)
