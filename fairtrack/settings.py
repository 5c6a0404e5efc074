"""Application settings, read once from the environment (prefix FAIRTRACK_) or a .env file."""

import secrets
from functools import lru_cache
from ipaddress import ip_network
from typing import Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAIRTRACK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///fairtrack.db"
    # The server's database connections (the command line opens its own, without time limits).
    # One request holds at most one connection; the pool's size plus overflow matches the 40
    # threads the server runs sync routes on. A request that waits longer than the pool timeout for
    # a connection, or longer than the lock timeout for a row or table lock, or whose statement runs
    # longer than the statement timeout (PostgreSQL), is answered 503 with Retry-After.
    # Sizes are per server process: `fairtrack serve --workers N` opens up to
    # N * (db_pool_size + db_max_overflow) connections (keep it under PostgreSQL's max_connections).
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=30, ge=0)
    # A pooled connection is tested with a round trip before each checkout when this is on; off
    # (the default), a connection broken by a database restart fails one request, and the pool is
    # then renewed. Connections older than db_pool_recycle_seconds are replaced.
    db_pool_pre_ping: bool = False
    db_pool_recycle_seconds: int = Field(default=1800, ge=-1)
    # Server processes for `fairtrack serve` (uvicorn workers): 1 for development; in production
    # about one per core (docs/performance.md).
    workers: int = Field(default=1, ge=1, le=64)
    db_pool_timeout_seconds: float = Field(default=10.0, gt=0)
    db_lock_timeout_ms: int = Field(default=5_000, ge=1)  # PostgreSQL lock_timeout; SQLite busy timeout
    db_statement_timeout_ms: int = Field(default=30_000, ge=0)  # PostgreSQL only; 0: none
    # A random key per process is safe for development only: tokens die with the process.
    # Production sets FAIRTRACK_SECRET_KEY.
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    refresh_token_days: int = Field(default=14, ge=1, le=90)
    # Pages: signed session cookies. Secure is always set over TLS; force it behind a TLS proxy.
    session_minutes: int = Field(default=8 * 60, ge=5, le=7 * 24 * 60)
    secure_cookies: bool = False
    # Requests larger than this are refused with 413 before they are read.
    max_request_bytes: int = Field(default=1_000_000, ge=1024)
    # Throttles, kept in the database so that every server process counts together
    # (docs/security.md). Logins: only failures count, per (account, address) pair: `free` failures,
    # then a delay that starts at login_delay_seconds and doubles with each further failure, up to
    # login_max_delay_seconds; a success clears the pair. An address failing on many accounts is
    # delayed the same way after login_address_free_failures. Failures are forgotten after
    # login_failure_memory_seconds. Password changes: the account's wrong current passwords, alike.
    login_free_failures: int = Field(default=3, ge=1)
    login_address_free_failures: int = Field(default=20, ge=1)
    login_delay_seconds: float = Field(default=1.0, gt=0)
    login_max_delay_seconds: float = Field(default=15 * 60, gt=0)
    login_failure_memory_seconds: float = Field(default=24 * 60 * 60, gt=0)
    # Registrations: every attempt counts, per address, in a window.
    registrations_per_address: int = Field(default=10, ge=1)
    registration_window_seconds: int = Field(default=60 * 60, ge=1)
    # The addresses (IPs or networks) of reverse proxies whose X-Forwarded-For is believed: the
    # client is the last address in it that is not one of them. Empty: the connecting address is
    # the client, whatever a request says.
    trusted_proxies: list[str] = Field(default_factory=list)
    # A refresh token used again within this many seconds (two tabs refreshing at once) gives
    # another pair of its family instead of being taken for a theft.
    refresh_reuse_grace_seconds: int = Field(default=10, ge=0, le=300)

    @field_validator("trusted_proxies")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for entry in value:
            ip_network(entry, strict=False)  # ValueError names the bad entry
        return value

    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"

    # Emails to applicants (the worker sends them): the SMTP server, how to secure the connection
    # (none, starttls, or ssl for implicit TLS), credentials if it asks for them, the sender.
    smtp_host: str = "127.0.0.1"
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_tls: Literal["none", "starttls", "ssl"] = "none"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_timeout_seconds: float = Field(default=30.0, gt=0)
    mail_from: str = "FairTrack <no-reply@fairtrack.example>"
    # The link in emails to the applicant's messages page.
    public_url: str = "http://127.0.0.1:8000"
    # The outbox worker (`fairtrack worker`): how long a claimed message is its own before another
    # worker may send it again (a worker killed mid-send), how often it looks for work, the
    # periodic scan's interval, and retries (the n-th failure waits backoff * 2**(n-1), capped).
    outbox_lease_seconds: float = Field(default=60.0, gt=0)
    worker_poll_seconds: float = Field(default=1.0, gt=0)
    scan_interval_seconds: float = Field(default=3600.0, gt=0)
    outbox_batch: int = Field(default=20, ge=1, le=1000)
    outbox_max_attempts: int = Field(default=10, ge=1)
    outbox_backoff_seconds: float = Field(default=30.0, gt=0)
    outbox_max_backoff_seconds: float = Field(default=6 * 3600.0, gt=0)
    webhook_timeout_seconds: float = Field(default=10.0, gt=0)


@lru_cache
def get_settings() -> Settings:
    return Settings()
