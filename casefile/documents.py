"""Documents the coordinating floor makes or hands out: the decision letter, made in the unit of
work that records the decision (its SHA-256 in the event, under the hash chain) and kept byte for
byte; the letters of an application as its caller may read them."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from accounts.models import User
from documents.letters import LETTER_TRIGGERS, Decision, decision_letter
from documents.render import sha256
from fairtrack.errors import NotFound
from i18n import language_or_default
from regulators.registry import Registry
from workflow.ledger import LETTER_HASH
from workflow.machine import Walk, fire
from workflow.models import Application, DecisionLetter, Event
from workflow.schemas import EventRequest
from workflow.service import get_application


def draft_letter(
    session: Session, actor: Actor, registry: Registry, application: Application,
    request: EventRequest, now: datetime,
) -> DecisionLetter | None:
    """The letter a checked decision sends, rendered before its event is written (None: the step
    is no decision). Its hash goes into the event's payload; `keep_letter` stores it."""
    if request.trigger not in LETTER_TRIGGERS:
        return None
    walk = Walk(application.state, application.facts())
    to_state = fire(walk, request.trigger, request.outcome)
    assert application.id is not None
    applicant = session.get(User, application.applicant_id)
    lang = language_or_default(applicant.preferred_language if applicant else None)
    decision = Decision(
        reference=application.reference, regulator=application.regulator,
        licence_class=application.licence_class, seq=application.version + 1,
        trigger=request.trigger, outcome=request.outcome, to_state=to_state,
        facts=frozenset(walk.facts), occurred_at=request.occurred_at or now,
        decided_by=actor.organization, payload=request.payload(),
    )
    pdf = decision_letter(decision, registry, lang)
    return DecisionLetter(application_id=application.id, seq=decision.seq, lang=lang,
                          sha256=sha256(pdf), pdf=pdf, created_at=now)


def attached(letter: DecisionLetter | None) -> dict[str, Any] | None:
    """What the letter adds to its event's payload."""
    return None if letter is None else {LETTER_HASH: letter.sha256}


def keep_letter(session: Session, letter: DecisionLetter | None, event: Event) -> None:
    if letter is None:
        return
    assert letter.seq == event.seq
    session.add(letter)
    session.flush()


def letters_of(
    session: Session, actor: Actor, registry: Registry, reference: str
) -> list[tuple[int, str, str, datetime]]:
    """(seq, language, SHA-256, decided at) of the application's letters, if the caller may see it."""
    application = get_application(session, actor, registry, reference)
    rows = session.execute(
        select(col(DecisionLetter.seq), col(DecisionLetter.lang), col(DecisionLetter.sha256),
               col(Event.occurred_at))
        .join(Event, (col(Event.application_id) == col(DecisionLetter.application_id))
              & (col(Event.seq) == col(DecisionLetter.seq)))
        .where(col(DecisionLetter.application_id) == application.id)
        .order_by(col(DecisionLetter.seq))
    )
    return [(seq, lang, digest, when) for seq, lang, digest, when in rows]


def letter_pdf(session: Session, actor: Actor, registry: Registry, reference: str, seq: int) -> bytes:
    """The stored letter, byte for byte as it was sent (NotFound outside the caller's scope)."""
    application = get_application(session, actor, registry, reference)
    pdf = session.scalar(select(col(DecisionLetter.pdf)).where(
        col(DecisionLetter.application_id) == application.id, col(DecisionLetter.seq) == seq))
    if pdf is None:
        raise NotFound(f"application {reference} has no letter for event {seq}")
    return bytes(pdf)
