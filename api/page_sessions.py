"""Page-session dependencies: the signed session cookie, the CSRF check for every form that
changes something, and the logged-in person a page is for; logging a page session in and out.

Public names pages build on: `PageSessionDep`, `CsrfChecked`, `PagePerson`, `save_page_session`,
`log_in_page` (after a checked login: its server-side record and the cookie's new session) and
`log_out_page` (ends the record; returns an anonymous session to save).
"""

from typing import Annotated

from fastapi import Depends, FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from accounts.models import User
from accounts.page_sessions import PageSession, SessionCodec
from accounts.service import page_person_of
from api.deps import SessionDep, SettingsDep
from casefile.accounts import end_page_session, start_page_session
from fairtrack.database import release
from fairtrack.errors import DomainError, Forbidden
from fairtrack.settings import Settings
from i18n import msg

COOKIE = "ft_session"
CSRF_FIELD = "csrf_token"


class CsrfRejected(Forbidden):
    code = "csrf_rejected"


class LoginRequired(DomainError):
    """A page for logged-in people, asked for without a live session: answered by a redirect."""

    status_code = 303
    code = "login_required"


def codec(settings: SettingsDep) -> SessionCodec:
    return SessionCodec(settings.secret_key.get_secret_value(), settings.session_minutes * 60)


PageCodecDep = Annotated[SessionCodec, Depends(codec)]


def page_session(request: Request, codec: PageCodecDep) -> PageSession:
    """The caller's session, or a new anonymous one (saved by `save_page_session` on the response)."""
    cookie = request.cookies.get(COOKIE)
    found = codec.loads(cookie) if cookie and len(cookie) < 4096 else None
    return found or PageSession.anonymous()


PageSessionDep = Annotated[PageSession, Depends(page_session)]


def save_page_session(
    response: Response, request: Request, codec: SessionCodec, page: PageSession,
    force_secure: bool,
) -> None:
    response.set_cookie(
        COOKIE,
        codec.dumps(page),
        max_age=codec.max_age,
        path="/",
        httponly=True,
        samesite="lax",  # with CSRF tokens on every form; lax keeps links from e-mails working
        secure=force_secure or request.url.scheme == "https",
    )


async def csrf_checked(request: Request, page: PageSessionDep) -> PageSession:
    """For every form route that changes something: the form's token must be the session's."""
    form = await request.form()
    token = form.get(CSRF_FIELD)
    if not page.accepts(token if isinstance(token, str) else None):
        raise CsrfRejected(msg("the form's security token is missing or stale; reload the page"))
    return page


CsrfChecked = Annotated[PageSession, Depends(csrf_checked)]


def log_in_page(session: SessionDep, settings: Settings, page: PageSession, user: User) -> PageSession:
    """The session to save after a successful login: a server-side record, a new CSRF token."""
    assert user.id is not None
    token = start_page_session(session, settings, user)
    return page.logged_in(user.id, user.credentials_version, token)


def log_out_page(session: SessionDep, page: PageSession) -> PageSession:
    """Ends the session's server-side record (a copied cookie dies with it); the anonymous session
    to save in its place."""
    end_page_session(session, page.token)
    return PageSession.anonymous()


def page_person(page: PageSessionDep, session: SessionDep) -> User:
    """The logged-in person; a missing, stale, logged-out, revoked or password-changed session goes
    to /login."""
    user = page_person_of(session, page.user_id, page.credentials_version, page.token)
    release(session)  # no connection held while the request waits for a thread to run its page
    if user is None:
        raise LoginRequired(msg("log in first"))
    return user


PagePerson = Annotated[User, Depends(page_person)]


async def _to_login(_: Request, exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


def install(app: FastAPI) -> None:
    app.add_exception_handler(LoginRequired, _to_login)
