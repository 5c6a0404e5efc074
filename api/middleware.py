"""HTTP hardening around every response: security headers (on every answer, a crash's 500 too), a
request size limit (413), and no NUL characters nor deeply nested JSON in any input (422)."""

import base64
import hashlib
import json
import logging
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from typing import Any
from urllib.parse import unquote_to_bytes

from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# No inline script or style anywhere: pages load their assets from this origin only.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HSTS = "max-age=63072000; includeSubDomains"
# No request of ours nests deeper than a few levels; a body nested deeper is refused before any
# parser or validator walks it (a 671-byte body once recursed into a 500).
MAX_JSON_DEPTH = 32
INTERNAL_ERROR = {"error": "internal", "message": "internal error"}
log = logging.getLogger("fairtrack.api")
_INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.DOTALL)


def _script_hashes(pages: Iterable[str]) -> str:
    return " ".join(
        f"'sha256-{base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()}'"
        for page in pages
        for script in _INLINE_SCRIPT.findall(page)
    )


def docs_policy(pages: Iterable[str]) -> str:
    """Swagger UI (/docs), served from this origin, starts with one inline script: that exact
    script is allowed by its hash (CSP 3), still with no 'unsafe-inline'."""
    return (
        f"default-src 'self'; script-src 'self' {_script_hashes(pages)}; style-src 'self'; "
        f"img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; "
        f"frame-ancestors 'none'"
    )


def redoc_policy() -> str:
    """ReDoc (/redoc), served from this origin, writes its styles at run time (styled-components)
    and parses the schema in a blob: worker: its page alone allows both. It shows only the API's
    own schema and takes no input."""
    return (
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
        "img-src 'self' data:; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; "
        "form-action 'self'; frame-ancestors 'none'"
    )


# The answer to a crash for this request (a page in the visitor's language), or None for the JSON.
CrashAnswer = Callable[[Request, Exception], Awaitable[Response | None]]


class SecurityHeaders:
    def __init__(
        self, app: ASGIApp, special_policies: dict[str, str] | None = None,
        crash_answer: CrashAnswer | None = None,
    ) -> None:
        self.app = app
        self.special_policies = special_policies or {}
        self.crash_answer = crash_answer

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        policy = self.special_policies.get(scope["path"], PAGE_POLICY)
        tls = scope.get("scheme") == "https"

        started = False

        async def with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                headers["Content-Security-Policy"] = policy
                headers["X-Content-Type-Options"] = "nosniff"
                headers["X-Frame-Options"] = "DENY"
                headers["Referrer-Policy"] = "no-referrer"
                headers["Cross-Origin-Opener-Policy"] = "same-origin"
                headers.setdefault("Cache-Control", "no-store")
                if tls:  # on plain HTTP the header is ignored by browsers (RFC 6797 8.1)
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        try:
            await self.app(scope, receive, with_headers)
        except Exception as exc:
            # Starlette's outermost error middleware would answer a crash without our headers:
            # answer it here, then let the error go on to be logged by the handler there.
            if not started:
                await self._answer_crash(scope, receive, with_headers, exc)
            raise

    async def _answer_crash(self, scope: Scope, receive: Receive, send: Send, exc: Exception) -> None:
        answer = None
        if self.crash_answer is not None:
            try:
                answer = await self.crash_answer(Request(scope, receive), exc)
            except Exception as failure:  # the answer to a crash must not crash: plain JSON then
                log.error("the error page could not be rendered: %s", type(failure).__name__)
        if answer is None:
            await _send_json(send, 500, INTERNAL_ERROR)
        else:
            await answer(scope, receive, send)


access_log = logging.getLogger("fairtrack.access")


class AccessLog:
    """One line per request: who (the address's pseudonym, the same keyed hash the refused-login
    lines use, never the address), what (method and path, no query string), the status and the
    time taken. It replaces uvicorn's access log, which prints addresses (`fairtrack serve` turns
    that one off)."""

    def __init__(self, app: ASGIApp, who: Callable[[Request], str]) -> None:
        self.app = app
        self.who = who

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        began = time.perf_counter()
        status = 500  # a crash that sends nothing is logged as what SecurityHeaders answers

        async def noted(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noted)
        finally:
            access_log.info('%s "%s %s" %s %.0f ms', self.who(Request(scope)), scope["method"],
                            scope["path"], status, (time.perf_counter() - began) * 1000)


