"""A demo history's walk along the real road: the steps a random applicant's file takes, what each
request says (everything the law asks of it), and the deadlines the write path would record for it,
computed as it goes so that a lapse or an abandonment comes after the deadline it needs."""

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from deadlines.service import (
    OPEN,
    RESPONSE_DEADLINE,
    STATUTORY_WINDOW,
    AnyRow,
    DeadlineDraft,
    Standard,
    follow_step,
    law_of,
)
from law.calendar import TORONTO, local_date
from law.road import (
    BOARD_ORDER,
    CLOSED_STATES,
    COURT_REGISTRY_STATES,
    COURT_TRIGGERS,
    CREATE_TRIGGER,
    EXTENSIONS,
    INITIAL_STATE,
    LAPSE,
    NEEDS_OF,
    NOTICES,
    REQUESTS,
    STATE_INFO,
    TRIGGER_ROLES,
    Clock,
    Detail,
    Fact,
    Outcome,
    Requirement,
    Role,
    Trigger,
)
from law.standards import StandardStage
from law.windows import SentBy
from regulators.files import Regulator, Sector
from regulators.registry import DIVISIONAL_COURT
from workflow.machine import Walk, allowed_triggers, fire
from workflow.schemas import EventRequest

# How often a history takes each step where it has a choice. A trigger not listed (a new one) is
# taken with DEFAULT_WEIGHT, so that adding a step to the road needs no change here.
DEFAULT_WEIGHT = 0.3
T, Out = Trigger, Outcome
TRIGGER_WEIGHTS: dict[str, float] = {
    T.submit: 1.0, T.start_assessment: 1.0, T.request_documents: 0.15, T.complete_assessment: 0.85,
    T.begin_review: 1.0, T.request_information: 0.2, T.provide_information: 1.0,
    T.refer_to_committee: 0.2, T.issue_decision: 0.8, T.request_appeal: 0.4, T.open_hearing: 0.6,
    T.decide_appeal: 0.4, T.file_court_appeal: 0.35, T.record_court_filing: 0.05,
    T.decide_court: 0.5, T.lapse: 0.6, T.abandon: 0.03, T.withdraw: 0.006,
    T.make_submissions: 0.3, T.waive_submissions: 0.05, T.record_receipt: 0.08,
    T.college_court_appeal: 0.15, T.extend_appeal_time: 0.02, T.extend_court_time: 0.02,
}
OUTCOME_WEIGHTS: dict[str, float] = {
    Out.registered: 0.62, Out.registered_with_conditions: 0.08, Out.requirements: 0.15, Out.refused: 0.15,
    Out.dismissed: 0.6, Out.allowed: 0.2, Out.remitted: 0.2,
}
SPECIFIC_REQUIREMENTS = [r.value for r in Requirement if r is not Requirement.other]
# Days a step takes, by whose clock is running: (low, high).
CLOCK_DAYS = {
    Clock.applicant: (2, 40), Clock.assessor: (10, 80), Clock.regulator: (5, 110),
    Clock.tribunal: (40, 300), Clock.none: (0, 0),
}


@dataclass
class Step:
    trigger: str
    outcome: str | None
    from_state: str | None
    to_state: str
    occurred_at: datetime
    role: Role
    payload: dict[str, Any]
    decided_by_committee: bool = False  # the route fact after this step


class RecordedStep(NamedTuple):
    """A demo step as the deadline functions see an event (deadlines.service.Step)."""

    seq: int
    trigger: str
    from_state: str | None
    to_state: str
    actor_role: str
    actor_org: str | None
    occurred_at: datetime
    payload: dict[str, Any]


def choose(rng: random.Random, options: dict[str, float]) -> str:
    names = list(options)
    return rng.choices(names, weights=[options[n] for n in names])[0]


def organization(role: Role, trigger: str, state: str, regulator: Regulator,
                 assessor: str | None) -> str | None:
    """Whose staff fire `trigger` for `role` from `state` (workflow.policy.holder, for a walk)."""
    if role is Role.regulator:
        return regulator.slug
    if role is Role.assessor:
        return assessor
    if role is Role.tribunal:
        court = state in COURT_REGISTRY_STATES or trigger in COURT_TRIGGERS
        return DIVISIONAL_COURT if court else regulator.appeal_body.slug
    return None


EXAMPLES: dict[Detail, Any] = {
    Detail.reasons: "Demo reasons.", Detail.note: "Demo submissions.",
    Detail.review_or_hearing: "review", Detail.consent_to_conditions: True,
}


def step_details(
    trigger: str, outcome: str | None, state: str, facts: set[Fact], day: date,
    rng: random.Random, open_rows: Sequence[AnyRow] | None = None, regulator: str = "",
) -> dict[str, Any]:
    """What a realistic request for this step says, beyond trigger and outcome: everything the law
    asks of it (law.road.NEEDS), and sometimes how a notice was sent or a response date."""
    fields: dict[str, Any] = {}
    if outcome == Out.requirements:
        fields["requirements"] = sorted(rng.sample(SPECIFIC_REQUIREMENTS, rng.randint(1, 2)))
    for need in NEEDS_OF.get(trigger, ()):
        if not need.applies(state, facts, outcome, fields.get("requirements", [])):
            continue
        detail = need.any_of[0]
        if detail in EXAMPLES:
            fields[detail.value] = EXAMPLES[detail]
        elif detail is Detail.alternatives_accepted:
            fields[detail.value] = rng.random() < 0.3
        elif detail in (Detail.served_on, Detail.received_on):
            fields[detail.value] = day
        elif detail is Detail.window:
            row = next((r for r in open_rows or [] if r.kind == STATUTORY_WINDOW
                        and (law := law_of(r, regulator)) is not None
                        and law.extended_by == trigger), None)
            if row is not None:
                fields["window"] = row.code
        elif detail is Detail.until:
            dues = [r.due_on for r in open_rows or [] if r.code == fields.get("window")]
            fields["until"] = max([*dues, day]) + timedelta(days=14)
        elif detail is Detail.documents:
            fields["documents"] = ["decision.pdf"]
    if trigger in EXTENSIONS:
        fields.setdefault("reasons", "Demo reasons for extending the time.")
    if trigger in NOTICES and rng.random() < 0.5:
        fields["sent_by"] = rng.choice(list(SentBy)).value
        fields["sent_on"] = day
    if trigger in REQUESTS and (trigger != Trigger.issue_decision or outcome == Out.requirements):
        fields["respond_by"] = day + timedelta(days=rng.choice((30, 45, 60)))
    return fields


