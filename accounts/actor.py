"""Who is acting: the authenticated caller as the domain sees it."""

from dataclasses import dataclass

from workflow.road import Role


@dataclass(frozen=True)
class Actor:
    user_id: int | None  # None for the system (scans closing windows)
    role: Role
    organization: str | None = None


SYSTEM = Actor(user_id=None, role=Role.system)
