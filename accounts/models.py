"""Account tables: people (one role, and for staff one organization), refresh tokens, API keys, page
sessions, and the throttles on logins, password changes and registrations."""

from datetime import datetime

from sqlmodel import Column, Field, SQLModel

from fairtrack.columns import UTCDateTime, utcnow


class User(SQLModel, table=True):
    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True, index=True)
    password_hash: str = Field(max_length=255)
    role: str = Field(max_length=20)
    # The regulator, assessor, appeal body or court a staff account works for; None for others.
    organization: str | None = Field(default=None, max_length=80, index=True)
    preferred_language: str = Field(default="en", max_length=2)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(default_factory=utcnow, sa_column=Column(UTCDateTime, nullable=False))
    # Raised on every password change: access tokens and sessions carry it, so older ones die.
    # The server default fills existing rows when migration 0003 adds the column.
    credentials_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class RefreshToken(SQLModel, table=True):
    """One refresh token (stored as its SHA-256). Each use consumes it and issues the next of its
    family; a consumed token presented again means it was stolen, and the whole family is revoked."""

    __tablename__ = "refresh_tokens"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    family: str = Field(max_length=32, index=True)
    credentials_version: int
    issued_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class ApiKey(SQLModel, table=True):
    """A regulator's or assessor's system credential: shown once, kept as a SHA-256 of its secret.

    It acts as its organization's system account (`user_id`), so events and Idempotency-Keys record
    a real actor.
    """

    __tablename__ = "api_keys"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    # The public part of the key, to find its row without scanning: ft_<prefix>_<secret>.
    prefix: str = Field(max_length=16, unique=True, index=True)
    secret_hash: str = Field(max_length=64)
    role: str = Field(max_length=20)
    organization: str = Field(max_length=80, index=True)
    user_id: int = Field(foreign_key="users.id")
    created_by: int | None = Field(default=None, foreign_key="users.id")
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_used_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class PageSessionRecord(SQLModel, table=True):
    """A logged-in page session, kept server side: the cookie names it (by a random token stored
    as its SHA-256), and logout, a password change or an administrator's revocation end it here, so
    that a copied cookie stops working at once."""

    __tablename__ = "page_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True, index=True)
    user_id: int = Field(foreign_key="users.id", index=True)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    revoked_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))


class Throttle(SQLModel, table=True):
    """One counter, named by a keyed hash (accounts.security.pseudonym), never an email or address:
    failed logins of an (account, address) pair or of an address, failed password changes of an
    account, registrations from an address. Kept in the database so that every server process
    counts together."""

    __tablename__ = "throttles"

    key: str = Field(primary_key=True, max_length=64)
    count: int = 0
    window_started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    last_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    blocked_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
