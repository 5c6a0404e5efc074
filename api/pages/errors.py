"""Refusals on pages answered as pages, in the visitor's language (the API keeps its JSON): not
found, not allowed, a stale form, too many attempts, a busy database, a broken link, a server error."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from accounts.models import User
from accounts.page_sessions import PageSession
from api import errors as api_errors
from api import limits
from api.page_sessions import COOKIE, codec
from api.pages.rendering import Visitor, chosen_language, live_person
from fairtrack.errors import DomainError
from fairtrack.migrate import schema_missing

log = logging.getLogger("fairtrack.pages")
# Everything else the app serves is a page.
NOT_PAGES = ("/api/", "/static/", "/docs", "/redoc", "/openapi.json")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(NOT_PAGES)


def _person(request: Request, page: PageSession) -> User | None:
    """The page session's person if its server-side record lives, read in a short session of its
    own (the request's is closed by now); nobody when the database cannot say."""
    try:
        with request.app.state.sessions() as session:
            return live_person(session, page)
    except SQLAlchemyError:
        return None


async def _visitor(request: Request, status: int) -> Visitor:
    """The visitor of a refused request. A logged-in cookie counts only while its server-side
    record lives (a copied cookie after logout, a password change or a revocation is nobody's, as
    on every page); on a 5xx the database is not asked (it may be the cause) and the page is shown
    as to an anonymous visitor, the cookie kept as it came."""
    settings = request.app.state.settings
    session_codec = codec(settings)
    cookie = request.cookies.get(COOKIE)
    page = (session_codec.loads(cookie) if cookie and len(cookie) < 4096 else None) \
        or PageSession.anonymous()
    person = None
    if page.user_id is not None and status < 500:
        person = await run_in_threadpool(_person, request, page)
        if person is None:
            page = PageSession.anonymous()
    return Visitor(request, page, session_codec, settings, person, chosen_language(request, person))


async def error_page(
    request: Request, status: int, message: str | None, code: str,
    headers: dict[str, str] | None = None,
) -> Response:
    visitor = await _visitor(request, status)
    t = visitor.t
    response = visitor.render("pages/error.html", status=status, status_code=status, code=code,
                              message=t.say(message) if message else None,
                              logged_in=visitor.person is not None, here="/")
    response.headers.update(headers or {})
    return response


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if not is_page(request):
        if isinstance(exc, limits.RateLimited):
            return await limits.rate_limited(request, exc)
        return await api_errors.domain_error(request, exc)
    headers = None
    if isinstance(exc, limits.RateLimited):
        headers = {"Retry-After": str(exc.retry_after)}
    return await error_page(request, exc.status_code, exc.message, exc.code, headers)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not is_page(request):
        return await api_errors.http_error(request, exc)
    headers = {"Allow": ", ".join(api_errors.allowed_methods(request))} \
        if exc.status_code == 405 else None
    return await error_page(request, exc.status_code, None,
                            api_errors.HTTP_CODES.get(exc.status_code, "http_error"), headers)


async def _validation_error(request: Request, exc: Exception) -> Response:
    if not is_page(request):
        return await api_errors.validation_error(request, exc)
    return await error_page(request, 422, None, "invalid_request")


async def _database_error(request: Request, exc: Exception) -> Response:
    """Migrations pending or the database busy: a 503 page; any other database error is a crash."""
    if not is_page(request):
        return await api_errors.database_error(request, exc)
    assert isinstance(exc, DBAPIError)
    if schema_missing(exc):  # the operator's task; the visitor sees the busy page and may retry
        log.warning("migrations pending: a page found the schema older than the code")
        return await error_page(request, 503, None, "migrations_pending",
                                {"Retry-After": str(api_errors.RETRY_AFTER)})
    if not isinstance(exc, OperationalError):
        raise exc
    return await _database_busy(request, exc)


async def _database_busy(request: Request, exc: Exception) -> Response:
    if not is_page(request):
        return await api_errors.database_busy(request, exc)
    log.warning("database busy on a page: %s", type(getattr(exc, "orig", None) or exc).__name__)
    return await error_page(request, 503, None, "database_busy",
                            {"Retry-After": str(api_errors.RETRY_AFTER)})


async def crash_answer(request: Request, exc: Exception) -> Response | None:
    """A crash's answer on a page: the 500 page in the visitor's language, given by SecurityHeaders
    so that it carries the headers (None: the API's JSON). The app's handler logs the crash."""
    if not is_page(request):
        return None
    return await error_page(request, 500, None, "internal")


def install(app: FastAPI) -> None:
    """Installed after api.errors and api.limits: these handlers answer pages and pass the rest on
    (a LoginRequired keeps its own: a redirect to the login form, api.page_sessions). A crash is
    answered by `crash_answer`, through api.middleware.SecurityHeaders."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(limits.RateLimited, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(PoolTimeout, _database_busy)
    app.add_exception_handler(DBAPIError, _database_error)
