"""OAuth2 password flow: trade an email and password for a signed, expiring bearer token."""

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from accounts.security import issue_token
from accounts.service import authenticate
from api.deps import ReaderDep, SettingsDep
from api.errors import responses
from fairtrack.errors import NotAuthenticated

router = APIRouter(tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


@router.post("/auth/token", response_model=Token, responses=responses(NotAuthenticated))
def token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    session: ReaderDep,
    settings: SettingsDep,
) -> Token:
    user = authenticate(session, form.username, form.password)
    assert user.id is not None
    minutes = settings.access_token_minutes
    return Token(
        access_token=issue_token(user.id, settings.secret_key.get_secret_value(), minutes),
        expires_in=minutes * 60,
    )
