"""The staff's pages (issue 13) through the app, per role: the work queue (filters refused when
unknown, keyset pages, counts), a file as staff see it and the steps they may record (the law's
needs said beside the field, in French too), the confirmation; need-to-know for assessors and
tribunals; the queue's CSV."""

import csv
import html
import io
import re

from fastapi.testclient import TestClient

from i18n import translator
from tests.support.road import PASSWORD, Person, Road

FR = {"Accept-Language": "fr"}


def csrf_of(page: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "the page has no form token"
    return match.group(1)


def log_in(client: TestClient, person: Person, lang: str = "en") -> None:
    client.cookies.clear()
    form = client.get("/login")
    answer = client.post("/login", data={"email": person.email, "password": PASSWORD,
                                         "csrf_token": csrf_of(form.text)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    if lang != "en":
        page = client.get("/me")
        client.post("/language", data={"to": lang, "next": "/me", "csrf_token": csrf_of(page.text)})


def under_review_at_cno(road: Road) -> tuple[Person, str]:
    """A nurse's application at CNO, assessed by NNAS, that the registrar has begun to review."""
    nurse, nnas, cno = road.applicant(), road.assessor("nnas"), road.regulator("cno")
    reference = nurse.open("cno", "rn", assessor="nnas")
    nurse.step(reference, "submit", documents=["Diploma"])
    nnas.step(reference, "start_assessment")
    nnas.step(reference, "complete_assessment", documents=["NNAS advisory report"])
    cno.step(reference, "begin_review")
    return nurse, reference


def take_step(client: TestClient, reference: str, trigger: str, **answers: object) -> str:
    """Fill a staff step's form, check it, confirm it; the confirmation page's text."""
    form = client.get(f"/staff/applications/{reference}/steps/{trigger}")
    assert form.status_code == 200, form.text
    check = client.post(f"/staff/applications/{reference}/steps/{trigger}/check",
                        data={"csrf_token": csrf_of(form.text), **answers})
    assert check.status_code == 200, check.text
    hidden = dict(re.findall(r'<input type="hidden" name="([a-z_]+)" value="([^"]*)"', check.text))
    hidden.update({k: v for k, v in answers.items() if isinstance(v, list)})
    done = client.post(f"/staff/applications/{reference}/steps/{trigger}",
                       data={**{k: html.unescape(v) for k, v in hidden.items() if isinstance(v, str)},
                             **{k: v for k, v in hidden.items() if isinstance(v, list)}},
                       follow_redirects=True)
    assert done.status_code == 200, done.text
    return html.unescape(done.text)


def test_the_registrar_finds_the_file_in_the_queue_refers_it_and_the_committee_refuses(
    client: TestClient, road: Road
) -> None:
    nurse, reference = under_review_at_cno(road)
    clerk = road.regulator("cno")
    log_in(client, clerk)
    queue = client.get("/staff/queue")
    assert queue.status_code == 200
    assert reference in queue.text
    assert "Regulatory body review" in html.unescape(queue.text) or "regulator_review" in queue.text

    page = html.unescape(client.get(f"/staff/applications/{reference}").text)
    assert "NNAS advisory report" in page  # the documents, from the timeline
    assert f"/staff/applications/{reference}/steps/refer_to_committee" in page
    done = take_step(client, reference, "refer_to_committee",
                     reasons="Doubts about the clinical hours")
    assert "Doubts about the clinical hours" in done
    assert "What the applicant is told" in done

    # The committee (the same college's staff) refuses: without reasons the law's need is said
    # beside the field, and nothing is recorded.
    take_step(client, reference, "begin_review")
    step = f"/staff/applications/{reference}/steps/issue_decision"
    form = client.get(step)
    assert 'name="outcome"' in form.text and 'name="requirements"' in form.text
    assert "flagged" in form.text  # the Canadian-experience field says plainly what happens
    version = road.version_of(reference)
    missing = client.post(f"{step}/check", data={"csrf_token": csrf_of(form.text),
                                                 "outcome": "refused"})
    assert missing.status_code == 422
    assert 'id="reasons-error"' in missing.text and road.version_of(reference) == version
    done = take_step(client, reference, "issue_decision", outcome="refused",
                     reasons="Clinical hours not shown")
    assert "Clinical hours not shown" in done
    assert nurse.get(f"/applications/{reference}").json()["state"] == "refused_appealable"


def test_hparb_records_a_dismissal_with_reasons_in_french(client: TestClient, road: Road) -> None:
    nurse, reference = under_review_at_cno(road)
    cno = road.regulator("cno")
    cno.step(reference, "refer_to_committee", reasons="Doubts")
    nurse.step(reference, "waive_submissions", note="I waive")
    cno.step(reference, "issue_decision", outcome="refused", reasons="Not shown")
    nurse.step(reference, "request_appeal", review_or_hearing="review")
    clerk = road.tribunal("hparb")
    log_in(client, clerk, "fr")
    t = translator("fr")
    queue = html.unescape(client.get("/staff/queue").text)
    assert reference in queue and t.gettext("Work queue") in queue
    step = f"/staff/applications/{reference}/steps/decide_appeal"
    form = client.get(step)
    missing = client.post(f"{step}/check", data={"csrf_token": csrf_of(form.text),
                                                 "outcome": "dismissed"})
    assert missing.status_code == 422
    assert t.gettext("Write the reasons, or list the decision document that holds them") in \
        html.unescape(missing.text)
    done = take_step(client, reference, "decide_appeal", outcome="dismissed",
                     reasons="The committee's order stands")
    assert t.label("state", "appeal_dismissed") in done
    assert nurse.get(f"/applications/{reference}").json()["state"] == "appeal_dismissed"


def test_need_to_know_an_assessor_sees_its_part_and_a_tribunal_only_once_it_holds_the_file(
    client: TestClient, road: Road
) -> None:
    nurse, nnas = road.applicant(), road.assessor("nnas")
    draft = nurse.open("cno", "rn", assessor="nnas")
    assert nnas.get(f"/applications/{draft}").status_code == 404  # a draft is the applicant's
    _, reference = under_review_at_cno(road)
    cno = road.regulator("cno")
    cno.step(reference, "refer_to_committee", reasons="Secret doubts of the registrar")
    timeline = nnas.get(f"/applications/{reference}/timeline").json()
    assert [e["trigger"] for e in timeline["events"]] == [
        "create", "submit", "start_assessment", "complete_assessment"]
    log_in(client, nnas)
    page = client.get(f"/staff/applications/{reference}").text
    assert "Secret doubts" not in page and "NNAS advisory report" in page
    # HPARB: not before the file came, or could come, before it.
    hparb = road.tribunal("hparb")
    log_in(client, hparb)
    assert client.get(f"/staff/applications/{reference}").status_code == 404
    assert reference not in client.get("/staff/queue").text


def test_a_step_not_theirs_and_pages_not_theirs_are_refused(client: TestClient, road: Road) -> None:
    _, reference = under_review_at_cno(road)
    log_in(client, road.assessor("nnas"))
    assert client.get(f"/staff/applications/{reference}/steps/refer_to_committee").status_code == 409
    log_in(client, road.applicant())
    assert client.get("/staff/queue").status_code == 403
    log_in(client, road.oversight())
    assert client.get("/staff/queue").status_code == 403
    client.cookies.clear()
    assert client.get("/staff/queue", follow_redirects=False).status_code == 303


def test_unknown_or_wrong_filters_are_refused_and_pages_follow_the_cursor(
    client: TestClient, road: Road
) -> None:
    references = [under_review_at_cno(road)[1] for _ in range(3)]
    log_in(client, road.regulator("cno"))
    assert client.get("/staff/queue?colour=red").status_code == 422
    assert client.get("/staff/queue?state=licensed").status_code == 422
    assert client.get("/staff/queue?age=7").status_code == 422
    assert client.get("/staff/queue?cursor=abc").status_code == 422
    assert client.get("/staff/queue?flagged=yes").status_code == 422
    seen: list[str] = []
    from casefile import queue as queue_module

    page_size = queue_module.QUEUE_PAGE
    queue_module.QUEUE_PAGE = 2
    try:
        url = "/staff/queue?stage=regulator_review"
        while url:
            page = html.unescape(client.get(url).text)
            seen += [r for r in references if f">{r}<" in page]
            more = re.search(r'<a href="(/staff/queue\?[^"]*cursor=[^"]+)">', page)
            url = more.group(1) if more else ""
    finally:
        queue_module.QUEUE_PAGE = page_size
    assert sorted(seen) == sorted(references)
    export = client.get("/staff/queue.csv?stage=regulator_review")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.text)))
    assert sorted(r["reference"] for r in rows) == sorted(references)
    assert {r["stage"] for r in rows} == {"regulator_review"}
    assert client.get("/staff/queue.csv?colour=red").status_code == 422


