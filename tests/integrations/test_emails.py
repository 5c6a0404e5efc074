"""Emails to applicants (issue 15, item 3): a decision recorded through the API gives one email,
in the applicant's language, with the appeal deadline deadlines/ computed, at a real SMTP server;
the same message is on their messages page. Reminders 14, 7 and 2 days before, each once."""

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from deadlines.models import Deadline
from fairtrack.columns import utcnow
from fairtrack.settings import Settings
from i18n import translator
from integrations.models import OutboxAttempt, OutboxMessage
from regulators.registry import Registry
from tests.support.integrations_world import speaks, to_the_committee, worker
from tests.support.mail import smtp_server
from tests.support.road import PASSWORD, Road
from workflow.service import parse_reference


def _log_in(client: TestClient, email: str) -> None:
    form = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
    assert token
    answer = client.post("/login", data={"email": email, "password": PASSWORD,
                                         "csrf_token": token.group(1)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def test_a_decision_sends_one_email_in_french_with_the_appeal_deadline_and_shows_it_in_the_portal(
    road: Road, sessions: sessionmaker[Session], settings: Settings, registry: Registry,
) -> None:
    nurse = road.applicant()
    speaks(road, nurse, "fr")
    ref, cno = to_the_committee(road, nurse)
    with smtp_server() as inbox:
        sender = worker(sessions, settings, registry, inbox.port)
        sender.send_due()  # the earlier changes of stage
        earlier = len(inbox.messages)
        assert earlier >= 3
        inbox.messages.clear()
        cno.step(ref, "issue_decision", outcome="refused", reasons="Clinical hours not shown.",
                 sent_by="email")
        assert sender.send_due() == 1
    assert len(inbox.messages) == 1
    email = inbox.messages[0]
    assert email["To"] == nurse.email and email["Content-Language"] == "fr"
    body = email.get_content()
    with sessions() as session:
        window = session.scalars(select(Deadline).where(
            col(Deadline.application_id) == parse_reference(ref),
            col(Deadline.code) == "appeal_board_request")).one()
        message = session.scalars(select(OutboxMessage).where(
            col(OutboxMessage.id) == int(str(email["X-FairTrack-Message"])))).one()
        attempts = session.scalars(select(OutboxAttempt).where(
            col(OutboxAttempt.message_id) == message.id)).all()
    fr = translator("fr")
    assert str(email["Subject"]).startswith("Décision") and ref in str(email["Subject"])
    assert fr.date(window.due_on) in body, body  # the last day, as the law's window computed it
    assert fr.label("window", "appeal_board_request") in body
    assert window.legal_basis in body
    assert message.status == "delivered" and [a.ok for a in attempts] == [True]

    _log_in(road.client, nurse.email)
    page = road.client.get("/messages")
    assert page.status_code == 200
    assert str(email["Subject"]).replace("’", "&#39;")[:30] in page.text or \
        message.subject is not None and message.subject[:30] in page.text
    assert fr.date(window.due_on) in page.text
    assert page.text.count('class="ft-card"') == earlier + 1


def test_an_english_applicant_gets_english_and_staff_do_not_see_the_messages_page(
    road: Road, sessions: sessionmaker[Session], settings: Settings, registry: Registry,
) -> None:
    nurse = road.applicant()
    ref, cno = to_the_committee(road, nurse)
    cno.step(ref, "issue_decision", outcome="refused", reasons="Clinical hours not shown.")
    with smtp_server() as inbox:
        worker(sessions, settings, registry, inbox.port).send_due()
    decisions = [m for m in inbox.messages if str(m["Subject"]).startswith("Decision")]
    assert len(decisions) == 1 and decisions[0]["Content-Language"] == "en"
    assert "You may appeal" in decisions[0].get_content()
    assert road.client.get("/messages", follow_redirects=False).status_code == 303


def test_reminders_are_queued_at_14_7_and_2_days_before_each_once(
    road: Road, sessions: sessionmaker[Session], registry: Registry,
) -> None:
    nurse = road.applicant()
    ref, cno = to_the_committee(road, nurse)
    cno.step(ref, "issue_decision", outcome="refused", reasons="Clinical hours not shown.")
    with sessions() as session:
        due_on = session.scalars(select(Deadline).where(
            col(Deadline.application_id) == parse_reference(ref),
            col(Deadline.code) == "appeal_board_request")).one().due_on

    def reminders() -> list[str]:
        with sessions() as session:
            return list(session.scalars(select(col(OutboxMessage.dedupe_key)).where(
                col(OutboxMessage.dedupe_key).like("reminder:%")).order_by(col(OutboxMessage.id))))

    now = utcnow()
    # The scan on the days that matter, some twice, one day missed (8 days before: none due).
    for days_before in (20, 15, 14, 14, 8, 6, 6, 2, 1):
        moment = now + timedelta(days=(due_on - now.date()).days - days_before)
        road.scan(registry, now=moment)
    keys = reminders()
    assert [k.rsplit(":", 1)[1] for k in keys] == ["14", "7", "2"]
    with sessions() as session:
        subjects = session.scalars(select(col(OutboxMessage.subject)).where(
            col(OutboxMessage.dedupe_key).like("reminder:%")).order_by(col(OutboxMessage.id))).all()
    assert subjects[0] is not None and "14 days left" in subjects[0]
    assert subjects[1] is not None and "6 days left" in subjects[1]


def test_what_happens_next_names_who_holds_the_file_in_each_language(
    road: Road, sessions: sessionmaker[Session], registry: Registry,
) -> None:
    """The emails say what the application page says next, with the names filled in: never a
    placeholder such as {holder} or {appeal_body}."""
    cno = registry.regulator("cno")
    assert cno is not None
    for lang in ("en", "fr"):
        nurse = road.applicant()
        speaks(road, nurse, lang)
        reference, committee = to_the_committee(road, nurse)
        committee.step(reference, "issue_decision", outcome="refused", reasons="Hours not shown.")
        with sessions() as session:
            bodies = list(session.scalars(select(col(OutboxMessage.body)).where(
                col(OutboxMessage.recipient_id) == nurse.user_id)))
        assert len(bodies) >= 3
        for body in bodies:
            assert not re.search(r"\{(holder|regulator|appeal_body)\}", body), body
        t = translator(lang)  # type: ignore[arg-type]
        assert any(t.names(cno.appeal_body.name) in body for body in bodies), bodies[-1]
        assert any(t.names(registry.assessors["nnas"].name) in body for body in bodies)
