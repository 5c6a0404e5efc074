"""API keys: an organization's system acts within that organization, and only while the key lives."""


import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from accounts.models import ApiKey
from fairtrack.cli import app as cli
from tests.road import Person, Road
from workflow.road import Role

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
