"""The authorization matrix, generated from the app's own route table: every route, called by
every role (in and out of scope), an API key, no token, an expired and a tampered token.

A route without an entry here fails `test_route` with the entry to add. Reading outside one's
scope answers 404; acting outside one's role answers 403; bad or missing credentials answer 401.
"""

from collections.abc import Iterator
from dataclasses import dataclass, replace

import pytest
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from api.app import create_app
from fairtrack.settings import Settings
from tests.support.matrix_world import CALLERS, PASSWORD, Builder, Call, World, build_world
from tests.support.road import Road

BAD_CREDENTIALS = {"no_token": 401, "expired_token": 401, "tampered_token": 401}


@dataclass(frozen=True)
class Expect:
    statuses: dict[str, int]
    call: Builder | None = None  # default: the route's path with DEFAULT_PARAMS, no body


def public(status: int, call: Builder | None = None) -> Expect:
    """Open to anyone: credentials, good or bad, change nothing."""
    return Expect(dict.fromkeys(CALLERS, status), call)


def protected(
    *, applicant: int, other_applicant: int, regulator: int, other_regulator: int, assessor: int,
    tribunal: int, oversight: int, admin: int, regulator_key: int, call: Builder | None = None,
) -> Expect:
    statuses = {
        "applicant": applicant, "other_applicant": other_applicant, "regulator": regulator,
        "other_regulator": other_regulator, "assessor": assessor, "tribunal": tribunal,
        "oversight": oversight, "admin": admin, "regulator_key": regulator_key, **BAD_CREDENTIALS,
    }
    return Expect(statuses, call)


def admin_only(ok: int, call: Builder | None = None) -> Expect:
    return protected(
        applicant=403, other_applicant=403, regulator=403, other_regulator=403, assessor=403,
        tribunal=403, oversight=403, admin=ok, regulator_key=403, call=call,
    )


# The matrix's applicant owns a draft at CNO assessed by NNAS; "other_" callers are out of scope;
# the tribunal is HPARB, before which the draft has not come; NNAS sees it only once submitted
# (need-to-know: an assessor sees a file while and after it holds it, workflow.policy).
READ_ONE = protected(
    applicant=200, other_applicant=404, regulator=200, other_regulator=404, assessor=404,
    tribunal=404, oversight=200, admin=403, regulator_key=200,
)
V1 = "/api/v1"
FIGURES = protected(
    applicant=403, other_applicant=403, regulator=200, other_regulator=200, assessor=403,
    tribunal=403, oversight=200, admin=403, regulator_key=200,
)
# Imports and webhooks: the organizations on the road (staff and keys), each for its own.
INTEGRATORS_WRITE = protected(
    applicant=403, other_applicant=403, regulator=201, other_regulator=201, assessor=201,
    tribunal=201, oversight=403, admin=403, regulator_key=201,
)
CNO_ONLY = protected(
    applicant=403, other_applicant=403, regulator=200, other_regulator=404, assessor=404,
    tribunal=404, oversight=403, admin=403, regulator_key=200,
)
OWN_PROFILE = protected(
    applicant=200, other_applicant=200, regulator=403, other_regulator=403, assessor=403,
    tribunal=403, oversight=403, admin=403, regulator_key=403,
)

