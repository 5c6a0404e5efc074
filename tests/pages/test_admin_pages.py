"""Administrators' pages (issue 13): API keys made (shown once), listed and revoked; an
organization's accounts, each session ended by a form; nobody else reads them."""

import html
import re

from fastapi.testclient import TestClient

from law.road import Role
from tests.pages.test_staff_pages import csrf_of, log_in
from tests.support.road import Road


def test_an_administrator_makes_lists_and_revokes_a_key_and_ends_sessions(
    client: TestClient, road: Road
) -> None:
    admin = road.person(Role.admin)
    clerk = road.regulator("cno")
    log_in(client, admin)
    page = client.get("/admin/keys")
    assert page.status_code == 200
    refused = client.post("/admin/keys", data={"csrf_token": csrf_of(page.text), "name": "",
                                                "role": "tribunal", "organization": "cno"})
    assert refused.status_code == 422 and 'id="name-error"' in refused.text
    made = client.post("/admin/keys", data={"csrf_token": csrf_of(page.text), "name": "CNO system",
                                             "role": "regulator", "organization": "cno"})
    assert made.status_code == 200
    key = re.search(r"<code>(ft_[^<]+)</code>", made.text)
    assert key is not None
    assert client.get("/api/v1/queue", headers={"X-API-Key": html.unescape(key.group(1))}
                      ).status_code == 200
    listed = client.get("/admin/keys?organization=cno")
    assert "CNO system" in listed.text and key.group(1) not in listed.text  # shown once
    revoke = re.search(r'action="(/admin/keys/\d+/revoke)"', listed.text)
    assert revoke is not None
    client.post(revoke.group(1), data={"csrf_token": csrf_of(listed.text)})
    assert client.get("/api/v1/queue", headers={"X-API-Key": html.unescape(key.group(1))}
                      ).status_code == 401
    assert client.get("/admin/keys?organization=nowhere").status_code == 422

    users = client.get("/admin/users?organization=cno")
    assert clerk.email in users.text
    assert clerk.get("/queue").status_code == 200
    end = client.post(f"/admin/users/{clerk.user_id}/revoke-sessions",
                      data={"csrf_token": csrf_of(users.text), "organization": "cno"})
    assert end.status_code == 200 and clerk.email in end.text
    assert clerk.get("/queue").status_code == 401


def test_only_administrators_read_the_admin_pages(client: TestClient, road: Road) -> None:
    for person in (road.regulator("cno"), road.oversight(), road.applicant()):
        log_in(client, person)
        assert client.get("/admin/keys").status_code == 403
        assert client.get("/admin/users?organization=cno").status_code == 403
