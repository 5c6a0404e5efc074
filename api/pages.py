"""The first server-rendered pages: log in, see your account, log out; the pattern for every
page form (signed session cookie, CSRF token checked before anything changes)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from accounts.page_sessions import PageSession
from api.deps import SessionDep, SettingsDep
from api.limits import client_address
from api.page_sessions import (
    TEMPLATES,
    CsrfChecked,
    PageCodecDep,
    PagePerson,
    PageSessionDep,
    log_in_page,
    log_out_page,
    save_page_session,
)
from casefile.accounts import check_login
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
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1000)],
) -> Response:
    try:  # throttled like the API's logins: only failures count (casefile.accounts.check_login)
        user = check_login(session, settings, email, password, client_address(request))
    except NotAuthenticated as exc:
        return _login_form(request, page, codec, settings, exc.message, status=401)
    response = RedirectResponse("/me", status_code=303)
    save_page_session(response, request, codec, log_in_page(session, settings, page, user),
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
    request: Request, page: CsrfChecked, codec: PageCodecDep, settings: SettingsDep,
    session: SessionDep,
) -> Response:
    """Ends the session on the server too: a copy of the cookie stops working at once."""
    response = RedirectResponse("/login", status_code=303)
    save_page_session(response, request, codec, log_out_page(session, page),
                      settings.secure_cookies)
    return response
