"""API keys: an organization's system acts within that organization, and only while the key lives."""


import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from accounts.models import ApiKey, User
from accounts.security import NO_PASSWORD, new_api_key
from cli.main import app as cli
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from law.road import Role
from tests.support.road import Person, Road, password_hash

V1 = "/api/v1"


def _create(admin: Person, organization: str = "peo", role: str = "regulator") -> dict:  # type: ignore[type-arg]
    response = admin.post("/admin/keys", json={"name": f"{organization} system", "role": role,
                                               "organization": organization})
    assert response.status_code == 201, response.text
    return dict(response.json())


def test_a_regulator_system_moves_its_own_files_and_not_others(road: Road, client: TestClient) -> None:
    admin = road.person(Role.admin)
    created = _create(admin)
    key = created["key"]
    assert key.startswith(f"ft_{created['prefix']}_")
    engineer = road.applicant()
    ref = engineer.open("peo", "p-eng")
    engineer.step(ref, "submit")
    nurse_ref = road.applicant().open("cno", "rn", "nnas")

    as_bearer = {"Authorization": f"Bearer {key}"}
    moved = client.post(f"{V1}/applications/{ref}/events", headers={"X-API-Key": key},
                        json={"trigger": "begin_review", "expected_version": 2})
    assert moved.status_code == 201, moved.text
    assert moved.json()["event"]["actor_organization"] == "peo"
    assert client.get(f"{V1}/applications/{ref}", headers=as_bearer).status_code == 200
    assert client.get(f"{V1}/applications/{nurse_ref}", headers=as_bearer).status_code == 404
    assert client.post(f"{V1}/me/password", headers=as_bearer,
                       json={"current_password": "a", "new_password": "b"}).status_code == 403

    listed = admin.get("/admin/keys").json()["items"]
    assert [k["prefix"] for k in listed] == [created["prefix"]]
    assert listed[0]["last_used_at"] is not None and "key" not in listed[0]
    with road.sessions() as session:
        stored = session.get(ApiKey, created["id"])
        assert stored is not None and key not in stored.secret_hash and stored.secret_hash

    revoked = admin.post(f"/admin/keys/{created['id']}/revoke")
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    assert client.get(f"{V1}/applications/{ref}", headers=as_bearer).status_code == 401
    assert admin.post("/admin/keys/999999/revoke").status_code == 404


@pytest.mark.parametrize(("body", "field"), [
    ({"name": "x", "role": "regulator", "organization": "nnas"}, "organization"),
    ({"name": "x", "role": "assessor", "organization": "cno"}, "organization"),
    ({"name": "   ", "role": "assessor", "organization": "nnas"}, "name"),
])
def test_a_key_belongs_to_one_real_organization_of_its_kind(road: Road, body: dict, field: str) -> None:  # type: ignore[type-arg]
    response = road.person(Role.admin).post("/admin/keys", json=body)
    assert response.status_code == 422 and response.json()["field"] == field


def test_forged_and_malformed_keys_are_refused(road: Road, client: TestClient) -> None:
    key = _create(road.person(Role.admin), "nnas", "assessor")["key"]
    forged = key[:-4] + ("AAAA" if not key.endswith("AAAA") else "BBBB")
    for bad in (forged, "ft_", "ft_short_x", "ft_" + "a" * 12 + "_" + "b" * 500):
        response = client.get(f"{V1}/applications", headers={"X-API-Key": bad})
        assert response.status_code == 401 and response.json()["message"]


