"""The interactive API documentation (/docs, Swagger UI; /redoc, ReDoc) with their scripts and styles
served by the app from the fastapi-offline package: nothing from a CDN, so they work offline.

Each page has its own Content-Security-Policy (api/middleware.py): Swagger UI's one inline start-up
script is allowed by its hash; ReDoc writes its styles at run time (styled-components) and parses
the schema in a worker, so its page alone allows inline styles and blob: workers. Neither page
takes input from a person or shows personal data.
"""

from pathlib import Path
from typing import Any

import fastapi_offline
from fastapi import APIRouter, FastAPI
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from fastapi.responses import HTMLResponse
from starlette.responses import Response
from starlette.staticfiles import StaticFiles

DOCS_URL, REDOC_URL, OAUTH2_REDIRECT_URL = "/docs", "/redoc", "/docs/oauth2-redirect"
ASSETS_URL = "/docs-assets"
ASSETS_DIR = Path(fastapi_offline.__file__).resolve().parent / "static"


class DocsAssets(StaticFiles):
    """The documentation's scripts and styles: kept a day by browsers, then checked again (ETag);
    they change only when the fastapi-offline package does."""

    def file_response(self, *args: Any, **kwargs: Any) -> Response:
        response = super().file_response(*args, **kwargs)
        response.headers["Cache-Control"] = "public, max-age=86400"
        return response


def swagger_page(app: FastAPI) -> str:
    page = get_swagger_ui_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} - Swagger UI",
        swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
        swagger_favicon_url="data:,",
        oauth2_redirect_url=OAUTH2_REDIRECT_URL,
        swagger_ui_parameters=app.swagger_ui_parameters,
    ).body
    return bytes(page).decode()


def redoc_page(app: FastAPI) -> str:
    page = get_redoc_html(
        openapi_url=app.openapi_url or "/openapi.json",
        title=f"{app.title} - ReDoc",
        redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
        redoc_favicon_url="data:,",
        with_google_fonts=False,
    ).body
    return bytes(page).decode()


def oauth2_redirect_page() -> str:
    return bytes(get_swagger_ui_oauth2_redirect_html().body).decode()


def install(app: FastAPI) -> dict[str, str]:
    """Serve the two documentation pages and their assets; returns {path: page html} for the
    security headers (each page's policy is computed from its own html)."""
    pages = {DOCS_URL: swagger_page(app), REDOC_URL: redoc_page(app),
             OAUTH2_REDIRECT_URL: oauth2_redirect_page()}
    router = APIRouter(include_in_schema=False)

    @router.get(DOCS_URL, response_class=HTMLResponse)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(pages[DOCS_URL])

    @router.get(OAUTH2_REDIRECT_URL, response_class=HTMLResponse)
    def swagger_ui_redirect() -> HTMLResponse:
        return HTMLResponse(pages[OAUTH2_REDIRECT_URL])

    @router.get(REDOC_URL, response_class=HTMLResponse)
    def redoc() -> HTMLResponse:
        return HTMLResponse(pages[REDOC_URL])

    app.include_router(router)
    app.mount(ASSETS_URL, DocsAssets(directory=ASSETS_DIR), name="docs-assets")
    return pages
