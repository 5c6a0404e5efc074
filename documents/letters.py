"""The decision letter: the outcome, the reasons and requirements as recorded, and the right of
appeal with the body, how to ask, and the last day as the law counts it from receipt (law.windows:
the same functions the deadlines and the public calculator use), with the basis.

It is made in the unit of work that records the decision (casefile.documents), from the request
and the state the step leads to, before the event is hashed: its SHA-256 goes into the event's
payload. Its creation date is the decision's time and its identifier the application's reference
and the event's seq, so rendering the same decision again gives the same bytes.
"""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from documents.render import Stamp, render_pdf
from i18n import Language, translator
from law.calendar import local_date
from law.road import TRIGGER_ROLES, Clock, Fact, Role, Trigger
from law.windows import SentBy, WindowLaw, basis_of, count_from, start_of, windows_opening
from regulators.registry import DIVISIONAL_COURT, Registry

# The steps that record a decision: the regulator's (registrar or committee), the appeal body's,
# the court's. Each sends the applicant a letter.
LETTER_TRIGGERS = frozenset({Trigger.issue_decision, Trigger.decide_appeal, Trigger.decide_court})


@dataclass(frozen=True)
class AppealRight:
    window: str  # law.windows.WindowKind
    body: str  # who hears it, in the letter's language
    days: int
    counting: str  # law.calendar.DayRule
    runs_from: date
    basis: str | None  # law.windows.ReceiptBasis
    basis_text: str  # as stored with the deadline (English: the law's words)
    last_day: date
    holidays: list[tuple[date, str]]
    steps: list[str]  # the applicant's steps that use it
    citation: str
    to_verify: str | None


@dataclass(frozen=True)
class Decision:
    """What the letter is about, before the event exists: its step and what was said with it."""

    reference: str
    regulator: str
    licence_class: str
    seq: int
    trigger: str
    outcome: str | None
    to_state: str
    facts: frozenset[Fact]  # the route facts after the step
    occurred_at: datetime
    decided_by: str | None  # the organization that decided
    payload: dict[str, Any]


def _day(payload: dict[str, Any], key: str) -> date | None:
    value = payload.get(key)
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _body_of(law: WindowLaw, decision: Decision, registry: Registry, lang: Language) -> str:
    t = translator(lang)
    regulator = registry.regulator(decision.regulator)
    if law.used_by & {Trigger.file_court_appeal, Trigger.record_court_filing}:
        return t.gettext("the Divisional Court (Ontario Superior Court of Justice)")
    if regulator is None:
        return decision.regulator
    return t.names(regulator.appeal_body.name)


def appeal_rights(decision: Decision, registry: Registry, lang: Language) -> list[AppealRight]:
    """The applicant's windows the decision opens, each counted as the deadlines count it."""
    payload = decision.payload
    day = local_date(decision.occurred_at)
    sent_by = payload.get("sent_by")
    rights = []
    for law in windows_opening(decision.to_state, set(decision.facts), decision.regulator):
        if law.party is not Clock.applicant:
            continue
        runs_from, basis_text = start_of(law, day, _day(payload, "sent_on"),
                                         SentBy(sent_by) if sent_by else None,
                                         _day(payload, "received_on"))
        last_day, stepped = count_from(law, runs_from)
        basis = basis_of(basis_text)
        rights.append(AppealRight(
            window=law.code, body=_body_of(law, decision, registry, lang), days=law.days,
            counting=law.counting.value, runs_from=runs_from,
            basis=basis.value if basis else None, basis_text=basis_text, last_day=last_day,
            holidays=list(stepped), citation=law.citation, to_verify=law.to_verify,
            steps=sorted(s for s in law.used_by if TRIGGER_ROLES.get(s) is Role.applicant),
        ))
    return rights


def _decider(decision: Decision, registry: Registry, lang: Language) -> str:
    t = translator(lang)
    regulator = registry.regulator(decision.regulator)
    if decision.decided_by == DIVISIONAL_COURT:
        return t.gettext("the Divisional Court (Ontario Superior Court of Justice)")
    if regulator is not None:
        if decision.decided_by == regulator.appeal_body.slug:
            return t.names(regulator.appeal_body.name)
        return t.names(regulator.name)
    return decision.decided_by or decision.regulator


def decision_letter(decision: Decision, registry: Registry, lang: Language) -> bytes:
    """The letter's PDF: the same decision and language give the same bytes."""
    t = translator(lang)
    regulator = registry.regulator(decision.regulator)
    licence = regulator.licence_class(decision.licence_class) if regulator else None
    context = {
        "decision": decision,
        "decider": _decider(decision, registry, lang),
        "regulator": regulator,
        "licence_class": licence,
        "decided_on": local_date(decision.occurred_at),
        "reasons": decision.payload.get("reasons"),
        "requirements": list(decision.payload.get("requirements") or []),
        "note": decision.payload.get("note"),
        "rights": appeal_rights(decision, registry, lang),
        "final": decision.to_state in ("licensed",),
    }
    title = t.gettext("Decision on application {reference}", reference=decision.reference)
    stamp = Stamp(generated_at=decision.occurred_at, parameters=[
        (t.gettext("Application"), decision.reference),
        (t.gettext("Decision recorded as event"), str(decision.seq)),
    ])
    return render_pdf("documents/letter.html", lang, context, title=title, stamp=stamp,
                      identifier=f"letter {decision.reference} {decision.seq} {lang}")
