"""Who is acting: the authenticated caller as the domain sees it."""

from dataclasses import dataclass

from law.road import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None  # None for the system (scans closing windows)
    role: Role
    organization: str | None = None
    # Set when an organization's system called with an API key rather than a person with a token.
    api_key_id: int | None = None

    @property
    def is_person(self) -> bool:
        return self.user_id is not None and self.api_key_id is None


SYSTEM = Actor(user_id=None, role=Role.system)
