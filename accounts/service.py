"""Creating accounts, checking credentials, and the password rules."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts import page_records
from accounts.actor import Actor
from accounts.models import User
from accounts.passwords import is_common
from accounts.security import (
    SYSTEM_DOMAIN,
    InvalidToken,
    hash_password,
    normalize_password,
    read_access_token,
    verify_password,
)
from accounts.tokens import family_revoked
from fairtrack.columns import utcnow
from fairtrack.errors import InvalidRequest, NotAuthenticated
from fairtrack.pagination import cut, id_cursor
from i18n import msg
from law.road import Role
from regulators.registry import Registry

STAFF_ROLES = frozenset({Role.regulator, Role.assessor, Role.tribunal})
MIN_PASSWORD = 12
# argon2 hashes any length, but a megabyte "password" is a cheap way to burn our CPU.
MAX_PASSWORD = 128
MIN_DISTINCT = 6
LANGUAGES = ("en", "fr")
EMAIL_TAKEN = msg("an account with this email exists")


def normalize_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """A person's address: every account created by people (registration, `fairtrack users add`,
    admins) passes here, so none can take an address reserved for system accounts."""
    email = normalize_email(email)
    local, _, domain = email.partition("@")
    if not local or "." not in domain or len(email) > 254 or any(c.isspace() for c in email):
        raise InvalidRequest(msg("email is not a valid address"), field="email")
    host = domain.rstrip(".")
    if host == SYSTEM_DOMAIN or host.endswith(f".{SYSTEM_DOMAIN}"):
        raise InvalidRequest(msg("addresses at {domain} are reserved for system accounts",
                                 domain=SYSTEM_DOMAIN), field="email")
    return email


class WrongPassword(InvalidRequest):
    """The current password given to change it is not the account's (counted by the throttle)."""


def check_password(password: str, email: str) -> None:
    """Length, variety, not a common password, and not built from the email: the rules every new
    password meets, counted on its NFKC form (the form that is hashed)."""
    password = normalize_password(password)
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(msg("password needs at least {minimum} characters", minimum=MIN_PASSWORD),
                             field="password")
    if len(password) > MAX_PASSWORD:
        raise InvalidRequest(msg("password has at most {maximum} characters", maximum=MAX_PASSWORD),
                             field="password")
    if len(set(password)) < MIN_DISTINCT:
        raise InvalidRequest(
            msg("password needs at least {minimum} different characters", minimum=MIN_DISTINCT),
            field="password",
        )
    local = normalize_email(email).partition("@")[0]
    if len(local) >= 4 and local in password.lower():
        raise InvalidRequest(msg("password must not contain your email address"), field="password")
    if is_common(password):
        raise InvalidRequest(msg("this password is among the most common ones, which are tried "
                                 "first; choose another"), field="password")


def create_user(
    session: Session,
    registry: Registry,
    *,
    email: str,
    password: str,
    role: Role,
    organization: str | None = None,
    preferred_language: str = "en",
) -> User:
    email = check_email(email)
    check_password(password, email)
    if role is Role.system:
        raise InvalidRequest("the system role is not for accounts", field="role")
    if role in STAFF_ROLES:
        if organization not in registry.organizations():
            raise InvalidRequest(
                f"{role.value} accounts need a known organization", field="organization"
            )
    elif organization is not None:
        raise InvalidRequest(f"{role.value} accounts have no organization", field="organization")
    if preferred_language not in LANGUAGES:
        raise InvalidRequest(msg("preferred_language is 'en' or 'fr'"), field="preferred_language")
    if _email_taken(session, email):
        raise InvalidRequest(EMAIL_TAKEN, field="email")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role.value,
        organization=organization,
        preferred_language=preferred_language,
    )
    try:
        with session.begin_nested():
            session.add(user)
    except IntegrityError:
        # The same email registered at the same instant (PostgreSQL: the unique index made this
        # insert wait for the other transaction, which committed): the same answer as one after it.
        if _email_taken(session, email):
            raise InvalidRequest(EMAIL_TAKEN, field="email") from None
        raise
    return user


