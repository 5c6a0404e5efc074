"""Units of work on accounts: register, log in (throttled), refresh, change a password (throttled),
page sessions, the end of every session of an account, API keys, and the once-a-minute "last used"
mark a key leaves."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts import keys, page_records, throttles, tokens
from accounts.actor import Actor
from accounts.models import ApiKey, User
from accounts.security import pseudonym
from accounts.service import (
    WrongPassword,
    authenticate,
    change_password,
    create_user,
    end_every_session,
    normalize_email,
    register_applicant,
    set_preferred_language,
)
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from fairtrack.errors import NotAuthenticated, NotFound, RateLimited
from fairtrack.settings import Settings
from i18n import msg
from law.road import Role
from regulators.registry import Registry


def _key(settings: Settings, kind: str, identifier: str) -> str:
    return pseudonym(settings.secret_key.get_secret_value(), kind, identifier)


def _refuse(wait: int) -> RateLimited:
    return RateLimited(msg("too many attempts; try again in {seconds} seconds", seconds=wait),
                       retry_after=wait)


def count_attempt(
    session: Session, settings: Settings, kind: str, identifier: str, limit: int, window: int
) -> None:
    """One attempt of `kind` by `identifier` (an address, an email), at most `limit` in `window`
    seconds: RateLimited beyond, with the seconds to wait. Its own unit of work, committed first."""
    with unit_of_work(session):
        wait = throttles.attempt(session, _key(settings, kind, identifier), limit, window, utcnow())
    if wait:
        raise _refuse(wait)


def register(
    session: Session, registry: Registry, settings: Settings, *, email: str, password: str,
    preferred_language: str, address: str,
) -> User:
    """Self-registration, counted per address (every attempt: it limits accounts made)."""
    count_attempt(session, settings, "register-address", address,
                  settings.registrations_per_address, settings.registration_window_seconds)
    with unit_of_work(session):
        return register_applicant(session, registry, email=email, password=password,
                                  preferred_language=preferred_language)


def add_user(
    session: Session, registry: Registry, *, email: str, password: str, role: Role,
    organization: str | None, preferred_language: str,
) -> User:
    """An account made by an administrator (`fairtrack users add`)."""
    with unit_of_work(session):
        return create_user(session, registry, email=email, password=password, role=role,
                           organization=organization, preferred_language=preferred_language)


def _backoff(settings: Settings, free: int) -> throttles.Backoff:
    return throttles.Backoff(free, settings.login_delay_seconds, settings.login_max_delay_seconds,
                             settings.login_failure_memory_seconds)


def check_login(session: Session, settings: Settings, email: str, password: str, address: str) -> User:
    """The account these credentials open, from this address, or a refusal: RateLimited while the
    (account, address) pair or the address must wait after failures, NotAuthenticated when wrong
    (a failure, counted). Only failures count, and a success clears its pair's: a stranger's
    failures from elsewhere never delay the owner. For the API's token and the pages' login."""
    pair = _key(settings, "login-pair", f"{normalize_email(email)}\n{address}")
    from_address = _key(settings, "login-address", address)
    now = utcnow()
    wait = throttles.wait(session, [pair, from_address], now)
    if wait:
        raise _refuse(wait)
    try:
        user = authenticate(session, email, password)  # argon2 outside any write transaction
    except NotAuthenticated:
        with unit_of_work(session):
            throttles.fail(session, pair, _backoff(settings, settings.login_free_failures), now)
            throttles.fail(session, from_address,
                           _backoff(settings, settings.login_address_free_failures), now)
        raise
    with unit_of_work(session):
        throttles.clear(session, pair)
        user = session.get(User, user.id) or user
    return user


def log_in(
    session: Session, settings: Settings, email: str, password: str, address: str
) -> tuple[User, tokens.TokenPair]:
    """Check the credentials (throttled, see check_login) and issue a new token family."""
    user = check_login(session, settings, email, password, address)
    with unit_of_work(session):
        user = session.get(User, user.id) or user
        return user, tokens.issue_pair(session, user, settings)


def refresh(session: Session, token: str, settings: Settings) -> tokens.TokenPair:
    with unit_of_work(session):
        pair = tokens.rotate(session, token, settings, utcnow())
    if pair is None:  # raised only now, so that the family's revocation above is committed
        raise tokens.RefreshReused("this refresh token was used already; log in again")
    return pair


def set_password(session: Session, settings: Settings, actor: Actor, current: str, new: str) -> User:
    """Change one's password; wrong current passwords count like failed logins, per account."""
    key = _key(settings, "password-change", str(actor.user_id))
    now = utcnow()
    wait = throttles.wait(session, [key], now)
    if wait:
        raise _refuse(wait)
    try:
        with unit_of_work(session):
            user = change_password(session, actor, current, new)
            throttles.clear(session, key)
            return user
    except WrongPassword:
        with unit_of_work(session):
            throttles.fail(session, key, _backoff(settings, settings.login_free_failures), now)
        raise


def start_page_session(session: Session, settings: Settings, user: User) -> str:
    """A logged-in page session's server-side record; returns the token its cookie carries."""
    with unit_of_work(session):
        return page_records.start(session, user, settings.session_minutes, utcnow())


def end_page_session(session: Session, token: str | None) -> None:
    with unit_of_work(session):
        page_records.end(session, token, utcnow())


def end_sessions_of(session: Session, *, user_id: int | None = None, email: str | None = None) -> User:
    """An administrator ends every session of an account: its access and refresh tokens and its
    page sessions stop working at once. NotFound for an unknown account."""
    with unit_of_work(session):
        if user_id is not None:
            user = session.get(User, user_id, with_for_update=True)
        else:
            user = session.scalars(select(User).where(
                col(User.email) == normalize_email(email or "")).with_for_update()).one_or_none()
        if user is None:
            raise NotFound("no such account")
        end_every_session(session, user)
        return user


def forget_throttles(session: Session) -> None:
    """Every throttle back to zero (tests, and an operator after an incident)."""
    with unit_of_work(session):
        throttles.forget_all(session)


def set_language(session: Session, actor: Actor, language: str) -> User:
    with unit_of_work(session):
        return set_preferred_language(session, actor, language)


def create_key(
    session: Session, registry: Registry, *, name: str, role: Role, organization: str,
    created_by: int | None,
) -> tuple[ApiKey, str]:
    with unit_of_work(session):
        return keys.create_key(session, registry, name=name, role=role, organization=organization,
                               created_by=created_by)


def revoke_key(session: Session, key_id: int) -> ApiKey:
    with unit_of_work(session):
        return keys.revoke_key(session, key_id)


def key_actor(session: Session, text: str) -> Actor:
    """The actor an API key stands for; notes its use (at most once a minute, its own write)."""
    user, key = keys.key_owner(session, text)
    now = utcnow()
    assert key.id is not None and user.id is not None
    if keys.needs_touch(key, now):
        with unit_of_work(session):
            keys.touch(session, key.id, now)
    # The key's own role and organization, never the account's: the key is what the admin granted.
    return Actor(user_id=user.id, role=Role(key.role), organization=key.organization,
                 api_key_id=key.id)