MATRIX: dict[tuple[str, str], Expect] = {
    ("GET", "/openapi.json"): public(200),
    ("GET", "/docs"): public(200),
    ("GET", "/docs/oauth2-redirect"): public(200),
    ("GET", "/redoc"): public(200),
    ("GET", f"{V1}/health"): public(200),
    ("POST", f"{V1}/auth/token"): public(200, lambda w: Call(
        "POST", f"{V1}/auth/token",
        data={"username": w.people["applicant"].email, "password": PASSWORD},
    )),
    ("POST", f"{V1}/auth/refresh"): public(200, lambda w: Call(
        "POST", f"{V1}/auth/refresh", json={"refresh_token": w.fresh_refresh_token()},
    )),
    ("POST", f"{V1}/auth/register"): public(201, lambda w: Call(
        "POST", f"{V1}/auth/register",
        json={"email": w.fresh_email(), "password": "a long enough passphrase", "preferred_language": "fr"},
    )),
    ("POST", f"{V1}/me/password"): protected(
        applicant=204, other_applicant=204, regulator=204, other_regulator=204, assessor=204,
        tribunal=204, oversight=204, admin=204, regulator_key=403,
        call=lambda w: Call("POST", f"{V1}/me/password", json={
            "current_password": PASSWORD, "new_password": "another long passphrase 2",
        }),
    ),
    ("POST", f"{V1}/applications"): protected(
        applicant=201, other_applicant=201, regulator=403, other_regulator=403, assessor=403,
        tribunal=403, oversight=403, admin=403, regulator_key=403,
        call=lambda w: Call("POST", f"{V1}/applications",
                            json={"regulator": "peo", "licence_class": "p-eng"}),
    ),
    ("GET", f"{V1}/applications"): protected(
        applicant=200, other_applicant=200, regulator=200, other_regulator=200, assessor=200,
        tribunal=200, oversight=200, admin=403, regulator_key=200,
    ),
    ("GET", f"{V1}/applications/{{reference}}"): READ_ONE,
    ("GET", f"{V1}/applications/{{reference}}/timeline"): READ_ONE,
    # Submitting a fresh draft: only its applicant may; staff who see it lack the role (403); its
    # assessor does not see it yet (404).
    ("POST", f"{V1}/applications/{{reference}}/events"): protected(
        applicant=201, other_applicant=404, regulator=403, other_regulator=404, assessor=404,
        tribunal=404, oversight=403, admin=403, regulator_key=403,
        call=lambda w: Call("POST", f"{V1}/applications/{w.fresh_application()}/events",
                            json={"trigger": "submit", "expected_version": 1}),
    ),
    # The work queue: staff of regulators, assessors and tribunals (each its own), their keys.
    ("GET", f"{V1}/queue"): protected(
        applicant=403, other_applicant=403, regulator=200, other_regulator=200, assessor=200,
        tribunal=200, oversight=403, admin=403, regulator_key=200,
    ),
    ("GET", f"{V1}/regulators"): public(200),
    ("POST", f"{V1}/imports"): replace(INTEGRATORS_WRITE, call=lambda w: Call(
        "POST", f"{V1}/imports", content=f"reference,trigger\n{w.reference},begin_review\n".encode(),
        media_type="text/csv")),
    ("GET", f"{V1}/imports/{{job_id}}"): CNO_ONLY,
    ("POST", f"{V1}/webhooks"): replace(INTEGRATORS_WRITE, call=lambda w: Call(
        "POST", f"{V1}/webhooks", json={"url": "https://cases.example.org/hook"})),
    ("GET", f"{V1}/webhooks"): protected(
        applicant=403, other_applicant=403, regulator=200, other_regulator=200, assessor=200,
        tribunal=200, oversight=403, admin=403, regulator_key=200,
    ),
    ("GET", f"{V1}/webhooks/{{subscription_id}}/deliveries"): CNO_ONLY,
    # Each caller aims at a fresh subscription of CNO's: only CNO (staff or key) deletes it.
    ("DELETE", f"{V1}/webhooks/{{subscription_id}}"): protected(
        applicant=403, other_applicant=403, regulator=204, other_regulator=404, assessor=404,
        tribunal=404, oversight=403, admin=403, regulator_key=204,
    ),
    ("POST", f"{V1}/webhooks/deliveries/{{delivery_id}}/replay"): CNO_ONLY,
    # Fairness figures: oversight all, a regulator (person or key) its own; flags triage: oversight.
    ("GET", f"{V1}/oversight/flags"): FIGURES,
    # One flag and its history: fairness staff, and the flag's own regulator (person or key).
    ("GET", f"{V1}/oversight/flags/{{flag_id}}"): protected(
        applicant=403, other_applicant=403, regulator=200, other_regulator=404, assessor=403,
        tribunal=403, oversight=200, admin=403, regulator_key=200,
        call=lambda w: Call("GET", f"{V1}/oversight/flags/{w.fresh_flag()}"),
    ),
    ("PATCH", f"{V1}/oversight/flags/{{flag_id}}"): protected(
        applicant=403, other_applicant=403, regulator=403, other_regulator=403, assessor=403,
        tribunal=403, oversight=404, admin=403, regulator_key=403,
        call=lambda w: Call("PATCH", f"{V1}/oversight/flags/999999", json={"action": "acknowledge"}),
    ),
    ("GET", f"{V1}/oversight/timeliness"): FIGURES,
    ("GET", f"{V1}/oversight/outcomes"): FIGURES,
    # Documents: an application's summary and letters as the application itself (the matrix's
    # draft has no letter: 404 in scope too); reports as figures, a regulator its own only; the
    # annual report fairness staff's; exports as figures.
    ("GET", f"{V1}/applications/{{reference}}/summary.pdf"): READ_ONE,
    ("GET", f"{V1}/applications/{{reference}}/letters"): READ_ONE,
    ("GET", f"{V1}/applications/{{reference}}/letters/{{seq}}.pdf"): protected(
        applicant=404, other_applicant=404, regulator=404, other_regulator=404, assessor=404,
        tribunal=404, oversight=404, admin=403, regulator_key=404,
    ),
    ("GET", f"{V1}/reports/regulator/{{regulator}}.pdf"): protected(
        applicant=403, other_applicant=403, regulator=200, other_regulator=403, assessor=403,
        tribunal=403, oversight=200, admin=403, regulator_key=200,
        call=lambda w: Call("GET", f"{V1}/reports/regulator/cno.pdf?since=2026-01-01&until=2026-12-31"),
    ),
    ("GET", f"{V1}/reports/annual/{{year}}.pdf"): protected(
        applicant=403, other_applicant=403, regulator=403, other_regulator=403, assessor=403,
        tribunal=403, oversight=200, admin=403, regulator_key=403,
    ),
    ("GET", f"{V1}/exports/{{kind}}.csv"): FIGURES,
    ("GET", f"{V1}/me/profile"): OWN_PROFILE,
    ("PUT", f"{V1}/me/profile"): protected(
        applicant=200, other_applicant=200, regulator=403, other_regulator=403, assessor=403,
        tribunal=403, oversight=403, admin=403, regulator_key=403,
        call=lambda w: Call("PUT", f"{V1}/me/profile", json={"immigration_status": "abroad"}),
    ),
    ("GET", f"{V1}/regulators/{{slug}}"): public(200),
    ("GET", f"{V1}/regulators/{{slug}}/rules"): public(200),
    ("GET", f"{V1}/regulators/{{slug}}/rules/{{version}}"): public(200),
    ("GET", f"{V1}/assessors"): public(200),
    ("GET", f"{V1}/professions"): public(200, lambda w: Call("GET", f"{V1}/professions?q=nurse")),
    ("GET", f"{V1}/deadlines/calculate"): public(200, lambda w: Call(
        "GET", f"{V1}/deadlines/calculate?window=appeal_board_request&start=2026-03-04")),
    ("POST", f"{V1}/admin/keys"): admin_only(201, lambda w: Call(
        "POST", f"{V1}/admin/keys", json={"name": "peo intake", "role": "regulator", "organization": "peo"},
    )),
    ("GET", f"{V1}/admin/keys"): admin_only(200),
    ("POST", f"{V1}/admin/keys/{{key_id}}/revoke"): admin_only(200),
    # Each caller aims at an applicant of its own: ending the matrix's people's sessions would
    # change the answers the callers after it get.
    ("POST", f"{V1}/admin/users/{{user_id}}/revoke-sessions"): admin_only(204, lambda w: Call(
        "POST", f"{V1}/admin/users/{w.road.applicant().user_id}/revoke-sessions")),
    # Pages: the bearer header means nothing to them; forms without the session's CSRF token are
    # refused (403) and pages for people without a session redirect to /login (303).
    ("GET", "/login"): public(200),
    ("POST", "/login"): public(403, lambda w: Call(
        "POST", "/login", data={"email": w.people["applicant"].email, "password": PASSWORD},
    )),
    ("GET", "/me"): public(303),
    ("POST", "/logout"): public(403, lambda w: Call("POST", "/logout", data={})),
    # The portal's public pages; the applicant's pages send a visitor without a session to /login.
    ("GET", "/"): public(200),
    ("GET", "/accessibility"): public(200),
    ("GET", "/regulators/find"): public(200, lambda w: Call("GET", "/regulators/find?q=nurse")),
    ("GET", "/regulators/{slug}"): public(200),
    ("GET", "/deadlines/calculator"): public(200),
    ("GET", "/signup"): public(200),
    ("POST", "/signup"): public(403, lambda w: Call("POST", "/signup", data={})),
    ("POST", "/language"): public(403, lambda w: Call("POST", "/language", data={"to": "fr"})),
    ("GET", "/applications"): public(303),
    ("POST", "/applications"): public(403, lambda w: Call("POST", "/applications", data={})),
    ("GET", "/applications/new"): public(303),
    ("GET", "/applications/new/check"): public(303),
    ("GET", "/applications/{reference}"): public(303),
    ("GET", "/applications/{reference}/done/{trigger}"): public(303),
    ("GET", "/applications/{reference}/steps/{trigger}"): public(303),
    ("POST", "/applications/{reference}/steps/{trigger}"): public(403, lambda w: Call(
        "POST", f"/applications/{w.reference}/steps/submit", data={})),
    ("POST", "/applications/{reference}/steps/{trigger}/check"): public(403, lambda w: Call(
        "POST", f"/applications/{w.reference}/steps/submit/check", data={})),
    ("GET", "/applications/{reference}/summary.pdf"): public(303),
    ("GET", "/applications/{reference}/letters/{seq}.pdf"): public(303),
    ("GET", "/profile"): public(303),
    ("GET", "/messages"): public(303),
    ("GET", "/profile/{field}"): public(303),
    ("POST", "/profile/{field}"): public(403, lambda w: Call("POST", "/profile/arrival_date", data={})),
    # Staff and oversight pages (issue 13): without a page session, to /login; forms without the
    # session's token, 403. Each role's answers with a session are in tests/pages/test_staff_pages.py
    # and tests/pages/test_oversight_pages.py.
    ("GET", "/data-dictionary"): public(200),
    ("GET", "/staff/queue"): public(303),
    ("GET", "/staff/queue.csv"): public(303),
    ("GET", "/staff/applications/{reference}"): public(303),
    ("GET", "/staff/applications/{reference}/steps/{trigger}"): public(303),
    ("GET", "/staff/applications/{reference}/done/{trigger}"): public(303),
    ("POST", "/staff/applications/{reference}/steps/{trigger}"): public(403, lambda w: Call(
        "POST", f"/staff/applications/{w.reference}/steps/begin_review", data={})),
    ("POST", "/staff/applications/{reference}/steps/{trigger}/check"): public(403, lambda w: Call(
        "POST", f"/staff/applications/{w.reference}/steps/begin_review/check", data={})),
    ("GET", "/admin/keys"): public(303),
    ("POST", "/admin/keys"): public(403, lambda w: Call("POST", "/admin/keys", data={})),
    ("POST", "/admin/keys/{key_id}/revoke"): public(403, lambda w: Call(
        "POST", f"/admin/keys/{w.fresh_key_id()}/revoke", data={})),
    ("GET", "/admin/users"): public(303),
    ("POST", "/admin/users/{user_id}/revoke-sessions"): public(403, lambda w: Call(
        "POST", f"/admin/users/{w.road.applicant().user_id}/revoke-sessions", data={})),
    ("GET", "/oversight"): public(303),
    ("GET", "/oversight/regulators/{slug}"): public(303),
    ("GET", "/oversight/applications/{reference}"): public(303),
    ("GET", "/oversight/timeliness.csv"): public(303),
    ("GET", "/oversight/outcomes.csv"): public(303),
    ("GET", "/oversight/flag-counts.csv"): public(303),
    ("GET", "/oversight/flags"): public(303),
    ("GET", "/oversight/flags.csv"): public(303),
    ("GET", "/oversight/flags/{flag_id}"): public(303, lambda w: Call("GET", "/oversight/flags/1")),
    ("GET", "/oversight/flags/{flag_id}/history.csv"): public(
        303, lambda w: Call("GET", "/oversight/flags/1/history.csv")),
    ("POST", "/oversight/flags/{flag_id}"): public(403, lambda w: Call(
        "POST", "/oversight/flags/1", data={"action": "acknowledge"})),
}

