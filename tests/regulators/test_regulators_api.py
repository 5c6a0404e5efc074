"""The public registry over HTTP, without a token: what an applicant reads before applying."""

from fastapi.testclient import TestClient

from law.windows import windows_on_route
from regulators.registry import Registry


def test_every_regulator_is_listed_page_by_page_without_a_token(
    client: TestClient, registry: Registry
) -> None:
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": 10}
        if cursor:
            params["cursor"] = cursor
        response = client.get("/api/v1/regulators", params=params)
        assert response.status_code == 200, response.text
        page = response.json()
        assert len(page["items"]) <= 10
        seen += [item["slug"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(registry.regulators)
    assert len(seen) == 42


def test_regulators_filter_by_sector(client: TestClient) -> None:
    health = client.get("/api/v1/regulators", params={"sector": "health", "limit": 100}).json()
    assert len(health["items"]) == 26 and {i["sector"] for i in health["items"]} == {"health"}
    trades = client.get("/api/v1/regulators", params={"sector": "trades"}).json()
    assert [i["slug"] for i in trades["items"]] == ["sto"]
    non_health = client.get("/api/v1/regulators", params={"sector": "non_health"}).json()
    assert len(non_health["items"]) == 15


def test_names_follow_lang_then_accept_language(client: TestClient) -> None:
    def cno_name(**kwargs: object) -> str:
        body = client.get("/api/v1/regulators", params={"sector": "health", "limit": 100},
                          **kwargs).json()  # type: ignore[arg-type]
        return next(i["name"] for i in body["items"] if i["slug"] == "cno")

    assert cno_name() == "College of Nurses of Ontario"
    assert cno_name(headers={"Accept-Language": "fr-CA,fr;q=0.9"}) == (
        "Ordre des infirmières et infirmiers de l'Ontario")
    assert cno_name(headers={"Accept-Language": "de-DE,en;q=0.3,fr;q=0.7"}).startswith("Ordre")
    assert cno_name(headers={"Accept-Language": "fr;q=0.2,en"}) == "College of Nurses of Ontario"
    response = client.get("/api/v1/regulators", params={"lang": "en"},
                          headers={"Accept-Language": "fr"})
    assert response.json()["lang"] == "en"


def test_a_health_college_shows_its_route_standards_windows_and_what_is_to_verify(
    client: TestClient,
) -> None:
    cno = client.get("/api/v1/regulators/cno").json()
    assert (cno["rules_version"], cno["effective_date"]) == (1, "2024-01-01")
    assert [stop["stage"] for stop in cno["route"]] == [
        "assessment", "regulator_review", "internal_committee", "appeal_board", "divisional_court"]
    bodies = [[b["slug"] for b in stop["bodies"]] for stop in cno["route"]]
    assert bodies == [["nnas"], ["cno"], ["cno-registration-committee"], ["hparb"],
                      ["divisional-court"]]
    review = next(s for s in cno["service_standards"] if s["stage"] == "regulator_review")
    assert review == {"stage": "regulator_review", "days": 60, "counting": "business",
                      "is_default": True, "source": review["source"]}
    assert "project default" in review["source"]
    hparb = cno["route"][3]
    assert hparb["window"]["window"] == "appeal_board_request" and hparb["window"]["days"] == 30
    assert hparb["window"]["to_verify"]  # the Code section is still to verify
    # The windows shown are the ones the deadlines count by (law/windows.py), with their rule:
    # every window of the health route, and no body's own window.
    shown = {w["window"]: (w["days"], w["counting"], w["party"], w["citation"], w["to_verify"])
             for w in cno["statutory_windows"]}
    assert shown == {w.kind.value: (w.days, w.counting.value, w.party.value, w.citation,
                                    w.to_verify) for w in windows_on_route(health=True)}
    assert set(shown) == {"committee_submissions", "appeal_board_request",
                          "divisional_court_appeal", "college_court_appeal"}
    assert shown["divisional_court_appeal"][1] == "civil_procedure"
    assert shown["appeal_board_request"][1] == "legislation_act"
    assert [stop["window"]["window"] for stop in cno["route"] if stop["window"]] == [
        "committee_submissions", "appeal_board_request", "divisional_court_appeal"]
    assert cno["to_verify"] and cno["canadian_experience_exemption"]["granted"] is False
    # No dated record: the exemption status needs review, never assumed "none" (issue 9).
    assert cno["canadian_experience_exemption"]["status"] == "unknown"
    assert cno["oversight"] == "confirmed" and cno["accepted_language_tests_source"] is None


def test_a_self_assessing_body_has_no_assessment_stage_and_no_encoded_windows(
    client: TestClient,
) -> None:
    peo = client.get("/api/v1/regulators/peo", params={"lang": "fr"}).json()
    assert peo["name"] == "Ordre des ingénieurs de l'Ontario"
    assert [stop["stage"] for stop in peo["route"]][0] == "regulator_review"
    assert peo["route"][2]["bodies"][0]["slug"] == "peo-registration-committee"
    assert peo["statutory_windows"] == []
    assert all(stop["window"] is None for stop in peo["route"])
    assert any(note.startswith("statutory_windows:") for note in peo["to_verify"])


def test_an_unknown_regulator_is_a_404_json_error(client: TestClient) -> None:
    response = client.get("/api/v1/regulators/college-of-wizards")
    assert response.status_code == 404
    assert response.json()["error"] == "not_found" and "college-of-wizards" in response.json()[
        "message"]
    bad = client.get("/api/v1/regulators/CNO%20OR%201=1")
    assert bad.status_code == 422 and bad.json()["error"] == "invalid_request"
    assert client.get("/api/v1/regulators", params={"limit": 0}).status_code == 422
    assert client.get("/api/v1/regulators", params={"limit": 101}).status_code == 422
    assert client.get("/api/v1/regulators", params={"sector": "medicine"}).status_code == 422


def test_assessors_say_which_regulators_use_them_and_that_they_do_not_license(
    client: TestClient,
) -> None:
    body = client.get("/api/v1/assessors").json()
    by_slug = {a["slug"]: a for a in body["items"]}
    assert set(by_slug) == {"ces", "icas", "ices", "iqas", "mcc", "nnas", "pebc", "wes"}
    assert by_slug["nnas"]["used_by"] == ["cno"]
    assert "cpso" in by_slug["mcc"]["used_by"]
    assert "not a licence" in body["notice"]
    first = client.get("/api/v1/assessors", params={"limit": 3}).json()
    rest = client.get("/api/v1/assessors", params={"cursor": first["next_cursor"]}).json()
    assert [a["slug"] for a in first["items"] + rest["items"]] == sorted(by_slug)
    assert client.get("/api/v1/assessors", params={"lang": "fr"}).json()["notice"].startswith("Une")


def test_the_openapi_spec_lists_the_refusals(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "404" in paths["/api/v1/regulators/{slug}"]["get"]["responses"]
    assert "422" in paths["/api/v1/professions"]["get"]["responses"]
    assert "security" not in paths["/api/v1/regulators"]["get"]


def test_the_registry_counts_forty_confirmed_and_two_to_verify_never_forty_two(
    client: TestClient,
) -> None:
    """Issue 9, item 11 (facts s. 1 and s. 2): the Fairness Commissioner oversees 41 bodies; the
    registry holds 42 files, one non-health row is not on FARPACTA Schedule 1, and which one (OIA
    or OPPI) is not settled: both are marked."""
    page = client.get("/api/v1/regulators", params={"limit": 100}).json()
    assert len(page["items"]) == 42
    assert page["oversight"] == {
        "overseen_per_ofc": 41, "confirmed": 40, "to_verify": ["oia", "oppi"],
        "note": page["oversight"]["note"]}
    assert "oversees 41" in page["oversight"]["note"] and "42" not in page["oversight"]["note"]
    marked = {item["slug"]: item["oversight"] for item in page["items"]
              if item["oversight"] != "confirmed"}
    assert marked == {"oia": "to_verify", "oppi": "to_verify"}
    assert client.get("/api/v1/regulators/oppi").json()["oversight"] == "to_verify"