def _email_taken(session: Session, email: str) -> bool:
    return session.scalars(select(col(User.id)).where(col(User.email) == email)).first() is not None


def register_applicant(
    session: Session, registry: Registry, *, email: str, password: str, preferred_language: str
) -> User:
    """Self-registration: anyone may open an applicant account, and only that."""
    return create_user(
        session, registry, email=email, password=password, role=Role.applicant,
        preferred_language=preferred_language,
    )


def authenticate(session: Session, email: str, password: str) -> User:
    user = session.scalars(select(User).where(col(User.email) == normalize_email(email))).first()
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise NotAuthenticated(msg("wrong email or password"))
    if not user.is_active:
        raise NotAuthenticated(msg("this account is disabled"))
    return user


def change_password(session: Session, actor: Actor, current: str, new: str) -> User:
    """Checks the current password, sets the new one, and ends every older token and session."""
    user = session.get(User, actor.user_id, with_for_update=True) if actor.is_person else None
    if user is None:
        raise NotAuthenticated("this is for people with a login")
    if not verify_password(user.password_hash, current):
        raise WrongPassword("the current password is wrong", field="current_password")
    check_password(new, user.email)
    if verify_password(user.password_hash, new):
        raise InvalidRequest("the new password is the current one", field="new_password")
    user.password_hash = hash_password(new)
    end_every_session(session, user)
    return user


def set_preferred_language(session: Session, actor: Actor, language: str) -> User:
    """The language the person reads FairTrack in (pages, documents, emails)."""
    if language not in LANGUAGES:
        raise InvalidRequest(msg("the language is 'en' or 'fr'"), field="preferred_language")
    user = session.get(User, actor.user_id) if actor.is_person else None
    if user is None:
        raise NotAuthenticated(msg("this is for people with a login"))
    user.preferred_language = language
    session.flush()
    return user


def end_every_session(session: Session, user: User) -> None:
    """Every access token, refresh token and page session of the account stops working: its
    credentials version rises and its page sessions and refresh-token families end."""
    assert user.id is not None
    user.credentials_version += 1
    page_records.end_all(session, user.id, utcnow())
    session.flush()


def actor_of(user: User, api_key_id: int | None = None) -> Actor:
    assert user.id is not None
    return Actor(
        user_id=user.id, role=Role(user.role), organization=user.organization, api_key_id=api_key_id
    )


def actor_for_token(session: Session, token: str, secret: str) -> Actor:
    """The person a bearer token was issued to, if the token and the account are still good."""
    try:
        claims = read_access_token(token, secret)
    except InvalidToken as exc:
        raise NotAuthenticated("the bearer token is invalid or expired") from exc
    user = session.get(User, claims.user_id)
    if user is None or not user.is_active:
        raise NotAuthenticated("the bearer token's account is gone or disabled")
    if user.credentials_version != claims.credentials_version:
        raise NotAuthenticated("the bearer token predates a password change; log in again")
    if claims.family is not None and family_revoked(session, claims.family):
        raise NotAuthenticated("the bearer token's session was ended; log in again")
    return actor_of(user)


def page_person_of(
    session: Session, user_id: int | None, credentials_version: int, token: str | None
) -> User | None:
    """The account a page session stands for, if it is active, its password unchanged since, and
    the session's server-side record still live (not logged out nor revoked)."""
    user = session.get(User, user_id) if user_id is not None else None
    if user is None or not user.is_active or user.credentials_version != credentials_version:
        return None
    if user.id is None or not page_records.is_live(session, user.id, token, utcnow()):
        return None
    return user


def users_of(
    session: Session, organization: str, limit: int, cursor: str | None
) -> tuple[list[User], str | None]:
    """An organization's accounts in id order, a page at a time (its system accounts for API keys
    included)."""
    query = select(User).where(col(User.organization) == organization)
    last = id_cursor(cursor)
    if last is not None:
        query = query.where(col(User.id) > last)
    rows = session.scalars(query.order_by(col(User.id)).limit(limit + 1)).all()
    return cut(rows, limit, lambda user: user.id)