class _TooLarge(HTTPException):
    """Raised while the route reads a chunked body; FastAPI passes HTTPExceptions through."""

    def __init__(self, max_bytes: int) -> None:
        super().__init__(413, f"the request body is larger than {max_bytes} bytes")


class RequestSizeLimit:
    """Refuses bodies over `max_bytes`: at once by Content-Length, or while reading a chunked one."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length" and (not value.isdigit() or int(value) > self.max_bytes):
                await self._refuse(send)
                return
        received = 0
        started = False

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise _TooLarge(self.max_bytes)
            return message

        async def tracked_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted_receive, tracked_send)
        except _TooLarge:
            if not started:
                await self._refuse(send)

    async def _refuse(self, send: Send) -> None:
        await _send_json(send, 413, {
            "error": "request_too_large",
            "message": f"the request body is larger than {self.max_bytes} bytes",
        })


def _refusal_in(document: Any) -> str | None:
    """What is wrong with a decoded JSON document: too deep, or U+0000 in any string, key or value.

    Walked with a stack, not by recursion: the depth is what is being checked.
    """
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return "nul"
        elif isinstance(value, dict | list):
            if depth > MAX_JSON_DEPTH:
                return "depth"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, item in items:
                if isinstance(key, str) and "\x00" in key:
                    return "nul"
                stack.append((item, depth + 1))
    return None


def _body_refusal(body: bytes, content_type: str) -> str | None:
    """"nul" or "depth" when the body must be refused, else None."""
    if b"\x00" in body:  # raw: invalid in JSON and in forms; no route takes binary uploads
        return "nul"
    if content_type.startswith("application/x-www-form-urlencoded"):
        return "nul" if b"\x00" in unquote_to_bytes(body) else None
    # FastAPI parses a body without a content type as JSON too.
    if not content_type or (content_type.startswith("application/") and "json" in content_type):
        try:
            document = json.loads(body)
        except RecursionError:  # deeper than the parser goes: far deeper than our limit
            return "depth"
        except ValueError:
            return None  # not JSON at all: the route's own parsing answers 400 or 422
        return _refusal_in(document)
    return None


class RefuseNul:
    """Refuses, with one 422, any request with a NUL character (U+0000) in its path, query string,
    headers, or JSON or form body, and any JSON body nested deeper than MAX_JSON_DEPTH.

    PostgreSQL stores no NUL in text or JSONB (psycopg raises DataError: a 500), SQLite stores it:
    refusing it here, before any route, gives one answer on both databases for every field, present
    and future, instead of a check on each. No person types a NUL; it is only ever an attack or a
    bug in the caller.
    """

    BODY_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"]:
            await _refuse_nul(send, "path")
            return
        if b"\x00" in unquote_to_bytes(scope.get("query_string", b"")):
            await _refuse_nul(send, "query string")
            return
        if any(b"\x00" in value for _, value in scope["headers"]):
            await _refuse_nul(send, "headers")
            return
        if scope["method"] not in self.BODY_METHODS:
            await self.app(scope, receive, send)
            return
        # The whole body, to look inside it; RequestSizeLimit, outside this, bounds it.
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            if message["type"] != "http.request":
                return  # the client went away
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        content_type = next((v.decode("latin-1").lower() for k, v in scope["headers"]
                             if k == b"content-type"), "")
        refusal = _body_refusal(body, content_type.strip())
        if refusal == "depth":
            await _send_json(send, 422, {
                "error": "invalid_request",
                "message": f"the JSON body is nested too deeply (more than {MAX_JSON_DEPTH} levels)",
                "where": "body",
            })
            return
        if refusal == "nul":
            await _refuse_nul(send, "body")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


async def _refuse_nul(send: Send, where: str) -> None:
    await _send_json(send, 422, {
        "error": "invalid_request",
        "message": f"the request's {where} contains a NUL character (U+0000), which FairTrack "
                   f"does not accept in any input",
        "where": where,
    })


async def _send_json(send: Send, status: int, content: dict[str, Any]) -> None:
    body = json.dumps(content).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [(b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode())],
    })
    await send({"type": "http.response.body", "body": body})
