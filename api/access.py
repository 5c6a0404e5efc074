"""Wires access and hardening into the app: account, key and page routes, the throttles, security
headers, the request size limit, the refusal of NUL characters and deep JSON, and the access log."""

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_swagger_ui_html

from accounts.security import pseudonym
from api import accounts, keys, limits, page_sessions, pages
from api.middleware import AccessLog, RefuseNul, RequestSizeLimit, SecurityHeaders, docs_policy
from fairtrack.settings import Settings


def include_routers(v1: APIRouter) -> None:
    v1.include_router(accounts.router)
    v1.include_router(keys.router)


def _docs_page(app: FastAPI) -> str:
    # Rendered as FastAPI renders /docs, so that its one inline script can be allowed by hash.
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} - Swagger UI",
        oauth2_redirect_url=app.swagger_ui_oauth2_redirect_url,
        init_oauth=app.swagger_ui_init_oauth,
        swagger_ui_parameters=app.swagger_ui_parameters,
    ).body
    return bytes(page).decode()


def install(app: FastAPI, settings: Settings) -> None:
    limits.install(app)
    page_sessions.install(app)
    app.include_router(pages.router)
    special = {app.docs_url: docs_policy([_docs_page(app)])} if app.docs_url else {}
    # Added innermost first. The NUL check answers before any route (PostgreSQL cannot store NUL);
    # the size limit bounds the bodies it reads; every refusal gets the security headers.
    app.add_middleware(RefuseNul)
    app.add_middleware(RequestSizeLimit, max_bytes=settings.max_request_bytes)
    app.add_middleware(SecurityHeaders, special_policies=special)
    secret = settings.secret_key.get_secret_value()

    def who(request: Request) -> str:
        return f"address {pseudonym(secret, 'address', limits.client_address(request))}"

    app.add_middleware(AccessLog, who=who)
