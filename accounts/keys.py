"""API keys for regulators' and assessors' own case systems: created, listed, revoked, checked."""

import logging
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import ApiKey, User
from accounts.security import NO_PASSWORD, SYSTEM_DOMAIN, new_api_key, same_secret, split_api_key
from fairtrack.columns import utcnow
from fairtrack.errors import InvalidRequest, NotAuthenticated, NotFound
from fairtrack.pagination import cut, id_cursor
from law.road import Role
from regulators.registry import Registry

KEY_ROLES = (Role.regulator, Role.assessor)
# last_used_at is a hint for spotting dead keys, not an audit log: one write a minute is plenty.
LAST_USED_RESOLUTION = timedelta(minutes=1)
log = logging.getLogger("fairtrack.accounts")


def is_system_account_of(user: User, role: str, organization: str) -> bool:
    """The marks of an organization's system account, which no person's account can bear: no
    password ever matches it, and it has exactly the keys' role and organization.

    The address alone proves nothing: a person could have registered it before the system did.
    """
    return (
        user.password_hash == NO_PASSWORD
        and user.role == role
        and user.organization == organization
        and user.email == f"{role}.{organization}@{SYSTEM_DOMAIN}"
    )


def _system_account(session: Session, role: Role, organization: str) -> User:
    """The organization's system account, which every key of that organization acts as."""
    email = f"{role.value}.{organization}@{SYSTEM_DOMAIN}"
    user = session.scalars(select(User).where(col(User.email) == email)).one_or_none()
    if user is None:
        user = User(email=email, password_hash=NO_PASSWORD, role=role.value, organization=organization)
        session.add(user)
        session.flush()
    elif not is_system_account_of(user, role.value, organization):
        # Someone holds the system address (registered before the reserved domain was refused):
        # binding a key to it would hand that person the organization's powers.
        log.warning("account %s holds the system address of %s %s; no key bound to it",
                    user.id, role.value, organization)
        raise InvalidRequest(
            f"the system account address of {role.value} '{organization}' is held by an account "
            f"that is not a system account; an administrator must remove that account first",
            field="organization",
        )
    return user


def create_key(
    session: Session,
    registry: Registry,
    *,
    name: str,
    role: Role,
    organization: str,
    created_by: int | None = None,
) -> tuple[ApiKey, str]:
    """A new key and its full text, which is never stored and cannot be shown again."""
    name = name.strip()
    if not 1 <= len(name) <= 80:
        raise InvalidRequest("a key needs a name of 1 to 80 characters", field="name")
    if role not in KEY_ROLES:
        raise InvalidRequest("API keys are for regulator or assessor systems", field="role")
    known = registry.regulators if role is Role.regulator else registry.assessors
    if organization not in known:
        raise InvalidRequest(f"no {role.value} '{organization[:80]}'", field="organization")
    system = _system_account(session, role, organization)
    assert system.id is not None
    full, prefix, secret_hash = new_api_key()
    key = ApiKey(
        name=name, prefix=prefix, secret_hash=secret_hash, role=role.value,
        organization=organization, user_id=system.id, created_by=created_by, created_at=utcnow(),
    )
    session.add(key)
    session.flush()
    return key, full


def list_keys(
    session: Session, organization: str | None, limit: int, cursor: str | None
) -> tuple[list[ApiKey], str | None]:
    """A page of keys in id order (never their secrets), and the next page's cursor."""
    query = select(ApiKey)
    if organization is not None:
        query = query.where(col(ApiKey.organization) == organization)
    last = id_cursor(cursor)
    if last is not None:
        query = query.where(col(ApiKey.id) > last)
    rows = session.scalars(query.order_by(col(ApiKey.id)).limit(limit + 1)).all()
    return cut(rows, limit, lambda key: key.id)


def revoke_key(session: Session, key_id: int) -> ApiKey:
    key = session.get(ApiKey, key_id)
    if key is None:
        raise NotFound(f"no API key {key_id}")
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key


def key_owner(session: Session, text: str) -> tuple[User, ApiKey]:
    """The system account a live key acts as; every failure looks the same to the caller."""
    parts = split_api_key(text)
    key = None
    if parts is not None:
        key = session.scalars(select(ApiKey).where(col(ApiKey.prefix) == parts[0])).one_or_none()
    if parts is None or key is None or not same_secret(parts[1], key.secret_hash):
        raise NotAuthenticated("the API key is invalid or revoked")
    user = session.get(User, key.user_id)
    if key.revoked_at is not None or user is None or not user.is_active:
        raise NotAuthenticated("the API key is invalid or revoked")
    if not is_system_account_of(user, key.role, key.organization):
        # A key created before this check may be bound to a person who squatted the address.
        log.warning("API key %s is bound to account %s, not its system account", key.id, user.id)
        raise NotAuthenticated("the API key is invalid or revoked")
    return user, key


def needs_touch(key: ApiKey, now: datetime) -> bool:
    return key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION


def touch(session: Session, key_id: int, now: datetime) -> None:
    session.execute(update(ApiKey).where(col(ApiKey.id) == key_id).values(last_used_at=now))
