"""Account pages: log in, sign up, log out, your account, and the language switch.

Each form carries the session's CSRF token (checked before the route runs); a login starts a new
session (new token, and a server-side record that logout, a password change or an administrator's
revocation end), so a token planted before it is worth nothing and a copied cookie dies with it.
Logins and sign-ups are throttled by the same units of work as the API's.
"""

from typing import Annotated

from fastapi import APIRouter, Form
from fastapi.responses import HTMLResponse, Response

from api.deps import RegistryDep, SessionDep
from api.limits import client_address
from api.page_sessions import log_in_page, log_out_page
from api.pages.forms import field_errors, form_text
from api.pages.rendering import (
    LANGUAGE_COOKIE,
    AnyVisitor,
    CheckedVisitor,
    PersonVisitor,
    Visitor,
    local_path,
)
from casefile import accounts as units
from fairtrack.errors import InvalidRequest, NotAuthenticated
from i18n import LANGUAGES

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Form(max_length=1000)]


# Where each role's pages begin (the staff's queue, fairness staff's dashboard, the keys).
HOMES = {"applicant": "/applications", "regulator": "/staff/queue", "assessor": "/staff/queue",
         "tribunal": "/staff/queue", "oversight": "/oversight", "admin": "/admin/keys"}


def _home_of(visitor: Visitor) -> str:
    return HOMES.get(visitor.person.role, "/me") if visitor.person else "/me"


def _login_form(visitor: Visitor, email: str = "", errors: dict[str, str] | None = None,
                status: int = 200) -> Response:
    t = visitor.t
    return visitor.render("pages/login.html", status=status, email=email, errors=errors or {},
                          breadcrumbs=[(t.gettext("Home"), "/")])


@router.get("/login", response_class=HTMLResponse)
def login_page(visitor: AnyVisitor) -> Response:
    return _login_form(visitor)


@router.post("/login", response_class=HTMLResponse)
def login(
    visitor: CheckedVisitor, session: SessionDep, email: Text = "", password: Text = "",
) -> Response:
    """Throttled like the API's logins (only failures count: casefile.accounts.check_login); a
    RateLimited becomes the 429 page (api.pages.errors). The session gets its server-side record."""
    try:
        user = units.check_login(session, visitor.settings, email, password,
                                 client_address(visitor.request))
    except NotAuthenticated as exc:
        return _login_form(visitor, email, {"email": visitor.t.say(exc.message)}, status=401)
    visitor.page = log_in_page(session, visitor.settings, visitor.page, user)
    visitor.person = user
    return visitor.redirect(_home_of(visitor))


def _signup_form(visitor: Visitor, email: str = "", errors: dict[str, str] | None = None,
                 status: int = 200) -> Response:
    t = visitor.t
    return visitor.render("pages/signup.html", status=status, email=email, errors=errors or {},
                          breadcrumbs=[(t.gettext("Home"), "/")])


@router.get("/signup", response_class=HTMLResponse)
def signup_page(visitor: AnyVisitor) -> Response:
    return _signup_form(visitor)


@router.post("/signup", response_class=HTMLResponse)
def signup(
    visitor: CheckedVisitor, session: SessionDep, registry: RegistryDep,
    email: Text = "", password: Text = "", password_again: Text = "",
) -> Response:
    """An applicant account in the language the visitor reads now; logged in at once."""
    t = visitor.t
    if password != password_again:
        return _signup_form(visitor, email, {"password_again": t.gettext(
            "The two passwords are not the same")}, status=422)
    try:  # counted per address by casefile.accounts.register (RateLimited: the 429 page)
        user = units.register(session, registry, visitor.settings, email=email, password=password,
                              preferred_language=visitor.lang,
                              address=client_address(visitor.request))
    except InvalidRequest as exc:
        return _signup_form(visitor, email, field_errors(t, exc, "email"), status=422)
    visitor.page = log_in_page(session, visitor.settings, visitor.page, user)
    visitor.person = user
    return visitor.redirect("/applications", welcome="1")


@router.post("/logout")
def logout(visitor: CheckedVisitor, session: SessionDep) -> Response:
    """Ends the session on the server too: a copy of the cookie stops working at once."""
    visitor.page = log_out_page(session, visitor.page)
    visitor.person = None
    # The language stays with the browser: the next visitor here reads what this one read.
    visitor.extra_cookies[LANGUAGE_COOKIE] = visitor.lang
    return visitor.redirect("/login")


@router.get("/me", response_class=HTMLResponse)
def my_account(visitor: PersonVisitor) -> Response:
    t = visitor.t
    return visitor.render("pages/me.html", user=visitor.person,
                          breadcrumbs=[(t.gettext("Home"), "/")])


@router.post("/language")
def switch_language(
    visitor: CheckedVisitor, session: SessionDep, to: Text = "", next: Text = "/",
) -> Response:
    """The language toggle on every page: kept in the account (if logged in) and this browser."""
    chosen = form_text(to)
    if chosen not in LANGUAGES:
        chosen = visitor.lang
    if visitor.person is not None and visitor.person.preferred_language != chosen:
        units.set_language(session, visitor.actor, chosen)
    visitor.extra_cookies[LANGUAGE_COOKIE] = chosen
    return visitor.redirect(local_path(next))
