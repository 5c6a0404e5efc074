"""People's own accounts: applicant self-registration and password change."""

from typing import Literal

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from accounts.models import User
from api.auth import AccountHolder
from api.deps import RegistryDep, SessionDep, SettingsDep
from api.errors import responses
from api.limits import LimiterDep, RateLimited, client_address, enforce
from casefile import accounts as units
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated

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
    limiter: LimiterDep,
) -> Account:
    enforce(limiter, settings, "register-address", client_address(request),
            settings.registrations_per_address, settings.registration_window_seconds)
    user = units.register(session, registry, email=data.email, password=data.password,
                          preferred_language=data.preferred_language)
    return _account(user)


@router.post(
    "/me/password",
    status_code=204,
    responses=responses(NotAuthenticated, Forbidden, InvalidRequest),
)
def set_password(data: PasswordChange, actor: AccountHolder, session: SessionDep) -> Response:
    """Every access token, refresh token and page session issued before this stops working."""
    units.set_password(session, actor, data.current_password, data.new_password)
    return Response(status_code=204)
