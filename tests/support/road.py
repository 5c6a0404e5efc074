"""A test driver for the licensure road over HTTP: people with tokens, opening and moving files."""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import count
from typing import Any

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import Actor
from accounts.models import User
from accounts.security import issue_token, normalize_password
from accounts.service import STAFF_ROLES
from casefile.applications import create_application
from casefile.scan import ScanReport, scan
from fairtrack.database import transaction
from law.road import Role
from regulators.registry import Registry
from workflow.models import Application, Event, StageInterval
from workflow.schemas import ApplicationCreate
from workflow.service import parse_reference

PASSWORD = "correct-horse-battery"


# Argon2 reads its cost from the hash it verifies: people made by tests get a cheap one, so that
# the many logins the throttle tests make take milliseconds. Accounts made through the API or
# `fairtrack users add` get the real cost (accounts.security).
_cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)


@cache
def password_hash() -> str:
    """PASSWORD hashed once per run, cheaply (above), as accounts.security would store it."""
    return _cheap.hash(normalize_password(PASSWORD))


_serial = count(1)


@dataclass
class Person:
    road: "Road"
    user_id: int
    email: str
    role: Role
    organization: str | None
    token: str
    headers: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.headers = {"Authorization": f"Bearer {self.token}"}

    @property
    def actor(self) -> Actor:
        """This person as the domain sees them."""
        return Actor(user_id=self.user_id, role=self.role, organization=self.organization)

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.road.client.get(f"/api/v1{path}", headers=self.headers, **kwargs)

    def delete(self, path: str) -> Response:
        return self.road.client.delete(f"/api/v1{path}", headers=self.headers)

    def post(self, path: str, json: Any = None, headers: dict[str, str] | None = None) -> Response:
        return self.road.client.post(
            f"/api/v1{path}", json=json, headers={**self.headers, **(headers or {})}
        )

    def open(self, regulator: str, licence_class: str, assessor: str | None = None) -> str:
        body: dict[str, Any] = {"regulator": regulator, "licence_class": licence_class}
        if assessor:
            body["assessor"] = assessor
        response = self.post("/applications", json=body)
        assert response.status_code == 201, response.text
        return str(response.json()["reference"])

    def opened_on(
        self, when: datetime, regulator: str, licence_class: str, assessor: str | None = None
    ) -> str:
        """An application this applicant opened at a past moment (the API always says 'now')."""
        data = ApplicationCreate(regulator=regulator, licence_class=licence_class, assessor=assessor)
        with transaction(self.road.sessions) as session:
            application = create_application(
                session, self.actor, self.road.registry, data, now=when
            )
            return application.reference

    def version(self, reference: str) -> int:
        response = self.get(f"/applications/{reference}")
        assert response.status_code == 200, response.text
        return int(response.json()["version"])

    def fire(self, reference: str, trigger: str, **fields: Any) -> Response:
        """Fire a trigger at the application's current version (unless one is given)."""
        if "expected_version" not in fields:
            fields["expected_version"] = self.road.version_of(reference)
        return self.post(f"/applications/{reference}/events", json={"trigger": trigger, **fields})

    def refused(
        self, reference: str, trigger: str, status: int, error: str, **fields: Any
    ) -> dict[str, Any]:
        """Fire a trigger that must be refused with this status and error code, changing nothing."""
        before = self.road.snapshot(reference)
        response = self.fire(reference, trigger, **fields)
        assert response.status_code == status, f"{trigger}: {response.status_code} {response.text}"
        body = dict(response.json())
        assert body["error"] == error, body
        assert body["message"], body
        assert self.road.snapshot(reference) == before, f"{trigger} was refused but changed things"
        return body

    def step(self, reference: str, trigger: str, **fields: Any) -> dict[str, Any]:
        """Fire a trigger that must succeed; return the new application state."""
        response = self.fire(reference, trigger, **fields)
        assert response.status_code == 201, f"{trigger}: {response.status_code} {response.text}"
        return dict(response.json()["application"])


class Road:
    def __init__(self, client: TestClient, sessions: sessionmaker[Session], registry: Registry):
        self.client = client
        self.sessions = sessions
        self.registry = registry

    def person(self, role: Role, organization: str | None = None) -> Person:
        email = f"{role.value}{next(_serial)}@example.test"
        with transaction(self.sessions) as session:
            # create_user's rules, without hashing the same password again for every person
            assert (organization in self.registry.organizations()) == (role in STAFF_ROLES)
            user = User(
                email=email, password_hash=password_hash(), role=role.value,
                organization=organization,
            )
            session.add(user)
            session.flush()
            assert user.id is not None
            user_id = user.id
        secret = self.client.app.state.settings.secret_key.get_secret_value()  # type: ignore[attr-defined]
        token = issue_token(user_id, secret, 30)
        return Person(self, user_id, email, role, organization, token)

    def scan(self, registry: Registry, now: datetime | None = None) -> ScanReport:
        """The periodic scan, as `fairtrack scan` runs it."""
        with self.sessions() as session:
            return scan(session, registry, now=now)

    def applicant(self) -> Person:
        return self.person(Role.applicant)

    def regulator(self, slug: str) -> Person:
        return self.person(Role.regulator, slug)

    def assessor(self, slug: str) -> Person:
        return self.person(Role.assessor, slug)

    def tribunal(self, slug: str) -> Person:
        return self.person(Role.tribunal, slug)

    def oversight(self) -> Person:
        return self.person(Role.oversight)

    def version_of(self, reference: str) -> int:
        with self.sessions() as session:
            application = session.get(Application, parse_reference(reference))
            assert application is not None
            return application.version

    def snapshot(self, reference: str) -> "Snapshot":
        """Everything a write could change about one application, read straight from the tables."""
        app_id = parse_reference(reference)
        with self.sessions() as session:
            application = session.get(Application, app_id)
            assert application is not None
            events = session.scalar(
                select(func.count()).select_from(Event).where(Event.application_id == app_id)
            )
            intervals = session.scalar(
                select(func.count())
                .select_from(StageInterval)
                .where(StageInterval.application_id == app_id)
            )
            return Snapshot(
                state=application.state,
                version=application.version,
                head_hash=application.head_hash,
                events=events or 0,
                intervals=intervals or 0,
            )

    def applications(self) -> int:
        with self.sessions() as session:
            return session.scalar(select(func.count()).select_from(Application)) or 0


@dataclass(frozen=True)
class Snapshot:
    state: str
    version: int
    head_hash: str
    events: int
    intervals: int
