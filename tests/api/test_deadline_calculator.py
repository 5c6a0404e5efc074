"""The public deadline calculator (issue 9, item 2): GET /api/v1/deadlines/calculate and
`fairtrack deadline`, with no token: the last day, the counting rule, the holidays it stepped over,
the citation and what is to verify, for every window and route."""

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from cli.main import app as cli
from law.windows import WINDOW_CODES
from regulators.registry import Registry

URL = "/api/v1/deadlines/calculate"


def test_a_court_deadline_with_its_rule_holidays_citation_and_what_is_to_verify(
    client: TestClient,
) -> None:
    """Rules of Civil Procedure r. 1.03 and r. 3.01: 30 days from Thu 25 Nov 2021 end on
    Sat 25 Dec; Sunday, Monday and Tuesday are holidays too (Christmas on a Saturday)."""
    body = client.get(URL, params={"window": "divisional_court_appeal",
                                   "start": "2021-11-25"}).json()
    assert body["known"] is True and body["last_day"] == "2021-12-29"
    assert [h["day"] for h in body["holidays_stepped_over"]] == [
        "2021-12-25", "2021-12-26", "2021-12-27", "2021-12-28"]
    assert body["counting"]["rule"] == "civil_procedure"
    assert "r. 1.03" in body["counting"]["citation"] and "61.04" in body["citation"]
    assert any("to verify" in note for note in body["to_verify"])
    assert body["party"] == "applicant" and body["days"] == 30


def test_regular_mail_moves_the_start_to_the_deemed_receipt(client: TestClient) -> None:
    """Statutory Powers Procedure Act s. 18 (to verify): the fifth day after mailing."""
    body = client.get(URL, params={"window": "appeal_board_request", "start": "2022-11-20",
                                   "sent_by": "regular_mail"}).json()
    assert (body["runs_from"], body["last_day"]) == ("2022-11-25", "2022-12-28")
    assert "deemed receipt" in body["basis"]
    actual = client.get(URL, params={"window": "appeal_board_request", "start": "2022-11-20",
                                     "sent_by": "regular_mail",
                                     "received_on": "2022-11-22"}).json()
    assert (actual["runs_from"], actual["last_day"]) == ("2022-11-22", "2022-12-22")


def test_every_window_and_route_is_answered_and_nothing_is_a_server_error(
    client: TestClient, registry: Registry
) -> None:
    for window in WINDOW_CODES:
        for slug in registry.regulators:
            response = client.get(URL, params={"window": window, "start": "2026-03-04",
                                               "regulator": slug})
            assert response.status_code in (200, 422), (window, slug, response.text)
            body = response.json()
            if response.status_code == 422:
                assert "route" in body["message"], (window, slug)
            elif not body["known"]:
                assert body["last_day"] is None and "none is invented" in body["note"]
    peo = client.get(URL, params={"window": "internal_review_request", "start": "2026-03-04",
                                  "regulator": "peo"}).json()
    assert peo["known"] is False
    ocswssw = client.get(URL, params={"window": "internal_review_request",
                                      "start": "2026-03-04", "regulator": "ocswssw"}).json()
    assert (ocswssw["known"], ocswssw["days"]) == (True, 60)


def test_the_calculator_refuses_what_it_cannot_answer_with_a_clear_422(client: TestClient) -> None:
    unknown = client.get(URL, params={"window": "no_such_window", "start": "2026-03-04"})
    assert unknown.status_code == 422 and unknown.json()["known"] == list(WINDOW_CODES)
    body_needed = client.get(URL, params={"window": "internal_review_request",
                                          "start": "2026-03-04"})
    assert body_needed.status_code == 422 and body_needed.json()["known"] == ["ocswssw"]
    off_route = client.get(URL, params={"window": "appeal_board_request", "start": "2026-03-04",
                                        "regulator": "peo"})
    assert off_route.status_code == 422 and "route" in off_route.json()["message"]
    for params in ({"start": "2026-03-04"}, {"window": "appeal_board_request"},
                   {"window": "appeal_board_request", "start": "0001-01-01"},
                   {"window": "appeal_board_request", "start": "2026-02-30"},
                   {"window": "appeal_board_request", "start": "2026-03-04", "sent_by": "pigeon"},
                   {"window": "appeal_board_request", "start": "2026-03-04",
                    "regulator": "nobody"}):
        assert client.get(URL, params=params).status_code == 422, params


def test_fairtrack_deadline_prints_the_same_answer() -> None:
    result = CliRunner().invoke(cli, ["deadline", "appeal_board_request", "2022-11-20",
                                      "--sent-by", "regular_mail"])
    assert result.exit_code == 0, result.output
    assert "last day 2022-12-28 (Wednesday)" in result.output
    assert "stepped over 2022-12-27: Christmas Day (s. 88(5)" in result.output
    assert "citation: Health Professions Procedural Code" in result.output
    unknown = CliRunner().invoke(cli, ["deadline", "internal_review_request", "2026-03-02",
                                       "--regulator", "peo"])
    assert unknown.exit_code == 1 and "none is invented" in unknown.output
    bad = CliRunner().invoke(cli, ["deadline", "nothing", "2026-03-02"])
    assert bad.exit_code == 2
