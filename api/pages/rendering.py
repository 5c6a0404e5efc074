"""What every page shares: the visitor (page session, account, language), the one template
environment per language, and rendering with the session cookie saved on every answer.

A page is for a `Visitor` (anyone), an `ApplicantVisitor` (logged-in applicants); a form that
changes something takes the `Checked...` variant, whose CSRF token was checked before the route.
"""

from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment
from sqlalchemy.orm import Session

from accounts.actor import Actor
from accounts.models import User
from accounts.page_sessions import PageSession, SessionCodec
from accounts.service import actor_of, page_person_of
from api.deps import SessionDep, SettingsDep
from api.page_sessions import (
    CSRF_FIELD,
    LoginRequired,
    PageCodecDep,
    PageSessionDep,
    csrf_checked,
    save_page_session,
)
from api.pages.assets import asset_url
from fairtrack.database import release
from fairtrack.errors import Forbidden
from fairtrack.settings import Settings
from i18n import DEFAULT_LANGUAGE, LANGUAGES, Language, Translator, msg, negotiate, translator
from i18n.messages import N_
from i18n.templating import environment
from law.road import Role

# The language an anonymous visitor chose (an account keeps its own in users.preferred_language).
LANGUAGE_COOKIE = "ft_lang"
YEAR = 365 * 24 * 3600


def chosen_language(request: Request, person: User | None) -> Language:
    """The account's language; else this browser's choice; else its Accept-Language; else English."""
    if person is not None and person.preferred_language in LANGUAGES:
        return person.preferred_language
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie  # type: ignore[return-value]
    return negotiate(request.headers.get("accept-language")) or DEFAULT_LANGUAGE


