"""The people and records the authorization matrix calls every route with, one set per route."""

import base64
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import count
from typing import Any

from sqlalchemy import select
from sqlmodel import col

from accounts import keys, tokens
from accounts.models import User
from accounts.security import issue_token
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from flags.models import Flag
from law.road import Role
from tests.support.road import PASSWORD, Person, Road

# Every column of the matrix: the six roles (applicants and regulators twice, one of them outside
# the record's scope), an organization's API key, and three callers whose credentials fail.
CALLERS = (
    "applicant", "other_applicant", "regulator", "other_regulator", "assessor", "tribunal",
    "oversight", "admin", "regulator_key", "no_token", "expired_token", "tampered_token",
)
_emails = count(1)


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    json: Any = None
    data: dict[str, str] | None = None
    content: bytes | None = None  # a raw body (an import file), sent with its media type
    media_type: str | None = None


@dataclass
class World:
    road: Road
    people: dict[str, Person] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    reference: str = ""

    @property
    def secret(self) -> str:
        return self.road.client.app.state.settings.secret_key.get_secret_value()  # type: ignore[attr-defined,no-any-return]

    def fresh_application(self) -> str:
        """A draft at CNO (assessed by NNAS) belonging to the matrix's applicant."""
        return self.people["applicant"].open("cno", "rn", "nnas")

    def fresh_key_id(self) -> int:
        with transaction(self.road.sessions) as session:
            key, _ = keys.create_key(session, self.road.registry, name="matrix", role=Role.regulator,
                                     organization="cno")
            assert key.id is not None
            return key.id

    def fresh_refresh_token(self) -> str:
        settings = self.road.client.app.state.settings  # type: ignore[attr-defined]
        with transaction(self.road.sessions) as session:
            user = session.get(User, self.people["applicant"].user_id)
            assert user is not None
            return tokens.issue_pair(session, user, settings).refresh_token

    def fresh_import_job(self) -> int:
        """An import job run by CNO (one row, applied or not)."""
        from casefile.imports import import_events
        from integrations.files import FileFormat

        with self.road.sessions() as session:
            report = import_events(session, self.people["regulator"].actor, self.road.registry,
                                   FileFormat.csv, ["reference,trigger", f"{self.reference},submit"],
                                   "matrix.csv")
        return report.job

    def fresh_subscription(self) -> int:
        """A webhook subscription of CNO's."""
        from casefile.webhooks import SubscriptionCreate, subscribe

        with self.road.sessions() as session:
            return subscribe(session, self.people["regulator"].actor,
                             SubscriptionCreate(url="https://cases.example.org/hook")).id

    def fresh_delivery(self) -> int:
        """A webhook delivery to CNO: a subscription, then an application opened at CNO."""
        from sqlalchemy import func, select

        from integrations.models import OutboxMessage

        subscription = self.fresh_subscription()
        self.fresh_application()
        with self.road.sessions() as session:
            found = session.scalar(select(func.max(OutboxMessage.id)).where(
                OutboxMessage.subscription_id == subscription))
        assert found is not None
        return int(found)

    def fresh_flag(self) -> int:
        """A fairness flag on the matrix's CNO draft, raised as the scan raises one."""
        from flags.rules import Finding
        from flags.service import store_findings
        from workflow.service import parse_reference

        finding = Finding(parse_reference(self.reference), "cno", "delay", f"matrix:{next(_emails)}",
                          "low", {})
        with transaction(self.road.sessions) as session:
            store_findings(session, [finding], utcnow())
        with self.road.sessions() as session:
            (flag,) = session.scalars(select(Flag).where(col(Flag.occurrence) == finding.occurrence))
        assert flag.id is not None
        return flag.id

    @staticmethod
    def fresh_email() -> str:
        return f"matrix-newcomer{next(_emails)}@example.org"


def _tampered(token: str, other_user_id: int) -> str:
    """The token with its subject changed to someone else's and its original signature kept."""
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = str(other_user_id)
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged}.{signature}"


def build_world(road: Road) -> World:
    world = World(road)
    world.people = {
        "applicant": road.applicant(),
        "other_applicant": road.applicant(),
        "regulator": road.regulator("cno"),
        "other_regulator": road.regulator("peo"),
        "assessor": road.assessor("nnas"),
        "tribunal": road.tribunal("hparb"),
        "oversight": road.oversight(),
        "admin": road.person(Role.admin),
    }
    world.headers = {name: person.headers for name, person in world.people.items()}
    with transaction(road.sessions) as session:
        _, key = keys.create_key(session, road.registry, name="cno system", role=Role.regulator,
                                 organization="cno")
    world.headers["regulator_key"] = {"X-API-Key": key}
    world.headers["no_token"] = {}
    owner = world.people["applicant"]
    expired = issue_token(owner.user_id, world.secret, 30, now=utcnow() - timedelta(hours=2))
    world.headers["expired_token"] = {"Authorization": f"Bearer {expired}"}
    forged = _tampered(owner.token, world.people["admin"].user_id)
    world.headers["tampered_token"] = {"Authorization": f"Bearer {forged}"}
    world.reference = world.fresh_application()
    return world


Builder = Callable[[World], Call]
__all__ = ["CALLERS", "PASSWORD", "Builder", "Call", "World", "build_world"]
