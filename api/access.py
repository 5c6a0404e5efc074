"""Wires access and hardening into the app: account, key and page routes, the throttles, security
headers, the request size limit, the refusal of NUL characters and deep JSON, and the access log."""

from fastapi import APIRouter, FastAPI, Request

from accounts.security import pseudonym
from api import accounts, docs, keys, limits, page_sessions, pages
from api.middleware import (
    AccessLog,
    RefuseNul,
    RequestSizeLimit,
    SecurityHeaders,
    docs_policy,
    redoc_policy,
)
from api.pages.errors import crash_answer
from fairtrack.settings import Settings


def include_routers(v1: APIRouter) -> None:
    v1.include_router(accounts.router)
    v1.include_router(keys.router)


def install(app: FastAPI, settings: Settings) -> None:
    limits.install(app)
    page_sessions.install(app)
    pages.install(app)
    documentation = docs.install(app)
    special = {
        docs.DOCS_URL: docs_policy([documentation[docs.DOCS_URL]]),
        docs.OAUTH2_REDIRECT_URL: docs_policy([documentation[docs.OAUTH2_REDIRECT_URL]]),
        docs.REDOC_URL: redoc_policy(),
    }
    # Added innermost first. The NUL check answers before any route (PostgreSQL cannot store NUL);
    # the size limit bounds the bodies it reads; every refusal gets the security headers (a crash's
# too: a page's in the visitor's language, the API's as JSON).
    app.add_middleware(RefuseNul)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders, special_policies=special, crash_answer=crash_answer)
    secret = settings.secret_key.get_secret_value()

    def who(request: Request) -> str:
        return f"address {pseudonym(secret, 'address', limits.client_address(request))}"

    app.add_middleware(AccessLog, who=who)
