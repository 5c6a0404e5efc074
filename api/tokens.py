"""OAuth2 password flow and refresh: trade credentials for an expiring access token and a
rotating refresh token."""

import logging
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel, ConfigDict, Field

from accounts import tokens
from accounts.security import pseudonym
from accounts.service import normalize_email
from api.deps import SessionDep, SettingsDep
from api.errors import responses
from api.limits import RateLimited, client_address
from casefile import accounts as units
from fairtrack.errors import NotAuthenticated

router = APIRouter(tags=["auth"])
log = logging.getLogger("fairtrack.auth")


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int = Field(description="Seconds the access token lives.")
    refresh_token: str = Field(description="Send to /auth/refresh for the next pair; single use.")
    refresh_expires_in: int


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    refresh_token: str = Field(min_length=1, max_length=200)


def _token(pair: tokens.TokenPair) -> Token:
    return Token(
        access_token=pair.access_token,
        expires_in=pair.expires_in,
        refresh_token=pair.refresh_token,
        refresh_expires_in=pair.refresh_expires_in,
    )


@router.post(
    "/auth/token", response_model=Token, responses=responses(NotAuthenticated, RateLimited)
)
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
) -> Token:
    """Only failed attempts count, per (account, address) pair and per address, with a delay that
    doubles after each failure beyond the first few (429 with Retry-After): a correct password from
    an address with no failures is never refused."""
    address = client_address(request)
    try:
        user, pair = units.log_in(session, settings, form.username, form.password, address)
    except NotAuthenticated:
        # Keyed hashes only: enough to correlate attempts, never the email or the address.
        secret = settings.secret_key.get_secret_value()
        log.warning("login refused: account %s, address %s",
                    pseudonym(secret, "account", normalize_email(form.username)),
                    pseudonym(secret, "address", address))
        raise
    log.info("login: user %s", user.id)
    return _token(pair)


@router.post("/auth/refresh", response_model=Token, responses=responses(NotAuthenticated))
def refresh(data: RefreshRequest, session: SessionDep, settings: SettingsDep) -> Token:
    return _token(units.refresh(session, data.refresh_token, settings))
