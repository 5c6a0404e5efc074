"""An application as its page says it, in plain words: the stage, who holds the file by name, what
happens next and who must act, the deadlines with days left, the expected time, the timeline and
the route diagram with the current stage marked."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from casefile.detail import ApplicationDetail, ApplicationFile
from charts.route import route_in_words, route_map, route_svg
from deadlines.schemas import DeadlineKind, DeadlineView
from fairtrack.columns import utcnow
from i18n import Translator
from law.calendar import local_date
from law.road import (
    DETAIL_TRIGGERS,
    ENDS_BY_CHOICE,
    EXTENSIONS,
    NEEDS_OF,
    STATE_INFO,
    STEPS,
    TRIGGER_OUTCOMES,
    TRIGGER_ROLES,
    Clock,
    Detail,
    Fact,
    Outcome,
    Role,
    Stage,
    Trigger,
)
from law.windows import basis_of
from regulators.files import Regulator
from regulators.registry import Registry
from regulators.route import holder_names as route_holder_names
from regulators.route import route_facts, what_next
from regulators.views import ASSESSMENT_NOTICE
from workflow.schemas import EventView

# Below this many finished cases an expected time says more about a few people than about the
# stage, and could point at them: it is withheld (the oversight figures' small-cell rule).
MINIMUM_SAMPLE = 10


@dataclass(frozen=True)
class DeadlineLine:
    title: str
    kind: str
    due_on: date
    days_left: int
    status: str
    party: str
    legal_basis: str
    to_verify: str | None
    is_default: bool
    is_window: bool
    paused: bool
    starts_on: date
    basis: str | None  # law.windows.ReceiptBasis: why a window runs from starts_on
    holidays: list[tuple[date, str]]
    acted_on: date | None
    original_due_on: date | None


@dataclass(frozen=True)
class TimelineEntry:
    when: Any
    what: str
    outcome: str | None
    by: str
    note: str | None
    reasons: str | None
    documents: list[str]
    details: list[tuple[str, str]]  # what else the step said (dates, how sent, what was asked)


def holder_names(detail: ApplicationDetail, regulator: Regulator | None, registry: Registry,
                 t: Translator) -> str | None:
    """Who holds the file where it stands, by name (None before it is sent, and once closed)."""
    return route_holder_names(detail.state, regulator, registry, detail.assessor, t)


# Applicant steps offered beside the main ones: saying when a notice came, giving up time, ending.
SECONDARY_STEPS = ENDS_BY_CHOICE | {Trigger.record_receipt, Trigger.waive_submissions}
# The details an applicant's page can ask for (a date, a choice, text), in the order a form asks
# what the law needs before the rest.
FORM_DETAILS = (Detail.review_or_hearing, Detail.served_on, Detail.received_on, Detail.note,
                Detail.documents)
# What a step asks, in order: the documents sent and a note, unless the step ends the file by the
# applicant's choice (a withdrawal sends nothing), says a date, gives something up in writing, or
# is written submissions (the text first).
ASKED: dict[str, tuple[Detail, ...]] = {
    Trigger.record_receipt: (Detail.received_on, Detail.note),
    Trigger.waive_submissions: (Detail.note,),
    Trigger.make_submissions: (Detail.note, Detail.documents),
    **{trigger: (Detail.note,) for trigger in ENDS_BY_CHOICE},
}


@dataclass(frozen=True)
class StepForm:
    """What a step's form asks, from the law's needs (law.road.NEEDS) for this application where it
    stands: each of `required`, and at least one of `one_of` (before an outcome is chosen: a staff
    step's needs may depend on its outcome and the requirements it lists, see `needs`)."""

    trigger: str
    fields: tuple[str, ...]
    required: tuple[str, ...]
    one_of: tuple[str, ...]
    outcomes: tuple[str, ...] = ()  # the outcomes the step may have here (a decision's)
    state: str = ""
    facts: frozenset[Fact] = frozenset()

    def needs(self, outcome: str | None, requirements: list[str]) -> tuple[tuple[str, ...],
                                                                        tuple[str, ...]]:
        """(required, one of) for this outcome and these requirements."""
        required: list[str] = []
        one_of: tuple[str, ...] = ()
        for need in NEEDS_OF.get(self.trigger, ()):
            if need.applies(self.state, set(self.facts), outcome, requirements):
                if len(need.any_of) == 1:
                    required.append(need.any_of[0].value)
                else:
                    one_of = tuple(d.value for d in need.any_of if d.value in self.fields)
        return tuple(required), one_of

    def outcomes_needing(self, field: str) -> tuple[str, ...]:
        """The outcomes of this step for which the law needs `field` (alone or as one of
        several): the form says so beside the field, as the check after it will."""
        return tuple(o for o in self.outcomes
                     if any(field in names for names in self.needs(o, [])))


def application_facts(detail: ApplicationDetail, registry: Registry) -> set[Fact]:
    """The route facts of this application (its regulator's, and its own assessor or none)."""
    regulator = registry.regulator(detail.regulator)
    facts = route_facts(regulator) if regulator else set()
    if detail.assessor is None:
        facts.discard(Fact.third_party_assessment)
    return facts


def step_outcomes(trigger: str, state: str, facts: set[Fact]) -> tuple[str, ...]:
    """The outcomes a decision may have from here on this route, in the road's order."""
    found: list[str] = []
    for step in STEPS:
        if step.trigger == trigger and state in step.source and step.outcome is not None \
                and step.when <= facts | {Fact.decided_by_committee} and not step.unless & facts \
                and step.outcome.value not in found:
            found.append(step.outcome.value)
    return tuple(found)


# Staff steps that come with written reasons: decisions (required for some outcomes, law.road.NEEDS),
# a referral (why the file goes to the committee), abandoning a file, an extension of time.
REASONED = frozenset(TRIGGER_OUTCOMES) | {Trigger.refer_to_committee, Trigger.abandon} | EXTENSIONS
# What a staff step may ask, in the order its form asks it.
STAFF_DETAILS = (Detail.requirements, Detail.alternatives_accepted, Detail.consent_to_conditions,
                 Detail.reasons, Detail.window, Detail.until, Detail.served_on, Detail.sent_on,
                 Detail.sent_by, Detail.respond_by, Detail.documents, Detail.note)
ASKS_RESPONSE_DATE = frozenset({Trigger.request_information, Trigger.request_documents})


def _staff_asks(detail: Detail, trigger: str, state: str, facts: set[Fact],
                outcomes: tuple[str, ...]) -> bool:
    allowed = DETAIL_TRIGGERS.get(detail)
    if allowed is not None and trigger not in allowed:
        return False
    if detail is Detail.reasons:
        return trigger in REASONED
    if detail in (Detail.requirements, Detail.alternatives_accepted):
        return Outcome.requirements in outcomes
    if detail is Detail.consent_to_conditions:
        return any(need.applies(state, facts, Outcome.registered_with_conditions, [])
                   for need in NEEDS_OF.get(trigger, ()) if Detail.consent_to_conditions in need.any_of)
    if detail is Detail.respond_by:
        return trigger in ASKS_RESPONSE_DATE
    return True


def step_form(trigger: str, state: str, facts: set[Fact]) -> StepForm:
    """The form of a step where the application stands: an applicant's (what it sends, a date, a
    choice) or a staff member's (the outcome, reasons, requirements, how a notice was sent)."""
    outcomes: tuple[str, ...] = ()
    if TRIGGER_ROLES.get(trigger) is Role.applicant:
        base = ASKED.get(trigger, (Detail.documents, Detail.note))
    else:
        outcomes = step_outcomes(trigger, state, facts)
        base = tuple(d for d in STAFF_DETAILS if _staff_asks(d, trigger, state, facts, outcomes))
    # What the law needs whatever the outcome (an outcome's own needs are checked once chosen).
    every_detail = StepForm(trigger, tuple(d.value for d in Detail), (), (), outcomes, state,
                            frozenset(facts))
    required_names, one_of_names = every_detail.needs(None, [])
    required = [Detail(name) for name in required_names]
    one_of = tuple(Detail(name) for name in one_of_names)
    # Needs the form does not ask otherwise come first; one of several is met by what it asks.
    extra = set(required) | (set() if set(one_of) & set(base) else set(one_of[:1]))
    fields = tuple(d for d in FORM_DETAILS if d in extra - set(base)) + base
    return StepForm(trigger, tuple(d.value for d in fields), tuple(d.value for d in required),
                    tuple(d.value for d in one_of if d in fields), outcomes, state, frozenset(facts))


def next_state(detail: ApplicationDetail, trigger: str, registry: Registry) -> str | None:
    """Where the step leads from here on this application's route (the road's steps)."""
    facts = application_facts(detail, registry)
    for step in STEPS:
        if step.trigger == trigger and detail.state in step.source and step.outcome is None \
                and step.when <= facts | {Fact.decided_by_committee} and not step.unless & facts:
            return step.dest.value
    return None


def _deadline(d: DeadlineView, today: date, t: Translator) -> DeadlineLine:
    if d.kind == DeadlineKind.statutory_window:
        title = t.label("window", d.code)
    elif d.kind == DeadlineKind.response_deadline:  # given with a request made in state `code`
        title = t.label("deadline_kind", d.kind)
    else:
        title = t.gettext("Service standard: {stage}", stage=t.label("stage", d.code))
    basis = basis_of(d.receipt_basis)
    return DeadlineLine(
        title=title, kind=d.kind, due_on=d.due_on, days_left=(d.due_on - today).days,
        status=d.status, party=d.party, legal_basis=d.legal_basis, to_verify=d.to_verify,
        is_default=d.is_default, is_window=d.kind != DeadlineKind.service_standard,
        paused=d.paused, starts_on=d.starts_on, basis=basis.value if basis else None,
        holidays=[(h.day, h.name) for h in d.holidays_stepped_over], acted_on=d.acted_on,
        original_due_on=d.original_due_on,
    )


def _said(payload: dict[str, Any], t: Translator) -> list[tuple[str, str]]:
    """The dates and choices a step recorded, in words (law.road.Detail)."""
    said: list[tuple[str, str]] = []
    for detail, name in (
        (Detail.sent_on, t.gettext("Sent on")), (Detail.sent_by, t.gettext("How it was sent")),
        (Detail.received_on, t.gettext("Reached you on")),
        (Detail.served_on, t.gettext("Notice of appeal served on")),
        (Detail.respond_by, t.gettext("Answer by")),
        (Detail.review_or_hearing, t.gettext("Asked for")),
        (Detail.window, t.gettext("Time limit")), (Detail.until, t.gettext("New last day")),
    ):
        value = payload.get(detail.value)
        if not isinstance(value, str) or not value:
            continue
        if detail in (Detail.sent_by, Detail.review_or_hearing, Detail.window):
            shown = t.label(detail.value if detail is not Detail.window else "window", value)
        else:
            try:
                shown = t.date(date.fromisoformat(value))
            except ValueError:
                shown = value
        said.append((name, shown))
    return said


def _who(event: EventView, regulator: Regulator | None, registry: Registry, t: Translator,
         staff: bool = False) -> str:
    role = event.actor_role
    if role == Role.applicant:
        return t.gettext("The applicant") if staff else t.gettext("You")
    if role == Role.system:
        return t.gettext("FairTrack (a time limit ran out)")
    organization = event.actor_organization
    names = {slug: body for slug, body in (
        [(a, registry.assessors[a].name) for a in registry.assessors]
        + ([(regulator.slug, regulator.name), (regulator.appeal_body.slug, regulator.appeal_body.name)]
           if regulator else [])
    )}
    if organization in names:
        return t.names(names[organization])
    return t.label("role", role)


def application_page_context(file: ApplicationFile, registry: Registry, t: Translator,
                             staff: bool = False) -> dict[str, Any]:
    """What an application's page shows; `staff`: to the staff handling it (the applicant named as
    such), else to the applicant."""
    detail = file.detail
    regulator = registry.regulator(detail.regulator)
    info = STATE_INFO[detail.state]
    holder = holder_names(detail, regulator, registry, t)
    today = local_date(utcnow())
    deadlines = [_deadline(d, today, t) for d in detail.deadlines]
    open_deadlines = sorted((d for d in deadlines if d.status == "open"), key=lambda d: d.due_on)
    past_deadlines = [d for d in deadlines if d.status != "open"]
    must_act = (t.gettext("The applicant") if staff else t.gettext("You")) \
        if info.clock is Clock.applicant else (
        holder if info.clock is not Clock.none else None)
    next_text = what_next(detail.state, regulator, registry, detail.assessor, t)
    expectation = detail.expectation
    shown_expectation = expectation if (
        expectation is not None and expectation.completed_visits >= MINIMUM_SAMPLE
        and expectation.median_calendar_days is not None) else None
    route = route_map(regulator, registry, detail.assessor) if regulator else None
    # The steps that move the file on first; those that say a date, give up time or end the
    # file after, as secondary buttons.
    applicant_steps = sorted((a.trigger for a in detail.allowed_triggers
                              if TRIGGER_ROLES.get(a.trigger) is Role.applicant),
                             key=lambda trigger: trigger in SECONDARY_STEPS)
    timeline = [
        TimelineEntry(
            when=e.occurred_at,
            what=t.label("trigger", e.trigger),
            outcome=t.label("outcome", e.outcome) if e.outcome else None,
            by=_who(e, regulator, registry, t, staff),
            note=e.payload.get("note"), reasons=e.payload.get("reasons"),
            documents=list(e.payload.get("documents") or []),
            details=_said(e.payload, t),
        )
        for e in file.events
    ]
    return {
        "application": detail, "regulator": regulator, "info": info, "holder": holder,
        "must_act": must_act, "next_text": next_text, "open_deadlines": open_deadlines,
        "past_deadlines": past_deadlines, "expectation": expectation,
        "shown_expectation": shown_expectation, "minimum_sample": MINIMUM_SAMPLE,
        "applicant_steps": applicant_steps, "timeline": timeline, "intervals": file.intervals,
        "diagram": route_svg(route, t, detail.state, ident="route") if route else None,
        "in_words": route_in_words(route, t, detail.state) if route else [],
        "notice": ASSESSMENT_NOTICE, "today": today, "secondary_steps": SECONDARY_STEPS,
        "closed": info.stage is Stage.closed,
        "licence_class": regulator.licence_class(detail.licence_class) if regulator else None,
    }