def offered(trigger: str, state: str, open_rows: Sequence[AnyRow], regulator: str) -> bool:
    """Whether the write path's deadline checks would let this step through (with the right
    timing): lapse and abandon need a deadline to have run out, extensions a window to extend."""
    windows = [r for r in open_rows if r.kind == STATUTORY_WINDOW]
    if trigger == LAPSE:
        return any(r.party == Clock.applicant for r in windows)
    if trigger == Trigger.abandon:
        return any(r.kind == RESPONSE_DEADLINE and r.code == state for r in open_rows)
    if trigger in EXTENSIONS:
        return any((law := law_of(r, regulator)) is not None and law.extended_by == trigger
                   for r in windows)
    return True


def earliest(trigger: str, open_rows: Sequence[AnyRow]) -> date | None:
    """The first day a lapse or an abandonment may be recorded: after every applicant deadline."""
    if trigger not in (LAPSE, Trigger.abandon):
        return None
    dues = [r.due_on for r in open_rows if r.party == Clock.applicant
            and (r.kind == STATUTORY_WINDOW or trigger == Trigger.abandon)]
    return max(dues) + timedelta(days=1) if dues else None


def walk_history(
    rng: random.Random, regulator: Regulator, assessor: str | None, start: datetime, now: datetime,
    standard: Callable[[StandardStage], Standard],
) -> tuple[Walk, list[Step], list[DeadlineDraft]]:
    """A random walk along the road, stopping when closed or when the next step is in the future,
    with the deadlines the write path would record for it (application_id 0: set when stored)."""
    facts = {Fact.health} if regulator.sector is Sector.health else set()
    if assessor:
        facts.add(Fact.third_party_assessment)
    walk = Walk(INITIAL_STATE, facts)
    steps = [Step(CREATE_TRIGGER, None, None, INITIAL_STATE, start, Role.applicant, {})]
    slow = rng.random() < 0.08  # some regulators' files sit far past their standards
    moment = start
    every_row: list[DeadlineDraft] = []
    open_rows: list[DeadlineDraft] = []

    def follow(step: Step, seq: int) -> None:
        nonlocal open_rows
        org = organization(step.role, step.trigger, step.from_state or "", regulator, assessor)
        recorded = RecordedStep(seq, step.trigger, step.from_state, step.to_state,
                                step.role.value, org, step.occurred_at, step.payload)
        route = facts | {Fact.decided_by_committee} if step.decided_by_committee else facts
        opened = follow_step(open_rows, recorded, 0, route, standard, DeadlineDraft,
                             regulator.slug)
        every_row.extend(opened)
        open_rows = [d for d in open_rows + opened if d.status == OPEN]

    follow(steps[0], 1)
    ordered: str | None = None  # what an appeal board last required of the committee
    while walk.state not in CLOSED_STATES:
        options = {t: o for t, o in allowed_triggers(walk.state, walk.facts).items()
                   if offered(t, walk.state, open_rows, regulator.slug)}
        if walk.state == BOARD_ORDER and Trigger.issue_decision in options and ordered:
            options[Trigger.issue_decision] = [ordered]
        trigger = choose(rng, {t: TRIGGER_WEIGHTS.get(t, DEFAULT_WEIGHT) for t in options})
        outcome = None
        if options[trigger]:
            outcome = choose(rng, {o: OUTCOME_WEIGHTS.get(o, DEFAULT_WEIGHT) for o in options[trigger]})
        clock = STATE_INFO[walk.state].clock
        low, high = CLOCK_DAYS[clock]
        days = rng.randint(low, high)
        if slow and clock is Clock.regulator:
            days *= 3
        moment = moment + timedelta(days=days, minutes=rng.randint(0, 600))
        first_day = earliest(trigger, open_rows)
        if first_day is not None and local_date(moment) < first_day:
            moment = datetime.combine(first_day, time(9, rng.randint(0, 59)), tzinfo=TORONTO)
        if moment > now:
            break
        day = local_date(moment)
        fields = step_details(trigger, outcome, walk.state, walk.facts, day, rng, open_rows,
                              regulator.slug)
        payload = EventRequest(trigger=trigger, outcome=outcome, expected_version=0,
                               **fields).payload()
        from_state = walk.state
        fire(walk, trigger, outcome)
        if trigger == Trigger.decide_appeal:
            ordered = outcome
        steps.append(Step(trigger, outcome, from_state, walk.state, moment,
                          TRIGGER_ROLES[trigger], payload,
                          Fact.decided_by_committee in walk.facts))
        follow(steps[-1], len(steps))
    return walk, steps, every_row
