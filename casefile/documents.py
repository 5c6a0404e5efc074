"""Documents the coordinating floor makes or hands out: the decision letter, rendered before the
unit of work that records the decision locks the application, checked under the lock to say what
the decision says (else rendered again there), its SHA-256 in the event (under the hash chain) and
kept byte for byte; the letters of an application as its caller may read them."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from accounts.models import User
from documents.letters import LETTER_TRIGGERS, Decision, decision_letter
from documents.render import sha256
from fairtrack.columns import utcnow
from fairtrack.database import release
from fairtrack.errors import DomainError, NotFound
from i18n import Language, language_or_default
from regulators.registry import Registry
from workflow.ledger import LETTER_HASH
from workflow.machine import Walk, fire
from workflow.models import Application, DecisionLetter, Event
from workflow.schemas import EventRequest
from workflow.service import check_dates, check_step, get_application


@dataclass(frozen=True)
class Draft:
    """A decision's letter rendered before the application is locked (rendering takes a quarter
    of a second, which no other writer should wait for), with what it was rendered from: the
    request with its decision time fixed, the decision as the letter tells it, the language."""

    request: EventRequest
    decision: Decision
    lang: Language
    pdf: bytes

    def holds(self, application: Application) -> bool:
        """Whether the letter was drafted on the application as it is now, under the lock: no
        other event came in between (each one moves the version, and the step's expected version
        then refuses it: VersionConflict, as without a draft)."""
        return self.decision.seq == application.version + 1


def _decision(
    session: Session, actor: Actor, application: Application, request: EventRequest,
    now: datetime,
) -> tuple[Decision, Language]:
    walk = Walk(application.state, application.facts())
    to_state = fire(walk, request.trigger, request.outcome)
    applicant = session.get(User, application.applicant_id)
    lang = language_or_default(applicant.preferred_language if applicant else None)
    decision = Decision(
        reference=application.reference, regulator=application.regulator,
        licence_class=application.licence_class, seq=application.version + 1,
        trigger=request.trigger, outcome=request.outcome, to_state=to_state,
        facts=frozenset(walk.facts), occurred_at=request.occurred_at or now,
        decided_by=actor.organization, payload=request.payload(),
    )
    return decision, lang


def draft_before_lock(
    session: Session, actor: Actor, registry: Registry, reference: str, request: EventRequest,
) -> Draft | None:
    """The letter a decision will send, rendered from the application as read without a lock
    (None: the step is no decision, or a check refuses it, which the checks under the lock will
    say again). The decision's time is fixed now, so that the letter and the event agree on it;
    `draft_letter` keeps the PDF only if the application has not moved since."""
    if request.trigger not in LETTER_TRIGGERS:
        return None
    now = utcnow()
    try:
        application = get_application(session, actor, registry, reference)
        check_step(actor, application, registry, request)
        check_dates(request, now)
        fixed = request if request.occurred_at else request.model_copy(update={"occurred_at": now})
        decision, lang = _decision(session, actor, application, fixed, now)
    except DomainError:
        return None
    release(session)  # no pooled connection held while the letter renders
    return Draft(request=fixed, decision=decision, lang=lang,
                 pdf=decision_letter(decision, registry, lang))


def draft_letter(
    session: Session, actor: Actor, registry: Registry, application: Application,
    request: EventRequest, now: datetime, draft: Draft | None = None,
) -> DecisionLetter | None:
    """The letter a checked decision sends, before its event is written (None: the step is no
    decision): `draft`'s PDF if it says what the letter must say now (the same decision, the same
    language), else rendered here. Its hash goes into the event's payload; `keep_letter` stores it."""
    if request.trigger not in LETTER_TRIGGERS:
        return None
    assert application.id is not None
    decision, lang = _decision(session, actor, application, request, now)
    if draft is not None and draft.decision == decision and draft.lang == lang:
        pdf = draft.pdf
    else:
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