def local_path(target: str | None, fallback: str = "/") -> str:
    """A path on this site to return to; anything else (another host, a scheme) is the fallback."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return fallback
    return target


@dataclass
class Visitor:
    """One page request: who asks (perhaps nobody), in which language, with which page session."""

    request: Request
    page: PageSession
    codec: SessionCodec
    settings: Settings
    person: User | None
    lang: Language
    status: int = 200
    extra_cookies: dict[str, str] = field(default_factory=dict)

    @property
    def t(self) -> Translator:
        return translator(self.lang)

    @property
    def env(self) -> Environment:
        return environment(self.lang)

    @property
    def actor(self) -> Actor:
        if self.person is None:
            raise LoginRequired(msg("log in first"))
        return actor_of(self.person)

    def here(self) -> str:
        """Where the language toggle brings this visitor back: this page, if it can be asked for
        again (GET), else what the page says."""
        if self.request.method == "GET":
            query = self.request.url.query
            return self.request.url.path + (f"?{query}" if query else "")
        return "/"

    def render(self, template: str, status: int = 200, **context: Any) -> Response:
        context.setdefault("here", self.here())
        context.setdefault("breadcrumbs", [])
        context.setdefault("errors", {})
        html = self.env.get_template(template).render(
            visitor=self, person=self.person, csrf_token=self.page.csrf, csrf_field=CSRF_FIELD,
            asset=asset_url, **context,
        )
        return self.finish(HTMLResponse(html, status_code=status))

    def redirect(self, url: str, **query: str) -> Response:
        target = url + (f"?{urlencode(query)}" if query else "")
        return self.finish(RedirectResponse(target, status_code=303))

    def finish(self, response: Response) -> Response:
        save_page_session(response, self.request, self.codec, self.page,
                          self.settings.secure_cookies)
        for name, value in self.extra_cookies.items():
            response.set_cookie(name, value, max_age=YEAR, path="/", httponly=True, samesite="lax",
                                secure=self.settings.secure_cookies or self.request.url.scheme == "https")
        return response


def live_person(session: Session, page: PageSession) -> User | None:
    """The account a page session is for, while its server-side record lives (not logged out, not
    revoked by an administrator, no password change since, account active)."""
    return page_person_of(session, page.user_id, page.credentials_version, page.token)


def _visitor(
    request: Request, page: PageSession, codec: SessionCodec, settings: Settings, session: Session
) -> Visitor:
    person = live_person(session, page)
    release(session)  # no connection held while the request waits for a thread to run its page
    if person is None and page.user_id is not None:
        page = PageSession.anonymous()  # a dead session: a copied cookie after logout, and so on
    return Visitor(request, page, codec, settings, person, chosen_language(request, person))


def visitor(
    request: Request, page: PageSessionDep, codec: PageCodecDep, settings: SettingsDep,
    session: SessionDep,
) -> Visitor:
    return _visitor(request, page, codec, settings, session)


def checked_visitor(
    request: Request, page: Annotated[PageSession, Depends(csrf_checked)], codec: PageCodecDep,
    settings: SettingsDep, session: SessionDep,
) -> Visitor:
    """Not async: it reads the database (the session's record), which must not block the event loop
    (the form itself is read by the async csrf_checked)."""
    return _visitor(request, page, codec, settings, session)


def _applicant(visitor: Visitor) -> Visitor:
    if visitor.person is None:
        raise LoginRequired(msg("log in first"))
    if visitor.person.role != Role.applicant:
        raise Forbidden(msg("these pages are for applicants"))
    return visitor


def applicant_visitor(visitor: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    return _applicant(visitor)


def checked_applicant(visitor: Annotated[Visitor, Depends(checked_visitor)]) -> Visitor:
    return _applicant(visitor)


def _role(visitor: Visitor, roles: frozenset[Role], refusal: str) -> Visitor:
    if visitor.person is None:
        raise LoginRequired(msg("log in first"))
    if visitor.person.role not in roles:
        raise Forbidden(msg(refusal))
    return visitor


STAFF = frozenset({Role.regulator, Role.assessor, Role.tribunal})
STAFF_ONLY = N_("these pages are for the staff of regulators, assessors and tribunals")
OVERSIGHT_ONLY = N_("these pages are for fairness staff")
ADMIN_ONLY = N_("these pages are for administrators")


def staff_visitor(visitor: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    return _role(visitor, STAFF, STAFF_ONLY)


def checked_staff(visitor: Annotated[Visitor, Depends(checked_visitor)]) -> Visitor:
    return _role(visitor, STAFF, STAFF_ONLY)


def oversight_visitor(visitor: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    return _role(visitor, frozenset({Role.oversight}), OVERSIGHT_ONLY)


def checked_oversight(visitor: Annotated[Visitor, Depends(checked_visitor)]) -> Visitor:
    return _role(visitor, frozenset({Role.oversight}), OVERSIGHT_ONLY)


def admin_visitor(visitor: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    return _role(visitor, frozenset({Role.admin}), ADMIN_ONLY)


def checked_admin(visitor: Annotated[Visitor, Depends(checked_visitor)]) -> Visitor:
    return _role(visitor, frozenset({Role.admin}), ADMIN_ONLY)


def person_visitor(visitor: Annotated[Visitor, Depends(visitor)]) -> Visitor:
    if visitor.person is None:
        raise LoginRequired(msg("log in first"))
    return visitor


# Anyone; anyone sending a form; logged-in applicants; their forms; any logged-in person.
AnyVisitor = Annotated[Visitor, Depends(visitor)]
CheckedVisitor = Annotated[Visitor, Depends(checked_visitor)]
ApplicantVisitor = Annotated[Visitor, Depends(applicant_visitor)]
CheckedApplicant = Annotated[Visitor, Depends(checked_applicant)]
PersonVisitor = Annotated[Visitor, Depends(person_visitor)]
# Staff of regulators, assessors and tribunals (their work queue and files); their forms.
StaffVisitor = Annotated[Visitor, Depends(staff_visitor)]
CheckedStaff = Annotated[Visitor, Depends(checked_staff)]
# Fairness staff (the oversight dashboard, flags); their forms (flag triage).
OversightVisitor = Annotated[Visitor, Depends(oversight_visitor)]
CheckedOversight = Annotated[Visitor, Depends(checked_oversight)]
# Administrators (API keys, users); their forms.
AdminVisitor = Annotated[Visitor, Depends(admin_visitor)]
CheckedAdmin = Annotated[Visitor, Depends(checked_admin)]
