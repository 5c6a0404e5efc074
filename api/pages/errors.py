"""Refusals on pages answered as pages, in the visitor's language (the API keeps its JSON): not
found, not allowed, a stale form, too many attempts, a broken link, a server error."""

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from accounts.page_sessions import PageSession
from api import errors as api_errors
from api import limits
from api.page_sessions import COOKIE, codec
from api.pages.rendering import Visitor, chosen_language
from fairtrack.errors import DomainError

log = logging.getLogger("fairtrack.pages")
# Everything else the app serves is a page.
NOT_PAGES = ("/api/", "/static/", "/docs", "/redoc", "/openapi.json")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(NOT_PAGES)


def _visitor(request: Request) -> Visitor:
    """The visitor of a refused request, read from its cookies alone (no database)."""
    settings = request.app.state.settings
    session_codec = codec(settings)
    cookie = request.cookies.get(COOKIE)
    page = (session_codec.loads(cookie) if cookie and len(cookie) < 4096 else None) \
        or PageSession.anonymous()
    return Visitor(request, page, session_codec, settings, None, chosen_language(request, None))


def error_page(request: Request, status: int, message: str | None, code: str) -> Response:
    visitor = _visitor(request)
    t = visitor.t
    response = visitor.render("pages/error.html", status=status, status_code=status, code=code,
                              message=t.say(message) if message else None,
                              logged_in=visitor.page.user_id is not None, here="/")
    if status == 429 and isinstance(getattr(request.state, "retry_after", None), int):
        response.headers["Retry-After"] = str(request.state.retry_after)
    return response


async def _domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    if not is_page(request):
        if isinstance(exc, limits.RateLimited):
            return await limits.rate_limited(request, exc)
        return await api_errors.domain_error(request, exc)
    if isinstance(exc, limits.RateLimited):
        request.state.retry_after = exc.retry_after
    return error_page(request, exc.status_code, exc.message, exc.code)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if not is_page(request):
        return await api_errors.http_error(request, exc)
    response = error_page(request, exc.status_code, None,
                          api_errors.HTTP_CODES.get(exc.status_code, "http_error"))
    if exc.status_code == 405:
        response.headers["Allow"] = ", ".join(api_errors.allowed_methods(request))
    return response


async def _validation_error(request: Request, exc: Exception) -> Response:
    if not is_page(request):
        return await api_errors.validation_error(request, exc)
    return error_page(request, 422, None, "invalid_request")


async def _unexpected(request: Request, exc: Exception) -> Response:
    if not is_page(request):
        return await api_errors.unexpected(request, exc)
    log.error("unhandled error on a page: %s", type(exc).__name__)
    return error_page(request, 500, None, "internal")


def install(app: FastAPI) -> None:
    """Installed after api.errors and api.limits: these handlers answer pages and pass the rest on
    (a LoginRequired keeps its own: a redirect to the login form, api.page_sessions)."""
    app.add_exception_handler(DomainError, _domain_error)
    app.add_exception_handler(limits.RateLimited, _domain_error)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(Exception, _unexpected)
