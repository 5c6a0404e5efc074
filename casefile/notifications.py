"""What an event tells the world, written in the event's transaction (the transactional outbox):
a delivery to every webhook of the application's organizations that wants it, and an email to the
applicant on every change of stage and every decision (with the time limits the law opened, as
deadlines/ recorded them). Reminders before a deadline are queued by the periodic scan."""

from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import User
from deadlines.models import Deadline
from deadlines.service import OPEN, RESPONSE_DEADLINE, STATUTORY_WINDOW
from fairtrack.settings import get_settings
from i18n import translator
from integrations.emails import language_of, reminder_due, render
from integrations.outbox import already_queued, queue_email, queue_webhooks
from law.calendar import local_date
from law.road import Clock
from regulators.registry import Registry
from regulators.route import what_next
from workflow.models import Application, Event
from workflow.schemas import stage_of

MESSAGES_PATH = "/messages"


def messages_url() -> str:
    return get_settings().public_url.rstrip("/") + MESSAGES_PATH


def tells_applicant(event: Event) -> bool:
    """A decision, or a change of stage (the opening of a draft is the applicant's own doing)."""
    if event.from_state is None:
        return False
    return event.outcome is not None or stage_of(event.from_state) != stage_of(event.to_state)


def opened_for_applicant(session: Session, application_id: int, seq: int) -> list[Deadline]:
    """The applicant's time limits this event opened (an appeal window after a decision...)."""
    return list(session.scalars(
        select(Deadline).where(
            col(Deadline.application_id) == application_id, col(Deadline.opened_seq) == seq,
            col(Deadline.party) == Clock.applicant.value, col(Deadline.status) == OPEN,
            col(Deadline.kind).in_([STATUTORY_WINDOW, RESPONSE_DEADLINE]),
        ).order_by(col(Deadline.due_on), col(Deadline.id))
    ))


def notify_event(
    session: Session, registry: Registry, application: Application, event: Event,
    subscribed: bool | None = None,
) -> None:
    """After the deadlines have followed the event (casefile.consequences), same transaction.
    `subscribed` False: no active webhook for any organization that could be told (read with the
    lock in this transaction), so none is read again."""
    assert application.id is not None
    if subscribed is not False:
        queue_webhooks(session, registry, application, event, event.recorded_at)
    if not tells_applicant(event):
        return
    applicant = session.get(User, application.applicant_id)
    if applicant is None:
        return
    lang = language_of(applicant.preferred_language)
    email = render(
        "decision" if event.outcome is not None else "stage", lang,
        reference=application.reference, stage=stage_of(event.to_state), state=event.to_state,
        outcome=event.outcome, occurred_on=local_date(event.occurred_at),
        windows=opened_for_applicant(session, application.id, event.seq), url=messages_url(),
        next_text=what_next(event.to_state, registry.regulator(application.regulator), registry,
                            application.assessor, translator(lang)),
    )
    queue_email(session, dedupe_key=f"event:{application.id}:{event.seq}",
                application_id=application.id, recipient_id=application.applicant_id, language=lang,
                subject=email.subject, body=email.body, now=event.recorded_at)


def queue_reminders(session: Session, today: date, now: datetime) -> int:
    """Reminders at 14, 7 and 2 days before each open time limit of an applicant's, each queued
    once (its key names the deadline and the day count). Each deadline's reminder is written under
    the lock of its row, so scans running at once queue it once."""
    due = session.execute(
        select(col(Deadline.id))
        .where(col(Deadline.status) == OPEN, col(Deadline.party) == Clock.applicant.value,
               col(Deadline.kind).in_([STATUTORY_WINDOW, RESPONSE_DEADLINE]),
               col(Deadline.due_on) >= today, col(Deadline.due_on) <= date.fromordinal(
                   today.toordinal() + 14))
        .order_by(col(Deadline.id))
    ).scalars().all()
    queued = 0
    for deadline_id in due:
        deadline = session.scalars(
            select(Deadline).where(col(Deadline.id) == deadline_id).with_for_update(skip_locked=True)
        ).one_or_none()
        if deadline is None or deadline.status != OPEN:
            continue  # another scan holds it, or it closed meanwhile
        days = reminder_due(deadline, today)
        key = f"reminder:{deadline.id}:{days}"
        if days is None or already_queued(session, key):
            continue
        application = session.get(Application, deadline.application_id)
        applicant = session.get(User, application.applicant_id) if application else None
        if application is None or applicant is None:
            continue
        lang = language_of(applicant.preferred_language)
        email = render("reminder", lang, reference=application.reference, code=deadline.code,
                       kind=deadline.kind, due_on=deadline.due_on, left=(deadline.due_on - today).days,
                       legal_basis=deadline.legal_basis if deadline.kind == STATUTORY_WINDOW else None,
                       url=messages_url())
        assert application.id is not None
        queue_email(session, dedupe_key=key, application_id=application.id,
                    recipient_id=application.applicant_id, language=lang, subject=email.subject,
                    body=email.body, now=now)
        queued += 1
    return queued
