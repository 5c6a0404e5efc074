"""Units of work on accounts: register, log in, refresh, change a password, API keys, and the
once-a-minute "last used" mark a key leaves."""


from sqlalchemy.orm import Session

from accounts import keys, tokens
from accounts.actor import Actor
from accounts.models import ApiKey, User
from accounts.service import (
    authenticate,
    change_password,
    create_user,
    register_applicant,
    set_preferred_language,
)
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from fairtrack.settings import Settings
from law.road import Role
from regulators.registry import Registry


def register(
    session: Session, registry: Registry, *, email: str, password: str, preferred_language: str
) -> User:
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


def log_in(session: Session, settings: Settings, email: str, password: str) -> tuple[User, tokens.TokenPair]:
    """Check the credentials and issue a new token family (NotAuthenticated when they are wrong)."""
    with unit_of_work(session):
        user = authenticate(session, email, password)
        return user, tokens.issue_pair(session, user, settings)


def refresh(session: Session, token: str, settings: Settings) -> tokens.TokenPair:
    with unit_of_work(session):
        pair = tokens.rotate(session, token, settings, utcnow())
    if pair is None:  # raised only now, so that the family's revocation above is committed
        raise tokens.RefreshReused("this refresh token was used already; log in again")
    return pair


def set_password(session: Session, actor: Actor, current: str, new: str) -> User:
    with unit_of_work(session):
        return change_password(session, actor, current, new)


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


