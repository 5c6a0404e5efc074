"""Synthetic but realistic histories: many applications walked through the real machine, bulk-inserted.

Every history is a random walk through the same road the API enforces, hash-chained and projected
with the same functions, so `fairtrack verify` passes on demo data. Its deadlines come from the write
path's own deadline function, step by step, and the flags from the same rules, once at the end.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import User
from accounts.security import hash_password
from deadlines.models import Deadline
from deadlines.service import (
    OPEN,
    RESPONSE_DEADLINE,
    STATUTORY_WINDOW,
    AnyRow,
    DeadlineDraft,
    Standard,
    follow_step,
    law_of,
    standard_of,
)
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from flags.service import raise_flags
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
from profiles.models import ApplicantProfile
from profiles.schemas import IRCC_LANGUAGE_TESTS, ImmigrationStatus
from regulators.files import Regulator, Sector
from regulators.registry import DIVISIONAL_COURT, Registry
from workflow.ledger import (
    GENESIS_HASH,
    chain_hash,
    event_content,
    recorded_business_days,
    visit_durations,
)
from workflow.machine import Walk, allowed_triggers, fire
from workflow.models import Application, Event, StageInterval, StageVisit
from workflow.schemas import EventRequest
from workflow.visits import Stay, fold_visits

DEMO_PASSWORD = "fairtrack-demo-2026"  # noqa: S105 - documented in README; demo data only
DEMO_DOMAIN = "demo.fairtrack.example"
BATCH = 1000

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
class DemoCast:
    """The demo accounts: who acts for each role and organization."""

    applicants: list[int]
    staff: dict[tuple[Role, str], int] = field(default_factory=dict)


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_DOMAIN}"


def _ensure_users(session: Session, registry: Registry, applicants: int) -> DemoCast:
    """Named demo accounts (see README) plus one staff account per organization, made once."""
    # One hash shared by every demo account: seconds, not minutes, for thousands of them.
    password_hash = hash_password(DEMO_PASSWORD)
    existing = {
        email: (uid, role, org)
        for email, uid, role, org in session.execute(
            select(col(User.email), col(User.id), col(User.role), col(User.organization)).where(
                col(User.email).like(f"%@{DEMO_DOMAIN}")
            )
        )
    }
    wanted: list[dict[str, Any]] = []
    orgs: list[tuple[Role, str]] = [(Role.regulator, slug) for slug in registry.regulators]
    orgs += [(Role.assessor, slug) for slug in registry.assessors]
    orgs += sorted({(Role.tribunal, r.appeal_body.slug) for r in registry.regulators.values()})
    orgs.append((Role.tribunal, DIVISIONAL_COURT))
    for role, org in orgs:
        wanted.append({"email": demo_email(f"{role.value}.{org}"), "role": role, "organization": org})
    for name, role in (("oversight", Role.oversight), ("admin", Role.admin)):
        wanted.append({"email": demo_email(name), "role": role, "organization": None})
    wanted += [
        {"email": demo_email("applicant" if i == 0 else f"applicant{i}"), "role": Role.applicant,
         "organization": None}
        for i in range(applicants)
    ]
    missing = [w for w in wanted if w["email"] not in existing]
    if missing:
        rows = [
            {**w, "role": w["role"].value, "password_hash": password_hash,
             "preferred_language": "en", "is_active": True, "created_at": utcnow()}
            for w in missing
        ]
        for start in range(0, len(rows), BATCH):
            session.execute(insert(User).execution_options(render_nulls=True),
                            rows[start : start + BATCH])
        existing = {
            email: (uid, role, org)
            for email, uid, role, org in session.execute(
                select(col(User.email), col(User.id), col(User.role), col(User.organization)).where(
                    col(User.email).like(f"%@{DEMO_DOMAIN}")
                )
            )
        }
    cast = DemoCast(applicants=[])
    for w in wanted:
        user_id, role_name, user_org = existing[w["email"]]
        assert user_id is not None
        if role_name == Role.applicant.value:
            cast.applicants.append(user_id)
        else:
            cast.staff[(Role(role_name), user_org or "")] = user_id
    return cast


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


def _choose(rng: random.Random, options: dict[str, float]) -> str:
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
        trigger = _choose(rng, {t: TRIGGER_WEIGHTS.get(t, DEFAULT_WEIGHT) for t in options})
        outcome = None
        if options[trigger]:
            outcome = _choose(rng, {o: OUTCOME_WEIGHTS.get(o, DEFAULT_WEIGHT) for o in options[trigger]})
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


def _actor(step: Step, regulator: Regulator, assessor: str | None, applicant: int,
           cast: DemoCast) -> tuple[int | None, str | None]:
    if step.role is Role.applicant:
        return applicant, None
    if step.role is Role.system:
        return None, None
    if step.role is Role.regulator:
        org = regulator.slug
    elif step.role is Role.assessor:
        org = assessor or ""
    else:
        org = organization(step.role, step.trigger, step.from_state or "", regulator,
                           assessor) or ""
    return cast.staff[(step.role, org)], org


def generate(
    session: Session,
    registry: Registry,
    applications: int,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `applications` demo applications with their histories, in one unit of work; returns how
    many were added."""
    with unit_of_work(session):
        return _generate(session, registry, applications, seed, progress)


