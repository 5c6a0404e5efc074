"""Creating accounts and checking credentials."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from accounts.models import User
from accounts.security import hash_password, verify_password
from fairtrack.errors import InvalidRequest, NotAuthenticated
from regulators.registry import Registry
from workflow.road import Role

STAFF_ROLES = frozenset({Role.regulator, Role.assessor, Role.tribunal})
MIN_PASSWORD = 12


def normalize_email(email: str) -> str:
    return email.strip().lower()


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
    email = normalize_email(email)
    if "@" not in email or len(email) > 254:
        raise InvalidRequest("email is not a valid address", field="email")
    if len(password) < MIN_PASSWORD:
        raise InvalidRequest(f"password needs at least {MIN_PASSWORD} characters", field="password")
    if role is Role.system:
        raise InvalidRequest("the system role is not for accounts", field="role")
    if role in STAFF_ROLES:
        if organization not in registry.organizations():
            raise InvalidRequest(
                f"{role.value} accounts need a known organization", field="organization"
            )
    elif organization is not None:
        raise InvalidRequest(f"{role.value} accounts have no organization", field="organization")
    if preferred_language not in ("en", "fr"):
        raise InvalidRequest("preferred_language is 'en' or 'fr'", field="preferred_language")
    if session.scalars(select(col(User.id)).where(col(User.email) == email)).first() is not None:
        raise InvalidRequest("an account with this email exists", field="email")
    user = User(
        email=email,
        password_hash=hash_password(password),
        role=role.value,
        organization=organization,
        preferred_language=preferred_language,
    )
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, email: str, password: str) -> User:
    user = session.scalars(select(User).where(col(User.email) == normalize_email(email))).first()
    if not verify_password(user.password_hash if user else None, password) or user is None:
        raise NotAuthenticated("wrong email or password")
    if not user.is_active:
        raise NotAuthenticated("this account is disabled")
    return user


def actor_of(user: User) -> Actor:
    assert user.id is not None
    return Actor(user_id=user.id, role=Role(user.role), organization=user.organization)
