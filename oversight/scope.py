"""Whose figures a caller may read: fairness staff any regulator's, a regulator only its own."""

from accounts.actor import Actor
from fairtrack.errors import Forbidden, InvalidRequest
from law.road import Role
from regulators.registry import Registry


def regulator_in_scope(actor: Actor, registry: Registry, asked: str | None) -> str | None:
    """The regulator the figures are about (None: all of them, fairness staff only)."""
    if asked is not None and asked not in registry.regulators:
        raise InvalidRequest(f"unknown regulator '{asked}'", field="regulator")
    if actor.role is Role.oversight:
        return asked
    if actor.role is Role.regulator and actor.organization in registry.regulators:
        if asked not in (None, actor.organization):
            raise Forbidden("a regulator reads its own figures only")
        return actor.organization
    raise Forbidden("these figures are for fairness staff and regulators")