def _generate(
    session: Session,
    registry: Registry,
    applications: int,
    seed: int,
    progress: Callable[[int], None] | None,
) -> int:
    rng = random.Random(seed)
    now = utcnow()
    cast = _ensure_users(session, registry, max(1, applications * 4 // 5))
    _ensure_profiles(session, rng, cast.applicants, now)
    regulators = sorted(registry.regulators.values(), key=lambda r: r.slug)
    weights = [8.0 if r.slug in ("cno", "peo", "cpso", "oct") else 1.0 for r in regulators]
    known: dict[tuple[str, int, StandardStage], Standard] = {}

    def standards(regulator: Regulator) -> Callable[[StandardStage], Standard]:
        def standard(stage: StandardStage) -> Standard:
            key = (regulator.slug, regulator.rules_version, stage)
            if key not in known:
                known[key] = standard_of(session, registry, *key)
            return known[key]
        return standard

    done = 0
    for batch in _chunks(applications, BATCH):
        plans: list[Any] = []
        for _ in range(batch):
            regulator = rng.choices(regulators, weights=weights)[0]
            assessor = rng.choice(regulator.assessors) if regulator.third_party_assessment else None
            start = now - timedelta(days=rng.randint(1, 3 * 365), minutes=rng.randint(0, 1440))
            walk, steps, drafts = walk_history(rng, regulator, assessor, start, now,
                                               standards(regulator))
            applicant = cast.applicants[0] if done + len(plans) < 3 else rng.choice(cast.applicants)
            plans.append((regulator, assessor, applicant, walk, steps, drafts))
        _insert(session, cast, plans, now)
        done += batch
        if progress:
            progress(batch)
    # What the write path and the scan's rules find on these histories today (the scan's flags).
    raise_flags(session, registry, local_date(now), now=now)
    return done


# Where demo applicants were educated and their status: a plausible mix, not statistics.
DEMO_COUNTRIES = {"IN": 0.28, "PH": 0.16, "NG": 0.08, "CN": 0.07, "PK": 0.06, "IR": 0.05, "GB": 0.05,
                  "US": 0.05, "BR": 0.04, "UA": 0.04, "FR": 0.03, "MX": 0.03, "EG": 0.03, "CO": 0.03}
DEMO_STATUSES = {
    ImmigrationStatus.permanent_resident: 0.4, ImmigrationStatus.abroad: 0.15,
    ImmigrationStatus.temporary_foreign_worker: 0.12, ImmigrationStatus.international_student: 0.1,
    ImmigrationStatus.protected_person: 0.08, ImmigrationStatus.refugee_claimant: 0.05,
    ImmigrationStatus.canadian_citizen: 0.1,
}


def _ensure_profiles(session: Session, rng: random.Random, applicants: list[int], now: datetime) -> None:
    """A profile for each demo applicant without one, so that outcomes and flags have data."""
    have = set(session.scalars(select(col(ApplicantProfile.user_id))))
    rows = []
    for user_id in applicants:
        if user_id in have:
            continue
        status = ImmigrationStatus(_choose(rng, {s.value: w for s, w in DEMO_STATUSES.items()}))
        abroad = status is ImmigrationStatus.abroad
        arrived = None if abroad else (now - timedelta(days=rng.randint(30, 3650))).date()
        rows.append({
            "user_id": user_id, "immigration_status": status.value,
            "country_of_education": _choose(rng, DEMO_COUNTRIES),
            "started_before_arrival": True if abroad else rng.random() < 0.3,
            "arrival_date": arrived,
            "language_test": rng.choice(IRCC_LANGUAGE_TESTS) if rng.random() < 0.7 else None,
            "updated_at": now,
        })
    for start in range(0, len(rows), BATCH):
        session.execute(insert(ApplicantProfile).execution_options(render_nulls=True),
                        rows[start : start + BATCH])


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


DEADLINE_FIELDS = tuple(f.name for f in fields(DeadlineDraft))


def _fields(draft: DeadlineDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in DEADLINE_FIELDS}


def _insert(session: Session, cast: DemoCast, plans: list[Any], now: datetime) -> None:
    app_rows = [
        {
            "applicant_id": applicant, "regulator": regulator.slug,
            "licence_class": regulator.professions[0].licence_classes[0].code,
            "assessor": assessor, "health_route": regulator.sector is Sector.health,
            "rules_version": regulator.rules_version, "state": walk.state,
            "decided_by_committee": Fact.decided_by_committee in walk.facts,
            "version": len(steps), "head_hash": GENESIS_HASH,
            "created_at": steps[0].occurred_at, "updated_at": steps[-1].occurred_at,
        }
        for regulator, assessor, applicant, walk, steps, _drafts in plans
    ]
    ids = list(session.scalars(
        insert(Application).returning(col(Application.id), sort_by_parameter_order=True)
        .execution_options(render_nulls=True), app_rows
    ))
    events: list[dict[str, Any]] = []
    intervals: list[dict[str, Any]] = []
    heads: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    deadlines: list[DeadlineDraft] = []
    for app_id, (regulator, assessor, applicant, _walk, steps, drafts) in zip(ids, plans,
                                                                               strict=True):
        assert app_id is not None
        prev_hash = GENESIS_HASH
        first = len(intervals)
        for draft in drafts:
            draft.application_id = app_id
        deadlines += drafts
        for seq, step in enumerate(steps, start=1):
            actor_id, actor_org = _actor(step, regulator, assessor, applicant, cast)
            recorded_at = min(step.occurred_at + timedelta(hours=1), now)
            fields: dict[str, Any] = dict(
                application_id=app_id, seq=seq, trigger=step.trigger, outcome=step.outcome,
                from_state=step.from_state, to_state=step.to_state, actor_id=actor_id,
                actor_role=step.role.value, actor_org=actor_org, occurred_at=step.occurred_at,
                recorded_at=recorded_at, payload=step.payload,
            )
            digest = chain_hash(prev_hash, event_content(**fields))
            events.append({**fields, "prev_hash": prev_hash, "hash": digest})
            prev_hash = digest
            info = STATE_INFO[step.to_state]
            if intervals and intervals[-1]["application_id"] == app_id:
                last = intervals[-1]
                last["exited_at"] = step.occurred_at
                last["calendar_days"], last["business_days"] = visit_durations(
                    last["entered_at"], step.occurred_at
                )
                last["recorded_business_days"] = recorded_business_days(last["recorded_at"],
                                                                        recorded_at)
            intervals.append({
                "application_id": app_id, "regulator": regulator.slug, "seq": seq,
                "state": info.name, "stage": info.stage.value, "clock": info.clock.value,
                "entered_at": step.occurred_at, "exited_at": None, "calendar_days": None,
                "business_days": None, "recorded_at": recorded_at, "recorded_business_days": None,
            })
        heads.append({"id": app_id, "head_hash": prev_hash})
        stays = (Stay(i["seq"], i["stage"], i["clock"], i["entered_at"], i["exited_at"],
                      i["calendar_days"], i["business_days"], i["recorded_business_days"])
                 for i in intervals[first:])
        visits += [{"application_id": app_id, "regulator": regulator.slug, **vars(v)}
                   for v in fold_visits(stays)]
    # render_nulls: rows whose None fields differ still go in one executemany, not one by one.
    for model, rows in ((Event, events), (StageInterval, intervals), (StageVisit, visits),
                        (Deadline, [_fields(d) for d in deadlines])):
        if rows:
            session.execute(insert(model).execution_options(render_nulls=True), rows)
    session.execute(update(Application), heads)
