"""One mapping from errors to JSON responses: every refusal has a status and a message."""

import logging
import re
from functools import lru_cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import iter_route_contexts
from pydantic import BaseModel, ConfigDict
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException
from starlette.routing import compile_path

from fairtrack.errors import DomainError
from fairtrack.migrate import pending_advice, schema_missing

log = logging.getLogger("fairtrack.api")


class ErrorModel(BaseModel):
    """Every error answer: a stable code, a sentence for people, and details where useful."""

    model_config = ConfigDict(extra="allow")
    error: str
    message: str


def _describe(errors: list[Any]) -> str:
    parts = []
    for err in errors[:5]:
        where = ".".join(str(p) for p in err.get("loc", ()) if p != "body")
        parts.append(f"{where}: {err.get('msg')}" if where else str(err.get("msg")))
    return "; ".join(parts) or "invalid request"


# Seconds a client is asked to wait after a 503: the waits that cause one are bounded by seconds.
RETRY_AFTER = 2


async def domain_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    headers = None
    if exc.status_code == 401:
        headers = {"WWW-Authenticate": "Bearer"}
    elif exc.status_code == 503:  # every 503 says when to come back (migrations pending, busy)
        headers = {"Retry-After": str(RETRY_AFTER)}
    return JSONResponse(exc.body(), status_code=exc.status_code, headers=headers)


async def validation_error(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
        for e in exc.errors()
    ]
    body = {"error": "invalid_request", "message": _describe(errors), "errors": errors}
    return JSONResponse(body, status_code=422)


HTTP_CODES = {400: "malformed_body", 404: "not_found", 405: "method_not_allowed"}


@lru_cache(maxsize=1024)
def _path_pattern(template: str) -> re.Pattern[str]:
    return compile_path(template)[0]


def allowed_methods(request: Request) -> list[str]:
    """Every method some route serves at this path: Starlette's 405 names only the first route's."""
    methods: set[str] = set()
    for context in iter_route_contexts(request.app.routes):
        if context.path and context.methods and _path_pattern(context.path).match(request.url.path):
            methods |= set(context.methods)
    return sorted(methods)


async def http_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, HTTPException)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = ", ".join(allowed_methods(request))
    return JSONResponse(
        {"error": HTTP_CODES.get(exc.status_code, "http_error"), "message": str(exc.detail)},
        status_code=exc.status_code,
        headers=headers,
    )


async def database_error(request: Request, exc: Exception) -> JSONResponse:
    """A database error: migrations pending (503, say to upgrade), the database busy (503), or a
    bug (500)."""
    assert isinstance(exc, DBAPIError)
    if schema_missing(exc):
        return await domain_error(request, pending_advice())
    if isinstance(exc, OperationalError):
        return await database_busy(request, exc)
    return await unexpected(request, exc)


async def database_busy(_: Request, exc: Exception) -> JSONResponse:
    """No connection free within the pool timeout, a lock not granted within the lock timeout, a
    statement over the statement timeout, a database that does not answer: the caller's request
    was fine and nothing was written (the unit of work rolled back); it may retry."""
    cause = getattr(exc, "orig", None) or exc
    log.warning("database busy: %s", type(cause).__name__)
    return JSONResponse(
        {"error": "database_busy", "message": "the database is busy; nothing was changed, retry "
                                              f"in {RETRY_AFTER} seconds"},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER)},
    )


async def unexpected(_: Request, exc: Exception) -> JSONResponse:
    log.error("unhandled error: %s", type(exc).__name__)
    return JSONResponse({"error": "internal", "message": "internal error"}, status_code=500)


MALFORMED_BODY = {
    "model": ErrorModel,
    "description": "malformed_body: the body could not be read (not UTF-8, or a broken form)",
}


def document_common_answers(app: FastAPI) -> None:
    """Answers any route may give, added to the OpenAPI spec once rather than to every route:
    400 for a body that cannot be read, wherever a route takes a body; 503 when the database is
    busy (every route reads it)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = build()
            error_ref = {"$ref": "#/components/schemas/ErrorModel"}
            schema.setdefault("components", {}).setdefault("schemas", {}).setdefault(
                "ErrorModel", ErrorModel.model_json_schema())
            for item in schema.get("paths", {}).values():
                for operation in item.values():
                    if not isinstance(operation, dict) or "responses" not in operation:
                        continue
                    operation["responses"].setdefault("503", {
                        "description": "database_busy or migrations_pending: retry later",
                        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                        "content": {"application/json": {"schema": error_ref}},
                    })
                    if "requestBody" in operation:
                        operation["responses"].setdefault("400", {
                            "description": MALFORMED_BODY["description"],
                            "content": {"application/json": {"schema": error_ref}},
                        })
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(PoolTimeout, database_busy)
    app.add_exception_handler(DBAPIError, database_error)
    app.add_exception_handler(Exception, unexpected)
    document_common_answers(app)


def responses(*errors: type[DomainError]) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` for the domain errors a route may raise."""
    out: dict[int | str, dict[str, Any]] = {}
    for error in errors:
        entry = out.setdefault(error.status_code, {"model": ErrorModel, "description": ""})
        entry["description"] = ", ".join(filter(None, [entry["description"], error.code]))
    return out
