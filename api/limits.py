"""Throttles and limits, answered with 429 and Retry-After; the client's address they key on.

The counters live in the database (accounts.models.Throttle: PostgreSQL or SQLite, whichever the
app runs on), so every server process counts together and a restart forgets nothing. Keys are keyed
hashes, never emails or addresses. Logins and password changes are throttled inside their units of
work (casefile.accounts: only failures count); `enforce` is a plain counting limit for any other
form (registrations, future signup pages).

Public names other modules build on: `client_address`, `LimiterDep`, `enforce`, `RateLimited`, and
`app.state.limiter.reset()` (tests).
"""

from dataclasses import dataclass
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.orm import Session, sessionmaker

from api.deps import SessionDep, SettingsDep
from casefile.accounts import count_attempt, forget_throttles
from fairtrack.errors import RateLimited
from fairtrack.settings import Settings

__all__ = ["LimiterDep", "Limiter", "RateLimited", "Throttles", "client_address", "enforce"]


class Throttles:
    """`app.state.limiter`: the app's handle on its throttles (the counters are in the database)."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def reset(self) -> None:
        with self._sessions() as session:
            forget_throttles(session)


@dataclass(frozen=True)
class Limiter:
    """A request's view of the limits: they count with the request's own database session."""

    session: Session
    settings: Settings


def limiter_of(session: SessionDep, settings: SettingsDep) -> Limiter:
    return Limiter(session, settings)


LimiterDep = Annotated[Limiter, Depends(limiter_of)]


def enforce(
    limiter: Limiter, settings: Settings, kind: str, identifier: str, limit: int, window: int
) -> None:
    """Count one attempt of `kind` by `identifier`; RateLimited (429) beyond `limit` in `window` s."""
    count_attempt(limiter.session, settings, kind, identifier, limit, window)


Network = IPv4Network | IPv6Network


@lru_cache(maxsize=64)
def _networks(proxies: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ip_network(p, strict=False) for p in proxies)


def _is_proxy(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        parsed = ip_address(address)
    except ValueError:
        return False
    return any(parsed in network for network in proxies)


def client_address(request: Request) -> str:
    """The client's address: the connecting one, unless it is a trusted proxy (settings
    `trusted_proxies`); then the last address in X-Forwarded-For that is not a trusted proxy. A
    client cannot choose its address by sending the header itself."""
    peer = request.client.host if request.client else "unknown"
    settings: Settings = request.app.state.settings
    proxies = _networks(tuple(settings.trusted_proxies))
    if not proxies or not _is_proxy(peer, proxies):
        return peer
    chain = [hop.strip() for header in request.headers.getlist("x-forwarded-for")
             for hop in header.split(",") if hop.strip()]
    for hop in reversed(chain):
        if not _is_proxy(hop, proxies):
            try:
                return str(ip_address(hop))
            except ValueError:
                return peer  # not an address: a proxy would not have written it
    return peer


async def rate_limited(_: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RateLimited)
    return JSONResponse(
        exc.body(), status_code=exc.status_code, headers={"Retry-After": str(exc.retry_after)}
    )


def install(app: FastAPI) -> None:
    app.state.limiter = Throttles(app.state.sessions)
    app.add_exception_handler(RateLimited, rate_limited)