def test_keys_from_the_command_line(road: Road, client: TestClient, cli_database: None) -> None:
    runner = CliRunner()
    created = runner.invoke(cli, ["keys", "create", "cno case system", "--role", "regulator",
                                  "--organization", "cno"])
    assert created.exit_code == 0, created.output
    key = created.stdout.strip().splitlines()[-1]
    assert key.startswith("ft_")
    assert client.get(f"{V1}/applications", headers={"X-API-Key": key}).status_code == 200
    listed = runner.invoke(cli, ["keys", "list"])
    assert "cno case system" in listed.stdout and key not in listed.stdout
    key_id = road.person(Role.admin).get("/admin/keys").json()["items"][0]["id"]
    assert runner.invoke(cli, ["keys", "revoke", str(key_id)]).exit_code == 0
    assert client.get(f"{V1}/applications", headers={"X-API-Key": key}).status_code == 401
    bad = runner.invoke(cli, ["keys", "create", "x", "--role", "regulator", "--organization", "nope"])
    assert bad.exit_code == 2


SYSTEM_ADDRESS = "regulator.cno@system.fairtrack.invalid"


@pytest.mark.parametrize("email", [
    SYSTEM_ADDRESS, "Regulator.CNO@System.FairTrack.invalid", f"{SYSTEM_ADDRESS}.",
    "anything@deep.system.fairtrack.invalid",
])
def test_nobody_registers_an_address_reserved_for_system_accounts(
    client: TestClient, road: Road, email: str
) -> None:
    response = client.post(f"{V1}/auth/register",
                           json={"email": email, "password": "Attacker-pass-1234"})
    assert response.status_code == 422, response.text
    assert response.json()["field"] == "email" and "reserved" in response.json()["message"]


def test_an_applicant_cannot_take_over_the_keys_of_cno_by_its_system_address(
    road: Road, client: TestClient, cli_database: None
) -> None:
    """The review's attack end to end: register the system address, wait for cno's key, use it."""
    registered = client.post(f"{V1}/auth/register",
                             json={"email": SYSTEM_ADDRESS, "password": "Attacker-pass-1234"})
    assert registered.status_code == 422
    added = CliRunner().invoke(cli, ["users", "add", SYSTEM_ADDRESS, "--role", "applicant"],
                               input="Attacker-pass-1234\n")
    assert added.exit_code == 2 and "reserved" in added.output
    admin = road.person(Role.admin)
    key = _create(admin, "cno")["key"]
    with road.sessions() as session:
        system = session.scalars(select(User).where(User.email == SYSTEM_ADDRESS)).one()  # type: ignore[arg-type]
        assert (system.role, system.organization, system.password_hash) == (
            "regulator", "cno", NO_PASSWORD)
    login = client.post(f"{V1}/auth/token",
                        data={"username": SYSTEM_ADDRESS, "password": "Attacker-pass-1234"})
    assert login.status_code == 401
    nurse_ref = road.applicant().open("cno", "rn", "nnas")
    seen = client.get(f"{V1}/applications", headers={"X-API-Key": key}).json()["items"]
    assert [item["reference"] for item in seen] == [nurse_ref]  # a regulator's view, not an applicant's


def test_an_address_squatted_before_the_rule_gets_no_key_and_keeps_none(
    road: Road, client: TestClient
) -> None:
    """An applicant who holds the system address from before: no new key is bound to the account,
    and a key bound to it earlier stops working."""
    with transaction(road.sessions) as session:
        squatter = User(email=SYSTEM_ADDRESS, password_hash=password_hash(), role="applicant")
        session.add(squatter)
        session.flush()
        assert squatter.id is not None
        squatter_id = squatter.id
    refused = road.person(Role.admin).post(
        "/admin/keys", json={"name": "cno system", "role": "regulator", "organization": "cno"})
    assert refused.status_code == 422 and refused.json()["field"] == "organization"
    with road.sessions() as session:
        assert session.scalars(select(ApiKey)).all() == []
    full, prefix, secret_hash = new_api_key()
    with transaction(road.sessions) as session:
        session.add(ApiKey(name="cno system", prefix=prefix, secret_hash=secret_hash,
                           role="regulator", organization="cno", user_id=squatter_id,
                           created_at=utcnow()))
    response = client.get(f"{V1}/applications", headers={"X-API-Key": full})
    assert response.status_code == 401