DEFAULT_PARAMS = {
    "reference": lambda w: w.reference,
    "slug": lambda w: "cno",
    "version": lambda w: "1",
    "key_id": lambda w: str(w.fresh_key_id()),
    "trigger": lambda w: "submit",
    "field": lambda w: "arrival_date",
    "job_id": lambda w: str(w.fresh_import_job()),
    "subscription_id": lambda w: str(w.fresh_subscription()),
    "delivery_id": lambda w: str(w.fresh_delivery()),
    "seq": lambda w: "1",
    "year": lambda w: "2026",
    "kind": lambda w: "events",
}


def route_table(app: FastAPI) -> list[tuple[str, str]]:
    """(method, path template) of every HTTP route the app serves, HEAD aside."""
    found = set()
    for context in iter_route_contexts(app.routes):
        for method in context.methods or ():
            if method != "HEAD" and context.path:
                found.add((method, context.path))
    return sorted(found, key=lambda r: (r[1], r[0]))


ROUTES = route_table(create_app(Settings(database_url="sqlite://")))


def _default_call(world: World, method: str, path: str) -> Call:
    params = {}
    for name, make in DEFAULT_PARAMS.items():
        if "{" + name + "}" in path:
            params[name] = make(world)
    try:
        return Call(method, path.format(**params))
    except KeyError as exc:
        raise AssertionError(
            f"{method} {path}: no value for path parameter {exc}; add it to DEFAULT_PARAMS or give "
            f"the entry a `call`"
        ) from None


