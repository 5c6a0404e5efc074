"""Rate limits on logins and registrations, per account and per address, answered with 429.

The limiter lives in this process's memory: enough for one server process (the deployment this
project ships); several processes or hosts each count on their own, so the effective limit is
multiplied by their number (docs/security.md). Keys are keyed hashes, never emails or addresses.
"""

import math
import threading
import time
from collections import deque
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from accounts.security import pseudonym
from api.deps import SettingsDep
from fairtrack.errors import DomainError
from i18n import msg

# Beyond this many tracked keys the oldest are dropped: an attacker rotating addresses cannot grow
# our memory without bound (they get, at worst, a fresh window).
MAX_KEYS = 100_000


class RateLimited(DomainError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message, retry_after=retry_after)
        self.retry_after = retry_after


class SlidingWindowLimiter:
    """At most `limit` hits per key in any `window` seconds."""

    def __init__(self) -> None:
        self._hits: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def hit(self, key: str, limit: int, window: float, now: float | None = None) -> int:
        """Count one hit; return 0, or the seconds to wait when the key is over its limit."""
        now = time.monotonic() if now is None else now
        with self._lock:
            hits = self._hits.pop(key, None) or deque()
            while hits and hits[0] <= now - window:
                hits.popleft()
            self._hits[key] = hits  # re-inserted: the dict's order is least recently used first
            if len(hits) >= limit:
                return max(1, math.ceil(hits[0] + window - now))
            hits.append(now)
            while len(self._hits) > MAX_KEYS:
                del self._hits[next(iter(self._hits))]
            return 0

    def reset(self) -> None:
        with self._lock:
            self._hits.clear()


def limiter_of(request: Request) -> SlidingWindowLimiter:
    return request.app.state.limiter  # type: ignore[no-any-return]


LimiterDep = Annotated[SlidingWindowLimiter, Depends(limiter_of)]


def client_address(request: Request) -> str:
    # The connecting address; behind a reverse proxy run uvicorn with --proxy-headers and
    # --forwarded-allow-ips so that this is the client's, not the proxy's.
    return request.client.host if request.client else "unknown"


def enforce(
    limiter: SlidingWindowLimiter, settings: SettingsDep, kind: str, identifier: str, limit: int,
    window: int,
) -> None:
    key = pseudonym(settings.secret_key.get_secret_value(), kind, identifier)
    wait = limiter.hit(key, limit, window)
    if wait:
        raise RateLimited(msg("too many attempts; try again in {seconds} seconds", seconds=wait),
                          retry_after=wait)


async def rate_limited(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return JSONResponse(
        exc.body(), status_code=exc.status_code, headers={"Retry-After": str(exc.retry_after)}
    )


def install(app: FastAPI) -> None:
    app.state.limiter = SlidingWindowLimiter()
    app.add_exception_handler(RateLimited, rate_limited)