def test_the_queue_as_json_is_the_pages_queue(client: TestClient, road: Road) -> None:
    _, reference = under_review_at_cno(road)
    cno = road.regulator("cno")
    body = cno.get("/queue").json()
    assert [item["application"]["reference"] for item in body["items"]] == [reference]
    assert body["counts"] == {"regulator_review": 1} and body["total"] == 1
    assert body["items"][0]["standard"]["kind"] == "service_standard"
    assert cno.get("/queue?state=licensed").status_code == 422
    assert road.regulator("cpso").get("/queue").json()["items"] == []


def field_label(page: str, name: str = "reasons") -> str:
    found = re.search(rf'<label class="ontario-label" for="{name}">(.*?)</label>', page, re.DOTALL)
    assert found, f"the form asks no {name}"
    return html.unescape(re.sub(r"<[^>]+>", "", found.group(1)))


def test_the_reasons_field_says_required_exactly_when_the_check_refuses_a_step_without_them(
    client: TestClient, road: Road
) -> None:
    """Issue 13, item 2: the label says which outcomes need written reasons (never "optional" for
    them), and the check refuses those outcomes without reasons and no other."""
    nurse, reference = under_review_at_cno(road)
    cno = road.regulator("cno")
    log_in(client, cno)
    t = translator("en")
    fillers = {"requirements": ["examination"], "alternatives_accepted": "yes",
               "consent_to_conditions": "yes"}

    def check_each_outcome(trigger: str) -> set[str]:
        step = f"/staff/applications/{reference}/steps/{trigger}"
        form = client.get(step).text
        label = field_label(form)
        outcomes = re.findall(r'name="outcome" value="([a-z_]+)"', form)
        needing = []
        for outcome in outcomes:
            answer = client.post(f"{step}/check", data={"csrf_token": csrf_of(form),
                                                        "outcome": outcome, **fillers})
            refused = 'id="reasons-error"' in answer.text
            assert refused == (answer.status_code == 422), (outcome, answer.status_code)
            needing += [outcome] if refused else []
        if len(needing) == len(outcomes):
            assert label == "Written reasons", label
        else:
            names = ", ".join(t.label("outcome", o) for o in needing)
            assert label == f"Written reasons (required for: {names})", label
        return set(needing)

    # The registrar: registering needs no reasons, terms do; the label says so.
    assert check_each_outcome("issue_decision") == {"registered_with_conditions"}
    assert "optional" not in field_label(client.get(
        f"/staff/applications/{reference}/steps/issue_decision").text)
    assert "(optional)" in field_label(client.get(
        f"/staff/applications/{reference}/steps/refer_to_committee").text)
    # The committee: a refusal, terms and requirements need reasons.
    cno.step(reference, "refer_to_committee", reasons="Doubts")
    cno.step(reference, "begin_review")
    assert {"refused", "registered_with_conditions", "requirements"} <= \
        check_each_outcome("issue_decision")
    # A tribunal's decision: reasons, or the decision document that holds them; both fields say so.
    nurse.step(reference, "waive_submissions", note="I waive")
    cno.step(reference, "issue_decision", outcome="refused", reasons="Not shown")
    nurse.step(reference, "request_appeal", review_or_hearing="review")
    log_in(client, road.tribunal("hparb"))
    step = f"/staff/applications/{reference}/steps/decide_appeal"
    form = client.get(step).text
    assert field_label(form) == "Written reasons (required unless you list the document that holds them)"
    assert field_label(form, "documents") == "Documents (required unless you write the reasons)"
    data = {"csrf_token": csrf_of(form), "outcome": "dismissed"}
    assert client.post(f"{step}/check", data=data).status_code == 422
    assert client.post(f"{step}/check", data={**data, "documents": "HPARB order"}).status_code == 200
