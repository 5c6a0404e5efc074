"""An application as its page says it, in plain words: the stage, who holds the file by name, what
happens next and who must act, the deadlines with days left, the expected time, the timeline and
the route diagram with the current stage marked."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from casefile.detail import ApplicationDetail, ApplicationFile
from charts.route import route_in_words, route_map, route_svg
from deadlines.schemas import DeadlineView
from fairtrack.columns import utcnow
from i18n import Translator
from law.calendar import local_date
from law.road import ENDS_BY_CHOICE, STATE_INFO, STEPS, TRIGGER_ROLES, Clock, Fact, Role, Stage
from regulators.files import Regulator
from regulators.registry import Registry
from regulators.route import route_facts, stage_bodies
from regulators.views import ASSESSMENT_NOTICE
from workflow.schemas import EventView

# Below this many finished cases an expected time says more about a few people than about the
# stage, and could point at them: it is withheld (the oversight figures' small-cell rule).
MINIMUM_SAMPLE = 10


@dataclass(frozen=True)
class DeadlineLine:
    title: str
    due_on: date
    days_left: int
    status: str
    party: str
    legal_basis: str
    to_verify: str | None
    is_default: bool
    is_window: bool
    paused: bool


@dataclass(frozen=True)
class TimelineEntry:
    when: Any
    what: str
    outcome: str | None
    by: str
    note: str | None
    reasons: str | None
    documents: list[str]


def holder_names(detail: ApplicationDetail, regulator: Regulator | None, registry: Registry,
                 t: Translator) -> str | None:
    """Who holds the file where it stands, by name (None before it is sent, and once closed)."""
    if regulator is None:
        return None
    stage = STATE_INFO[detail.state].stage
    bodies = stage_bodies(regulator, registry, detail.assessor).get(stage, ())
    return " / ".join(t.names(body) for body in bodies) or None


def step_fields(trigger: str) -> list[str]:
    """What an applicant's step asks: a note always; the documents sent, unless the step ends the
    file by the applicant's choice (a withdrawal sends nothing)."""
    return ["note"] if trigger in ENDS_BY_CHOICE else ["documents", "note"]


def next_state(detail: ApplicationDetail, trigger: str, registry: Registry) -> str | None:
    """Where the step leads from here on this application's route (the road's steps)."""
    regulator = registry.regulator(detail.regulator)
    facts = route_facts(regulator) if regulator else set()
    if detail.assessor is None:
        facts.discard(Fact.third_party_assessment)
    for step in STEPS:
        if step.trigger == trigger and detail.state in step.source and step.outcome is None \
                and step.when <= facts | {Fact.decided_by_committee} and not step.unless & facts:
            return step.dest.value
    return None


def _deadline(d: DeadlineView, today: date, t: Translator) -> DeadlineLine:
    title = t.label("window", d.code) if d.kind == "statutory_window" else t.gettext(
        "Service standard: {stage}", stage=t.label("stage", d.code))
    return DeadlineLine(
        title=title, due_on=d.due_on, days_left=(d.due_on - today).days, status=d.status,
        party=d.party, legal_basis=d.legal_basis, to_verify=d.to_verify, is_default=d.is_default,
        is_window=d.kind == "statutory_window", paused=d.paused,
    )


def _who(event: EventView, regulator: Regulator | None, registry: Registry, t: Translator) -> str:
    role = event.actor_role
    if role == Role.applicant:
        return t.gettext("You")
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


def application_page_context(file: ApplicationFile, registry: Registry, t: Translator) -> dict[str, Any]:
    detail = file.detail
    regulator = registry.regulator(detail.regulator)
    info = STATE_INFO[detail.state]
    holder = holder_names(detail, regulator, registry, t)
    today = local_date(utcnow())
    deadlines = [_deadline(d, today, t) for d in detail.deadlines]
    open_deadlines = sorted((d for d in deadlines if d.status == "open"), key=lambda d: d.due_on)
    past_deadlines = [d for d in deadlines if d.status != "open"]
    must_act = t.gettext("You") if info.clock is Clock.applicant else (
        holder if info.clock is not Clock.none else None)
    next_text = t.label("state_next", detail.state).format_map(
        _Fill(holder=holder or "", regulator=t.names(regulator.name) if regulator else "",
              appeal_body=t.names(regulator.appeal_body.name) if regulator else ""))
    expectation = detail.expectation
    shown_expectation = expectation if (
        expectation is not None and expectation.completed_visits >= MINIMUM_SAMPLE
        and expectation.median_calendar_days is not None) else None
    route = route_map(regulator, registry, detail.assessor) if regulator else None
    applicant_steps = [a.trigger for a in detail.allowed_triggers
                       if TRIGGER_ROLES.get(a.trigger) is Role.applicant]
    timeline = [
        TimelineEntry(
            when=e.occurred_at,
            what=t.label("trigger", e.trigger),
            outcome=t.label("outcome", e.outcome) if e.outcome else None,
            by=_who(e, regulator, registry, t),
            note=e.payload.get("note"), reasons=e.payload.get("reasons"),
            documents=list(e.payload.get("documents") or []),
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
        "notice": ASSESSMENT_NOTICE, "today": today, "ends_by_choice": ENDS_BY_CHOICE,
        "closed": info.stage is Stage.closed,
        "licence_class": regulator.licence_class(detail.licence_class) if regulator else None,
    }


class _Fill(dict[str, str]):
    """Names a sentence may use ({holder}, {regulator}, {appeal_body}); an unknown one stays as
    written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"
