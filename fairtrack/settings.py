"""Application settings, read once from the environment (prefix FAIRTRACK_) or a .env file."""

import secrets
from functools import lru_cache

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FAIRTRACK_", env_file=".env", extra="ignore")

    database_url: str = "sqlite:///fairtrack.db"
    # A random key per process is safe for development only: tokens die with the process.
    # Production sets FAIRTRACK_SECRET_KEY.
    secret_key: SecretStr = Field(default_factory=lambda: SecretStr(secrets.token_urlsafe(32)))
    access_token_minutes: int = Field(default=30, ge=1, le=24 * 60)
    host: str = "127.0.0.1"
    port: int = 8000
    log_level: str = "info"


@lru_cache
def get_settings() -> Settings:
    return Settings()
