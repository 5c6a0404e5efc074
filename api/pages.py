"""The first server-rendered pages: log in, see your account, log out; the pattern for every
page form (signed session cookie, CSRF token checked before anything changes)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from accounts.page_sessions import PageSession
from accounts.service import authenticate, normalize_email
from api.deps import SessionDep, SettingsDep
from api.limits import LimiterDep, client_address, enforce
from api.page_sessions import (
    TEMPLATES,
    CsrfChecked,
    PageCodecDep,
    PagePerson,
    PageSessionDep,
    save_page_session,
)
from fairtrack.errors import NotAuthenticated

router = APIRouter(include_in_schema=False)


def _login_form(
    request: Request, page: PageSession, codec: PageCodecDep, settings: SettingsDep,
    error: str | None = None, status: int = 200,
) -> Response:
    response = TEMPLATES.TemplateResponse(
        request, "login.html", {"csrf_token": page.csrf, "error": error}, status_code=status
    )
    save_page_session(response, request, codec, page, settings.secure_cookies)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(
    request: Request, page: PageSessionDep, codec: PageCodecDep, settings: SettingsDep
) -> Response:
    return _login_form(request, page, codec, settings)


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    page: CsrfChecked,
    codec: PageCodecDep,
    settings: SettingsDep,
    session: SessionDep,
    limiter: LimiterDep,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    window = settings.login_window_seconds
    enforce(limiter, settings, "login-address", client_address(request),
            settings.login_per_address, window)
    enforce(limiter, settings, "login-account", normalize_email(email),
            settings.login_per_account, window)
    try:
        user = authenticate(session, email, password)
    except NotAuthenticated as exc:
        return _login_form(request, page, codec, settings, exc.message, status=401)
    assert user.id is not None
    response = RedirectResponse("/me", status_code=303)
    save_page_session(response, request, codec, page.logged_in(user.id, user.credentials_version),
                 settings.secure_cookies)
    return response


@router.get("/me", response_class=HTMLResponse)
def my_account(
    request: Request, user: PagePerson, page: PageSessionDep, codec: PageCodecDep,
    settings: SettingsDep,
) -> Response:
    response = TEMPLATES.TemplateResponse(
        request, "me.html", {"user": user, "csrf_token": page.csrf, "lang": user.preferred_language}
    )
    save_page_session(response, request, codec, page, settings.secure_cookies)
    return response


@router.post("/logout")
def logout(
    request: Request, page: CsrfChecked, codec: PageCodecDep, settings: SettingsDep
) -> Response:
    response = RedirectResponse("/login", status_code=303)
    save_page_session(response, request, codec, PageSession.anonymous(), settings.secure_cookies)
    return response