def _missing_entry(method: str, path: str) -> str:
    return (
        f"{method} {path} has no entry in the authorization matrix. Add to MATRIX in "
        f"tests/api/test_auth_matrix.py, e.g.\n"
        f'    ("{method}", "{path}"): protected(applicant=..., other_applicant=..., regulator=..., '
        f"other_regulator=..., assessor=..., tribunal=..., oversight=..., admin=..., "
        f"regulator_key=...),\n"
        f"or public(STATUS) for a route open to everyone; give a `call=` when it needs a body."
    )


@pytest.fixture
def world(road: Road) -> Iterator[World]:
    yield build_world(road)


@pytest.mark.parametrize(("method", "path"), ROUTES, ids=[f"{m} {p}" for m, p in ROUTES])
def test_route(method: str, path: str, world: World, app: FastAPI) -> None:
    entry = MATRIX.get((method, path))
    if entry is None:
        pytest.fail(_missing_entry(method, path))
    assert set(entry.statuses) == set(CALLERS), f"{method} {path}: the entry must name every caller"
    mismatches = []
    for caller in CALLERS:
        app.state.limiter.reset()  # each caller alone: limits have tests of their own
        call = entry.call(world) if entry.call else _default_call(world, method, path)
        media = {"Content-Type": call.media_type} if call.media_type else {}
        response = world.road.client.request(
            call.method, call.path, json=call.json, data=call.data, content=call.content,
            headers={**world.headers[caller], **media}, follow_redirects=False,
        )
        expected = entry.statuses[caller]
        if response.status_code != expected:
            mismatches.append(f"{caller}: expected {expected}, got {response.status_code} "
                              f"{response.text[:200]}")
        elif expected >= 400 and response.headers["content-type"].startswith("application/json"):
            assert response.json()["message"], f"{method} {path} {caller}: a refusal needs a message"
    assert not mismatches, f"{method} {path}:\n" + "\n".join(mismatches)


def test_every_matrix_entry_is_a_route() -> None:
    stale = sorted(set(MATRIX) - set(ROUTES))
    assert not stale, f"entries for routes that no longer exist (remove them): {stale}"


def test_matrix_size() -> None:
    """Every route x every caller: the size reported for the issue."""
    assert len(ROUTES) * len(CALLERS) >= 25 * 12
