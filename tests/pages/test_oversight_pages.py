"""Fairness staff's pages (issue 13): the dashboard and one regulator's figures (charts with their
tables, percentiles of fewer than 10 cases withheld, CSV), one application read only, and flag
triage (unknown filters refused; acknowledge; resolve only with a note)."""

import csv
import html
import io
import re

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlmodel import col

from fairtrack.columns import utcnow
from fairtrack.database import transaction
from flags.models import Flag
from flags.rules import Finding
from flags.service import store_findings
from i18n import translator
from tests.pages.test_page_statements import statements
from tests.pages.test_staff_pages import csrf_of, log_in, under_review_at_cno
from tests.support.road import Road
from workflow.service import parse_reference


def a_flag(road: Road) -> tuple[str, int]:
    """A CNO application and a fairness flag on it (as the scan or the write path raises one)."""
    _, reference = under_review_at_cno(road)
    finding = Finding(parse_reference(reference), "cno", "delay", "test", "medium",
                      {"stage": "regulator_review"})
    with transaction(road.sessions) as session:
        store_findings(session, [finding], utcnow())
    with road.sessions() as session:
        (flag_id,) = session.scalars(select(col(Flag.id)).where(
            col(Flag.application_id) == finding.application_id))
        return reference, flag_id


def history_rows(page: str) -> list[list[str]]:
    """The cells of the flag page's history table, row by row, as text."""
    table = page.split('id="history-caption"', 1)[1].split("</table>", 1)[0]
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.DOTALL)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1], re.DOTALL)]


def test_fairness_staff_see_the_figures_drill_down_and_export(client: TestClient, road: Road) -> None:
    reference, _ = a_flag(road)
    log_in(client, road.oversight())
    page = client.get("/oversight")
    assert page.status_code == 200
    assert page.text.count('role="img"') == 5  # timeliness, three outcomes, flags by kind
    assert "<script" not in page.text
    cno = client.get("/oversight/regulators/cno")
    assert cno.status_code == 200 and f"/oversight/applications/{reference}" in cno.text
    for answer in (page, cno):  # a chart's title and a heading once shared an id
        ids = re.findall(r'\bid="([^"]+)"', answer.text)
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    file = client.get(f"/oversight/applications/{reference}")
    assert file.status_code == 200 and "/steps/" not in file.text  # read only
    assert client.get("/oversight/regulators/nowhere").status_code == 422
    assert client.get("/oversight?colour=red").status_code == 422
    assert client.get("/oversight?period=week").status_code == 422
    export = client.get("/oversight/flag-counts.csv")
    assert list(csv.reader(io.StringIO(export.text))) == [
        ["regulator", "kind", "open_flags"], ["cno", "delay", "1"]]
    for url in ("/oversight/timeliness.csv?regulator=cno", "/oversight/outcomes.csv?by=country_of_education"):
        answer = client.get(url)
        assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert client.get("/data-dictionary").text.startswith("# Data dictionary")


