"""Bulk import (issue 15, item 1): each valid row applied once through the event route's function,
each invalid row refused with its line and reason and nothing of it applied, a second import of
the same file changing nothing; CSV and JSON Lines; per role and organization."""

from sqlalchemy import func, select
from typer.testing import CliRunner

from cli.main import app as cli
from integrations.models import ImportedRow, ImportJob
from tests.support.integrations import csv_file, jsonl_file, post_import, under_review
from tests.support.road import Road
from workflow.models import Event

HEADER = ["reference", "trigger", "occurred_at", "outcome", "reasons", "requirements"]


def _events(road: Road) -> int:
    with road.sessions() as session:
        return session.scalar(select(func.count()).select_from(Event)) or 0


def test_a_csv_applies_valid_rows_once_refuses_the_others_by_line_and_a_second_import_changes_nothing(
    road: Road,
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    a, b, c = under_review(road, applicant, peo, 3)
    content = csv_file(HEADER, [
        [a, "issue_decision", "", "refused", "Academic deficiencies not cleared.", ""],       # line 2
        [b, "issue_decision", "", "requirements", "Two courses to complete.", "examination;bridging_program"],
        [c, "issue_decision", "", "refused", "", ""],           # line 4: a refusal without reasons
        ["FT-2026-999999", "begin_review", "", "", "", ""],     # line 5: no such application
        [c, "no_such_step", "", "", "", ""],                    # line 6: not a step
        [c, "request_information", "2099-01-01T00:00:00Z", "", "", ""],  # line 7: in the future
        [c, "request_information", "", "", "", "nonsense"],    # line 8: unknown requirement
    ])
    before_c = road.snapshot(c)
    response = post_import(peo, content)
    assert response.status_code == 201, response.text
    report = response.json()
    assert (report["rows"], report["applied"], report["already_applied"], report["refused"]) == (7, 2, 0, 5)
    refused = {r["line"]: r["reason"] for r in report["refusals"]}
    assert sorted(refused) == [4, 5, 6, 7, 8]
    assert "reasons" in refused[4]
    assert "no application" in refused[5]
    assert "no_such_step" in refused[6]
    assert "future" in refused[7]
    assert "nonsense" in refused[8]
    assert road.snapshot(a).state == "refused_appealable"
    assert road.snapshot(b).state == "requirements_outstanding"
    assert road.snapshot(c) == before_c  # nothing of a refused row was applied
    events = _events(road)

    again = post_import(peo, content).json()
    assert (again["applied"], again["already_applied"], again["refused"]) == (0, 2, 5)
    assert _events(road) == events
    with road.sessions() as session:
        assert session.scalar(select(func.count()).select_from(ImportedRow)) == 2
        assert session.scalar(select(func.count()).select_from(ImportJob)) == 2
    assert peo.get(f"/imports/{report['job']}").json() == report


def test_json_lines_with_keys_and_expected_versions(road: Road) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    (a,) = under_review(road, applicant, peo, 1)
    version = road.version_of(a)
    rows = [
        {"reference": a, "trigger": "request_information", "key": "case-1",
         "expected_version": version, "respond_by": "2099-12-31"},
        {"reference": a, "trigger": "request_information", "key": "case-2",
         "expected_version": version},  # stale by then: refused
        "not an object",
    ]
    content = jsonl_file(rows[:2]) + b"\n[1, 2]\n{not json\n"
    report = post_import(peo, content, "application/x-ndjson").json()
    assert (report["applied"], report["refused"]) == (1, 3), report
    assert [r["line"] for r in report["refusals"]] == [2, 4, 5]
    assert "version" in report["refusals"][0]["reason"]
    assert road.snapshot(a).state == "information_requested"
    # The same key again, even with other content, is the same row: applied once.
    again = post_import(peo, jsonl_file([{"reference": a, "trigger": "provide_information",
                                          "key": "case-1"}]), "application/jsonl").json()
    assert (again["applied"], again["already_applied"]) == (0, 1)


def test_a_regulator_imports_only_for_its_own_applications_and_other_roles_are_refused(
    road: Road,
) -> None:
    applicant, peo, cno = road.applicant(), road.regulator("peo"), road.regulator("cno")
    (a,) = under_review(road, applicant, peo, 1)
    content = csv_file(["reference", "trigger"], [[a, "request_information"]])
    report = post_import(cno, content).json()
    assert report["refused"] == 1 and "no application" in report["refusals"][0]["reason"]
    for person in (applicant, road.oversight()):
        response = post_import(person, content)
        assert response.status_code == 403, response.text
        assert response.json()["message"]
    # A tribunal is an importer, but this step is the regulator's: refused, saying why.
    tribunal = road.tribunal("peo-registration-committee")
    refused = post_import(tribunal, content).json()
    assert refused["refused"] == 1, refused
    assert road.snapshot(a).state == "under_review"
    # Another organization cannot read the job's report.
    assert cno.get(f"/imports/{report['job']}").status_code == 200
    assert peo.get(f"/imports/{report['job']}").status_code == 404


def test_bad_files_are_refused_whole_with_a_reason(road: Road) -> None:
    peo = road.regulator("peo")
    assert post_import(peo, b"reference,trigger\n", "application/json").status_code == 422
    assert post_import(peo, b"").status_code == 422
    assert post_import(peo, b"\xff\xfe\x00").status_code == 422
    header = post_import(peo, b"reference,colour\nFT-2026-000001,red\n").json()
    assert header["refused"] == 1 and header["refusals"][0]["line"] == 1
    assert "colour" in header["refusals"][0]["reason"]
    short = post_import(peo, b"reference,trigger\nFT-2026-000001\n").json()
    assert short["refusals"][0]["line"] == 2 and "cells" in short["refusals"][0]["reason"]


def test_the_command_imports_a_file_as_a_staff_account(road: Road, cli_database: None, tmp_path) -> None:  # type: ignore[no-untyped-def]
    applicant, peo = road.applicant(), road.regulator("peo")
    a, b = under_review(road, applicant, peo, 2)
    path = tmp_path / "events.csv"
    path.write_bytes(csv_file(["reference", "trigger", "outcome", "reasons"], [
        [a, "issue_decision", "registered", ""], [b, "issue_decision", "refused", ""],
    ]))
    runner = CliRunner()
    result = runner.invoke(cli, ["import", str(path), "--as", peo.email])
    assert result.exit_code == 1, result.output  # one row refused
    assert "line 3:" in result.output and "applied 1" in result.output
    again = runner.invoke(cli, ["import", str(path), "--as", peo.email])
    assert "applied 0, already applied 1, refused 1" in again.output
    assert road.snapshot(a).state == "licensed"
    unknown = runner.invoke(cli, ["import", str(path), "--as", "nobody@example.test"])
    assert unknown.exit_code == 2
