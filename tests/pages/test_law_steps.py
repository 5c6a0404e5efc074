"""The law's steps on the applicant's pages (issue 9 under issue 12's portal): each step's form asks
what the law needs of it, says what is missing beside the field in the visitor's language, and the
application page says what a deadline runs from, as recorded."""

import html
import re
from datetime import date, timedelta

from fastapi.testclient import TestClient

from api.pages.application_view import step_form
from fairtrack.columns import utcnow
from i18n import translator
from law.calendar import local_date
from law.road import NEEDS_OF, STEPS, TRIGGER_ROLES, Fact, Role
from law.windows import ReceiptBasis
from tests.support.road import PASSWORD, Person, Road

FR = {"Accept-Language": "fr"}


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form token"
    return match.group(1)


def _log_in(client: TestClient, person: Person) -> None:
    form = client.get("/login", headers=FR)
    answer = client.post("/login", data={"email": person.email, "password": PASSWORD,
                                         "csrf_token": _csrf(form.text)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text
    client.post("/language", data={"to": "fr", "next": "/applications",
                                   "csrf_token": _csrf(client.get("/applications").text)})


def _error_beside(page: str, field: str) -> str:
    """The message the page shows beside a field (and links to from its error summary)."""
    assert f'href="#{field}"' in page, f"no error summary link to {field}"
    match = re.search(rf'<p class="ft-field-error" id="{field}-error">.*?</span>(.*?)</p>', page,
                      re.DOTALL)
    assert match, f"no error beside {field}"
    return html.unescape(match.group(1).strip())


def test_every_applicant_step_asks_what_the_law_needs_of_it_wherever_it_can_be_taken() -> None:
    for trigger in (t for t, role in TRIGGER_ROLES.items() if role is Role.applicant):
        sources = {state for step in STEPS if step.trigger == trigger for state in step.source}
        for state in sources:
            for facts in ({Fact.health}, {Fact.health, Fact.third_party_assessment}, set()):
                form = step_form(trigger, state, facts)
                for need in NEEDS_OF[trigger]:
                    if need.applies(state, facts, None, []):
                        assert {d.value for d in need.any_of} & set(form.fields), (trigger, state)
                        if len(need.any_of) == 1:
                            assert need.any_of[0].value in form.required, (trigger, state)


def test_a_notice_sent_by_mail_counts_from_its_deemed_receipt_until_the_applicant_says_when(
    client: TestClient, road: Road
) -> None:
    """CDO (a health college that assesses itself) refers by regular mail: the 30 days for written
    submissions run from the fifth day after mailing; the applicant records the day it came, in
    French, and the deadline then runs from that day."""
    applicant, college = road.applicant(), road.regulator("cdo-dietitians")
    reference = applicant.open("cdo-dietitians", "general")
    applicant.step(reference, "submit")
    college.step(reference, "begin_review")
    college.step(reference, "refer_to_committee", sent_by="regular_mail")
    _log_in(client, applicant)
    t = translator("fr")
    page = html.unescape(client.get(f"/applications/{reference}").text)
    assert t.label("receipt_basis", ReceiptBasis.deemed_by_mail) in page
    deemed_due = applicant.get(f"/applications/{reference}").json()["deadlines"]

    step = f"/applications/{reference}/steps/record_receipt"
    form = client.get(step).text
    assert t.label("step", "record_receipt") in html.unescape(form) and 'type="date"' in form
    missing = client.post(f"{step}/check", data={"csrf_token": _csrf(form)})
    assert missing.status_code == 422
    assert _error_beside(missing.text, "received_on") == t.gettext(
        "Enter the day the notice or decision reached you, for example 2026-03-02")
    tomorrow = (local_date(utcnow()) + timedelta(days=1)).isoformat()
    future = client.post(f"{step}/check", data={"received_on": tomorrow, "csrf_token": _csrf(form)})
    assert _error_beside(future.text, "received_on") == t.gettext("The date cannot be in the future")
    assert road.snapshot(reference).events == 4  # nothing recorded by a refused form

    today = local_date(utcnow())
    check = client.post(f"{step}/check", data={"received_on": today.isoformat(),
                                                "csrf_token": _csrf(form)})
    assert check.status_code == 200 and t.date(today) in check.text
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', check.text))
    done = client.post(step, data=fields, follow_redirects=False)
    assert done.status_code == 303, done.text
    page = html.unescape(client.get(f"/applications/{reference}").text)
    assert t.label("receipt_basis", ReceiptBasis.actual) in page
    assert t.label("receipt_basis", ReceiptBasis.deemed_by_mail) not in page
    [window] = [d for d in applicant.get(f"/applications/{reference}").json()["deadlines"]
                if d["code"] == "committee_submissions"]
    [before] = [d for d in deemed_due if d["code"] == "committee_submissions"]
    assert window["starts_on"] == today.isoformat() < before["starts_on"]
    assert t.gettext("%(name)s: %(value)s") % {"name": t.gettext("Reached you on"),
                                                "value": t.date(today)} in page  # the timeline


def test_only_a_health_colleges_appeal_asks_review_or_hearing_and_the_law_says_what_is_missing(
    client: TestClient, road: Road
) -> None:
    applicant, college, engineers = road.applicant(), road.regulator("cdo-dietitians"), \
        road.regulator("peo")
    health = applicant.open("cdo-dietitians", "general")
    applicant.step(health, "submit")
    college.step(health, "begin_review")
    college.step(health, "refer_to_committee")
    applicant.step(health, "waive_submissions", note="I ask the committee to decide now.")
    college.step(health, "issue_decision", outcome="refused", reasons="Competencies not shown.")
    other = applicant.open("peo", "p-eng")
    applicant.step(other, "submit")
    engineers.step(other, "begin_review")
    engineers.step(other, "issue_decision", outcome="refused", reasons="Experience not shown.")
    _log_in(client, applicant)
    t = translator("fr")

    assert 'name="review_or_hearing"' in client.get(f"/applications/{health}/steps/request_appeal").text
    assert 'name="review_or_hearing"' not in client.get(
        f"/applications/{other}/steps/request_appeal").text
    # Sent without the choice (past the check step): the law's refusal, beside the field, in French.
    form = client.get(f"/applications/{health}/steps/request_appeal").text
    refused = client.post(f"/applications/{health}/steps/request_appeal", data={
        "expected_version": str(applicant.version(health)), "csrf_token": _csrf(form)})
    assert refused.status_code == 422
    assert _error_beside(refused.text, "review_or_hearing") == t.gettext(
        "{step} needs {what}: {rule}", step="'request_appeal'", what="review_or_hearing",
        rule="(the rule)") == "Il manque à cette étape un renseignement exigé (review_or_hearing)."
    # With it, the appeal is recorded with what was asked of HPARB.
    check = client.post(f"/applications/{health}/steps/request_appeal/check", data={
        "review_or_hearing": "review", "csrf_token": _csrf(form)})
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', check.text))
    assert fields["review_or_hearing"] == "review"
    assert client.post(f"/applications/{health}/steps/request_appeal", data=fields,
                       follow_redirects=False).status_code == 303
    event = applicant.get(f"/applications/{health}/timeline").json()["events"][-1]
    assert event["payload"] == {"review_or_hearing": "review"}


def test_the_calculator_counts_from_the_day_known_and_asks_the_body_for_its_own_review(
    client: TestClient,
) -> None:
    t = translator("fr")

    def calculate(**query: str) -> str:
        answer = client.get("/deadlines/calculator", params=query, headers=FR)
        return html.unescape(answer.text) + f"\n[{answer.status_code}]"

    # Mailed on Monday 2 March 2026: deemed received on 7 March; 30 days later is Easter Monday,
    # a holiday under the Legislation Act, so the last day is Tuesday 7 April.
    mailed = calculate(window="appeal_board_request", start="2026-03-02", known="mailed")
    assert t.gettext("Your last day: %(day)s") % {"day": t.date(date(2026, 4, 7))} in mailed
    assert t.label("receipt_basis", ReceiptBasis.deemed_by_mail) in mailed
    assert "Easter Monday" in mailed
    received = calculate(window="appeal_board_request", start="2026-03-02")
    assert t.gettext("Your last day: %(day)s") % {"day": t.date(date(2026, 4, 1))} in received
    # A review by the body itself: its own time, so the body must be said; none is invented.
    asked = calculate(window="internal_review_request", start="2026-03-02")
    assert asked.endswith("[422]") and _error_beside(asked, "regulator") == t.gettext(
        "Choose your regulator: each body sets the time for its own review")
    social_work = calculate(window="internal_review_request", start="2026-03-02",
                            regulator="ocswssw")
    assert t.gettext("Your last day: %(day)s") % {"day": t.date(date(2026, 5, 1))} in social_work
    engineers = calculate(window="internal_review_request", start="2026-03-02", regulator="peo")
    assert "[200]" in engineers and t.gettext("No time limit is known for %(body)s") % {
        "body": "Ordre des ingénieurs de l'Ontario"} in engineers
