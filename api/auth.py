"""Capabilities: who may call a route, said once as an annotated dependency type."""

from typing import Annotated

from fastapi import Depends

from accounts.actor import Actor
from api.deps import current_actor
from fairtrack.errors import Forbidden
from law.road import Role

EVERY_ROLE = (
    Role.applicant, Role.regulator, Role.assessor, Role.tribunal, Role.oversight, Role.admin
)


def _requires(*roles: Role, people_only: bool = False) -> object:
    allowed = frozenset(roles)

    def check(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        if actor.role not in allowed:
            raise Forbidden(
                f"this needs one of the roles {sorted(r.value for r in allowed)}; "
                f"you are {actor.role.value}"
            )
        if people_only and not actor.is_person:
            raise Forbidden("this is for people with a login, not for API keys")
        return actor

    return Depends(check)


# Open an application: applicants only.
ApplicantActor = Annotated[Actor, _requires(Role.applicant)]
# Read applications (each caller's scope is applied by workflow.policy).
ApplicationReader = Annotated[
    Actor,
    _requires(Role.applicant, Role.regulator, Role.assessor, Role.tribunal, Role.oversight),
]
# Fire a trigger: the parties on the road. Oversight and admin never change state.
WorkflowActor = Annotated[
    Actor, _requires(Role.applicant, Role.regulator, Role.assessor, Role.tribunal)
]
# Manage one's own login (password): any person, never an organization's API key.
AccountHolder = Annotated[Actor, _requires(*EVERY_ROLE, people_only=True)]
# Manage users and API keys: admins, in person.
AccountAdmin = Annotated[Actor, _requires(Role.admin, people_only=True)]
# Triage fairness flags: fairness staff only; they never change an application's state (SPEC 1).
OversightActor = Annotated[Actor, _requires(Role.oversight)]
# Read fairness figures and flags: fairness staff all of them, a regulator its own (oversight.scope).
FiguresReader = Annotated[Actor, _requires(Role.oversight, Role.regulator)]
# Imports and webhooks: the organizations on the road (their staff or their systems' API keys),
# each for its own applications.
Integrator = Annotated[Actor, _requires(Role.regulator, Role.assessor, Role.tribunal)]
# Read one's work queue: the staff of regulators, assessors and tribunals (people and API keys).
QueueReader = Annotated[Actor, _requires(Role.regulator, Role.assessor, Role.tribunal)]
