"""Who is told of an event (issue 15, webhooks): the regulator, the assessor, the appeal body and
the Divisional Court each get deliveries for the events of the files they hold or have held, on
need to know, as their staff read the file over the API (workflow.policy): a tribunal from the
moment the file came (or could come) before it, and after; an assessor never a draft, and only its
own part of the log; an organization that never holds the file, nothing."""

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from integrations.models import OutboxMessage, WebhookSubscription
from tests.support.road import Person, Road

ORGANIZATIONS = ("cno", "nnas", "hparb", "divisional-court", "peo-registration-committee")


def _told(sessions: sessionmaker[Session], reference: str) -> dict[str, list[str]]:
    """The triggers each organization's subscription was told of, for this application, in order."""
    told: dict[str, list[str]] = {org: [] for org in ORGANIZATIONS}
    with sessions() as session:
        rows = session.execute(
            select(WebhookSubscription.organization, OutboxMessage.body)
            .join(WebhookSubscription, col(WebhookSubscription.id) == col(OutboxMessage.subscription_id))
            .where(col(OutboxMessage.kind) == "webhook").order_by(col(OutboxMessage.id))).all()
    for organization, body in rows:
        document = json.loads(body)
        if document["reference"] == reference:
            told[organization].append(document["trigger"])
    return told


def _subscribe(people: dict[str, Person]) -> None:
    for org, person in people.items():
        created = person.post("/webhooks", json={"url": f"https://{org}.example.org/hook"})
        assert created.status_code == 201, created.text


def test_each_organization_is_told_of_the_events_of_the_files_it_holds_or_has_held(
    road: Road, sessions: sessionmaker[Session],
) -> None:
    nurse = road.applicant()
    cno, nnas = road.regulator("cno"), road.assessor("nnas")
    hparb, court = road.tribunal("hparb"), road.tribunal("divisional-court")
    peo_appeals = road.tribunal("peo-registration-committee")
    _subscribe({"cno": cno, "nnas": nnas, "hparb": hparb, "divisional-court": court,
                "peo-registration-committee": peo_appeals})

    ref = nurse.open("cno", "rn")  # a draft: the regulator's, nobody else's business yet
    nurse.step(ref, "submit")
    nnas.step(ref, "start_assessment")
    nnas.step(ref, "complete_assessment")
    cno.step(ref, "begin_review")
    cno.step(ref, "refer_to_committee", reasons="Doubts that the clinical hours requirement is met.")
    nurse.step(ref, "waive_submissions", note="No submissions to make.")
    cno.step(ref, "issue_decision", outcome="refused", reasons="Hours not shown.")
    nurse.step(ref, "request_appeal", review_or_hearing="review")
    hparb.step(ref, "decide_appeal", outcome="dismissed", reasons="The order was reasonable.")
    nurse.step(ref, "file_court_appeal", served_on=date.today().isoformat())
    court.step(ref, "open_hearing")

    told = _told(sessions, ref)
    everything = ["create", "submit", "start_assessment", "complete_assessment", "begin_review",
                  "refer_to_committee", "waive_submissions", "issue_decision", "request_appeal",
                  "decide_appeal", "file_court_appeal", "open_hearing"]
    assert told["cno"] == everything
    # The assessor: its part of the file (what led to the assessment, the assessment, and the step
    # that sent the file on), never the draft, never the committee's, the board's or the court's.
    assert told["nnas"] == ["submit", "start_assessment", "complete_assessment"]
    # HPARB: from the committee's refusal it may review (it can then extend the time to appeal),
    # through its own decision, and after (the court's steps on the file it held).
    assert told["hparb"] == ["issue_decision", "request_appeal", "decide_appeal",
                             "file_court_appeal", "open_hearing"]
    # The Divisional Court: from the board's decision (its registry may then record a filing).
    assert told["divisional-court"] == ["decide_appeal", "file_court_appeal", "open_hearing"]
    # PEO's appeal body never holds a CNO file.
    assert told["peo-registration-committee"] == []

    # What each was told, it may read over the API; what it was not told of before, it could not.
    assert hparb.get(f"/applications/{ref}").status_code == 200
    assert peo_appeals.get(f"/applications/{ref}").status_code == 404


def test_a_tribunal_is_not_told_of_a_file_before_it_could_come_before_it(
    road: Road, sessions: sessionmaker[Session],
) -> None:
    applicant, peo = road.applicant(), road.regulator("peo")
    peo_appeals, hparb = road.tribunal("peo-registration-committee"), road.tribunal("hparb")
    _subscribe({"peo-registration-committee": peo_appeals, "hparb": hparb})
    ref = applicant.open("peo", "p-eng")
    applicant.step(ref, "submit")
    peo.step(ref, "begin_review")
    assert peo_appeals.get(f"/applications/{ref}").status_code == 404
    assert _told(sessions, ref)["peo-registration-committee"] == []
    peo.step(ref, "issue_decision", outcome="refused", reasons="Academic deficiencies not cleared.")
    assert peo_appeals.get(f"/applications/{ref}").status_code == 200
    applicant.step(ref, "request_appeal", review_or_hearing="review")
    told = _told(sessions, ref)
    assert told["peo-registration-committee"] == ["issue_decision", "request_appeal"]
    assert told["hparb"] == []  # a health colleges' board: not PEO's appeal body