def test_flag_triage_refuses_unknown_filters_and_resolves_only_with_a_note_in_french(
    client: TestClient, road: Road
) -> None:
    reference, flag_id = a_flag(road)
    log_in(client, road.oversight(), "fr")
    t = translator("fr")
    for bad in ("colour=red", "kind=nope", "severity=extreme", "status=gone", "age=3",
                "regulator=nowhere", "cursor=x"):
        assert client.get(f"/oversight/flags?{bad}").status_code == 422, bad
    listed = client.get("/oversight/flags?kind=delay&status=open&regulator=cno&age=7")
    assert reference not in listed.text  # raised today: not 7 days ago
    listed = client.get("/oversight/flags?kind=delay&status=open&regulator=cno")
    assert reference in listed.text
    page = client.get(f"/oversight/flags/{flag_id}")
    acknowledged = client.post(f"/oversight/flags/{flag_id}", data={
        "csrf_token": csrf_of(page.text), "action": "acknowledge"}, follow_redirects=True)
    assert t.label("flag_status", "acknowledged") in html.unescape(acknowledged.text)
    refused = client.post(f"/oversight/flags/{flag_id}", data={
        "csrf_token": csrf_of(acknowledged.text), "action": "resolve", "note": " "})
    assert refused.status_code == 422 and 'id="note-error"' in refused.text
    resolved = client.post(f"/oversight/flags/{flag_id}", data={
        "csrf_token": csrf_of(refused.text), "action": "resolve",
        "note": "Asked CNO to explain"}, follow_redirects=True)
    text = html.unescape(resolved.text)
    assert t.label("flag_status", "resolved") in text and "Asked CNO to explain" in text
    assert t.gettext("Every step on this flag, oldest first (Ontario time)") in text
    steps = [(row[1], row[2], row[3], row[5]) for row in history_rows(resolved.text)]
    before_after = t.gettext("from %(before)s to %(after)s")
    assert steps == [
        (t.label("flag_action", "raised"), t.label("role", "system"),
         t.label("flag_status", "open"), ""),
        (t.label("flag_action", "acknowledged"), t.label("role", "oversight"),
         before_after % {"before": t.label("flag_status", "open"),
                         "after": t.label("flag_status", "acknowledged")}, ""),
        (t.label("flag_action", "resolved"), t.label("role", "oversight"),
         before_after % {"before": t.label("flag_status", "acknowledged"),
                         "after": t.label("flag_status", "resolved")}, "Asked CNO to explain"),
    ]
    rows = list(csv.DictReader(io.StringIO(client.get("/oversight/flags.csv?status=resolved").text)))
    assert [(r["application"], r["note"]) for r in rows] == [(reference, "Asked CNO to explain")]


def test_only_fairness_staff_read_these_pages(client: TestClient, road: Road) -> None:
    _, flag_id = a_flag(road)
    for person in (road.regulator("cno"), road.applicant(), road.tribunal("hparb")):
        log_in(client, person)
        for url in ("/oversight", "/oversight/regulators/cno", "/oversight/flags",
                    f"/oversight/flags/{flag_id}", "/oversight/flags.csv",
                    f"/oversight/flags/{flag_id}/history.csv"):
            assert client.get(url).status_code == 403, (person.role, url)
    log_in(client, road.regulator("cno"))
    page = client.get("/staff/queue")
    assert client.post(f"/oversight/flags/{flag_id}", data={
        "csrf_token": csrf_of(page.text), "action": "acknowledge"}).status_code == 403
    assert re.search("Work queue", page.text)


def test_the_flag_page_shows_its_history_as_a_table_asking_as_many_statements_however_long(
    client: TestClient, road: Road
) -> None:
    """The history in English: a captioned table with column and row headers; who acted by role
    only (no account, no email); one query for the history, however many steps it has."""
    _, flag_id = a_flag(road)
    fairness = road.oversight()
    log_in(client, fairness)
    url = f"/oversight/flags/{flag_id}"
    page = client.get(url).text
    assert '<caption id="history-caption">Every step on this flag, oldest first (Ontario time)' \
        in page
    assert page.count('<th scope="col">') >= 6 and '<th scope="row">' in page
    assert history_rows(page)[0][1:] == ["Raised", "FairTrack", "Open", "Medium", ""]
    one_step = statements(client, url)
    ack = client.post(url, data={"csrf_token": csrf_of(page), "action": "acknowledge",
                                 "note": "Asked CNO"}, follow_redirects=True)
    resolved = client.post(url, data={"csrf_token": csrf_of(ack.text), "action": "resolve",
                                      "note": "CNO answered"}, follow_redirects=True)
    rows = history_rows(resolved.text)
    assert [(r[1], r[2], r[5]) for r in rows] == [
        ("Raised", "FairTrack", ""), ("Acknowledged", "Fairness staff", "Asked CNO"),
        ("Resolved", "Fairness staff", "CNO answered")]
    assert fairness.email not in resolved.text
    assert statements(client, url) == one_step
    assert f'href="{url}/history.csv"' in resolved.text
    export = list(csv.DictReader(io.StringIO(client.get(f"{url}/history.csv").text)))
    assert [(r["flag"], r["action"], r["by"], r["from_status"], r["to_status"], r["note"])
            for r in export] == [
        (str(flag_id), "raised", "system", "", "open", ""),
        (str(flag_id), "acknowledged", "oversight", "open", "acknowledged", "Asked CNO"),
        (str(flag_id), "resolved", "oversight", "acknowledged", "resolved", "CNO answered")]
    assert client.get("/oversight/flags/99999/history.csv").status_code == 404
