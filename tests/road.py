"""A test driver for the licensure road over HTTP: people with tokens, opening and moving files."""

from dataclasses import dataclass, field
from itertools import count
from typing import Any

from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session, sessionmaker

from accounts.security import issue_token
from accounts.service import create_user
from fairtrack.database import transaction
from regulators.registry import Registry
from workflow.road import Role

PASSWORD = "correct-horse-battery"
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

    def get(self, path: str, **kwargs: Any) -> Response:
        return self.road.client.get(f"/api/v1{path}", headers=self.headers, **kwargs)

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

    def version(self, reference: str) -> int:
        response = self.get(f"/applications/{reference}")
        assert response.status_code == 200, response.text
        return int(response.json()["version"])

    def fire(self, reference: str, trigger: str, **fields: Any) -> Response:
        """Fire a trigger at the application's current version (unless one is given)."""
        if "expected_version" not in fields:
            fields["expected_version"] = self.road.version_of(reference)
        return self.post(f"/applications/{reference}/events", json={"trigger": trigger, **fields})

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
            user = create_user(
                session, self.registry, email=email, password=PASSWORD, role=role,
                organization=organization,
            )
            assert user.id is not None
            user_id = user.id
        secret = self.client.app.state.settings.secret_key.get_secret_value()  # type: ignore[attr-defined]
        token = issue_token(user_id, secret, 30)
        return Person(self, user_id, email, role, organization, token)

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
        from workflow.models import Application
        from workflow.service import parse_reference

        with self.sessions() as session:
            application = session.get(Application, parse_reference(reference))
            assert application is not None
            return application.version
