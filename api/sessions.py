"""Page-session dependencies: the signed session cookie, the CSRF check for every form that
changes something, and the logged-in person a page is for."""

from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import RedirectResponse
from fastapi.templating import Jinja2Templates

from accounts.models import User
from accounts.sessions import PageSession, SessionCodec
from api.deps import ReaderDep, SettingsDep
from fairtrack.errors import DomainError, Forbidden

COOKIE = "ft_session"
CSRF_FIELD = "csrf_token"
TEMPLATES = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")


class CsrfRejected(Forbidden):
    code = "csrf_rejected"


class LoginRequired(DomainError):
    """A page for logged-in people, asked for without a live session: answered by a redirect."""

    status_code = 303
    code = "login_required"


def codec(settings: SettingsDep) -> SessionCodec:
    return SessionCodec(settings.secret_key.get_secret_value(), settings.session_minutes * 60)


CodecDep = Annotated[SessionCodec, Depends(codec)]


def page_session(request: Request, sessions: CodecDep) -> PageSession:
    """The caller's session, or a new anonymous one (saved by `save_session` on the response)."""
    cookie = request.cookies.get(COOKIE)
    found = sessions.loads(cookie) if cookie and len(cookie) < 4096 else None
    return found or PageSession.anonymous()


SessionDep = Annotated[PageSession, Depends(page_session)]


def save_session(
    response: Response, request: Request, sessions: SessionCodec, session: PageSession,
    force_secure: bool,
) -> None:
    response.set_cookie(
        COOKIE,
        sessions.dumps(session),
        max_age=sessions.max_age,
        path="/",
        httponly=True,
        samesite="lax",  # with CSRF tokens on every form; lax keeps links from e-mails working
        secure=force_secure or request.url.scheme == "https",
    )


async def csrf_checked(request: Request, session: SessionDep) -> PageSession:
    """For every form route that changes something: the form's token must be the session's."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not session.accepts(token if isinstance(token, str) else None):
        raise CsrfRejected("the form's security token is missing or stale; reload the page")
    return session


CsrfChecked = Annotated[PageSession, Depends(csrf_checked)]


def page_person(session: SessionDep, reader: ReaderDep) -> User:
    """The logged-in person; a missing, stale or password-changed session goes to /login."""
    user = reader.get(User, session.user_id) if session.user_id is not None else None
    if user is None or not user.is_active or user.credentials_version != session.credentials_version:
        raise LoginRequired("log in first")
    return user


PagePerson = Annotated[User, Depends(page_person)]


async def _to_login(_: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


def install(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _to_login)
