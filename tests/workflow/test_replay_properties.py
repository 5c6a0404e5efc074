"""Random valid walks along the road, stored then replayed: the log always gives back the stored state.

The first tests are pure (the machine alone); the others persist each walk through the domain
function or the HTTP API on both databases and re-walk the stored log with workflow.verify.
"""

import random
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import product
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import SYSTEM, Actor
from accounts.models import User
from casefile.applications import apply_event, create_application
from cli.walks import earliest, step_details
from cli.walks import offered as deadlines_allow
from deadlines.models import Deadline
from deadlines.service import deadlines_of
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from fairtrack.errors import DomainError
from law.calendar import TORONTO, local_date
from law.road import (
    BOARD_ORDER,
    CLOSED_STATES,
    EXTENSIONS,
    INITIAL_STATE,
    REQUIREMENT_CODES,
    STATE_INFO,
    STEPS,
    TRIGGER_OUTCOMES,
    TRIGGER_ROLES,
    Fact,
    Role,
    Step,
)
from regulators.registry import DIVISIONAL_COURT, Registry
from tests.support.road import Person, Road, password_hash
from workflow.machine import (
    TRIGGERS,
    StepRefused,
    Walk,
    allowed_triggers,
    available_steps,
    fire,
)
from workflow.models import Application, Event, StageInterval
from workflow.policy import holder
from workflow.schemas import ApplicationCreate, EventRequest
from workflow.service import parse_reference
from workflow.verify import check_stored

ROUTES = [
    frozenset(f for f, on in ((Fact.health, health), (Fact.third_party_assessment, tpa)) if on)
    for health, tpa in product((False, True), repeat=2)
]
REGULATORS = ("cno", "cpso", "peo", "oct")  # health with NNAS / MCC; non-health assessing itself
PERSISTED = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


# --- the machine alone ------------------------------------------------------------------------


def reachable(route: frozenset[Fact]) -> dict[tuple[str, frozenset[Fact]], list[Step]]:
    """Every (state, facts) a route can reach from draft, with the steps the road offers there."""
    start = (INITIAL_STATE, route)
    seen: dict[tuple[str, frozenset[Fact]], list[Step]] = {}
    queue = deque([start])
    while queue:
        state, facts = queue.popleft()
        if (state, facts) in seen:
            continue
        offered = [
            s for s in STEPS
            if state in s.source and s.when <= facts and not (s.unless & facts)
        ]
        seen[(state, facts)] = offered
        for step in offered:
            walk = Walk(state, facts)
            fire(walk, step.trigger, step.outcome)
            queue.append((walk.state, frozenset(walk.facts)))
    return seen


def test_every_step_of_the_road_is_taken_by_some_route_and_lands_where_it_says() -> None:
    taken: set[Step] = set()
    for route in ROUTES:
        for (state, facts), offered in reachable(route).items():
            for step in offered:
                walk = Walk(state, facts)
                assert fire(walk, step.trigger, step.outcome) == step.dest, step
                taken.add(step)
    assert taken == set(STEPS), [s for s in STEPS if s not in taken]


def test_the_machine_accepts_exactly_what_the_road_offers_everywhere_it_can_reach() -> None:
    """For every reachable point and every trigger/outcome pair: offered <=> the machine moves."""
    for route in ROUTES:
        for (state, facts), _offered in reachable(route).items():
            allowed = allowed_triggers(state, facts)
            if state in CLOSED_STATES:
                # A closed file stays closed, but for an order extending a lapsed time (issue 9).
                assert set(allowed) <= EXTENSIONS, state
            for trigger in sorted(TRIGGERS) + ["no_such_trigger"]:
                for outcome in (None, *TRIGGER_OUTCOMES.get(trigger, ())):
                    expected = trigger in allowed and (
                        outcome in allowed[trigger] if allowed[trigger] else outcome is None
                    )
                    walk = Walk(state, facts)
                    try:
                        fire(walk, trigger, outcome)
                        moved = True
                    except StepRefused:
                        moved = False
                        assert (walk.state, walk.facts) == (state, set(facts))
                    assert moved == expected, (state, facts, trigger, outcome)


@st.composite
def walks(draw: st.DrawFn) -> tuple[frozenset[Fact], list[tuple[str, str | None, str]]]:
    """A route and a random walk along it: (trigger, outcome, state reached) for each step."""
    route = draw(st.sampled_from(ROUTES))
    walk = Walk(INITIAL_STATE, route)
    taken: list[tuple[str, str | None, str]] = []
    for _ in range(draw(st.integers(0, 40))):
        allowed = allowed_triggers(walk.state, walk.facts)
        if not allowed:
            break
        trigger = draw(st.sampled_from(sorted(allowed, key=lambda t: (t == "withdraw", t))))
        outcome = draw(st.sampled_from(allowed[trigger])) if allowed[trigger] else None
        taken.append((trigger, outcome, fire(walk, trigger, outcome)))
    return route, taken


@given(walks())
def test_replaying_any_walk_gives_the_same_states_and_facts(
    walk: tuple[frozenset[Fact], list[tuple[str, str | None, str]]],
) -> None:
    route, taken = walk
    first, again = Walk(INITIAL_STATE, route), Walk(INITIAL_STATE, route)
    for trigger, outcome, state in taken:
        assert fire(first, trigger, outcome) == state
    for trigger, outcome, state in taken:
        assert fire(again, trigger, outcome) == state
    assert (again.state, again.facts) == (first.state, first.facts)
    assert Fact.decided_by_committee not in route
    assert first.facts - {Fact.decided_by_committee} == set(route)


# --- walks persisted through the domain function --------------------------------------------


@dataclass
class Cast:
    """One applicant and a staff person for every organization the four regulators' roads meet."""

    applicant: Actor
    staff: dict[tuple[Role, str], Actor] = field(default_factory=dict)

    def acting(self, role: Role, application: Application, registry: Registry) -> Actor | None:
        """Who fires a trigger for `role` where the application now stands (None: nobody can)."""
        if role is Role.applicant:
            return self.applicant
        if role is Role.system:
            return SYSTEM
        org = holder(application, role, registry)
        return self.staff.get((role, org)) if org else None


@pytest.fixture
def cast(sessions: sessionmaker[Session], registry: Registry) -> Cast:
    wanted: list[tuple[Role, str | None]] = [(Role.applicant, None), (Role.tribunal, DIVISIONAL_COURT)]
    for slug in REGULATORS:
        regulator = registry.regulator(slug)
        assert regulator is not None
        wanted.append((Role.regulator, slug))
        wanted.append((Role.tribunal, regulator.appeal_body.slug))
        wanted += [(Role.assessor, assessor) for assessor in regulator.assessors]
    actors: dict[tuple[Role, str | None], Actor] = {}
    with transaction(sessions) as session:
        for n, (role, org) in enumerate(dict.fromkeys(wanted)):
            user = User(email=f"walker{n}@example.test", password_hash=password_hash(),
                        role=role.value, organization=org)
            session.add(user)
            session.flush()
            actors[(role, org)] = Actor(user.id, role, org)
    applicant = actors.pop((Role.applicant, None))
    return Cast(applicant, {(role, org or ""): actor for (role, org), actor in actors.items()})


def request_for(
    trigger: str, outcome: str | None, version: int, occurred_at: datetime | None,
    state: str, facts: set[Fact], open_rows: Sequence[Deadline], regulator: str,
    requirements: list[str],
) -> EventRequest:
    """A request with everything the law asks of the step (cli.demo.step_details, as the demo
    builds it), recorded now: back-dated steps carry their reason."""
    day = local_date(occurred_at or utcnow())
    fields = step_details(trigger, outcome, state, facts, day, random.Random(version), open_rows,
                          regulator)
    if outcome == "requirements" and trigger == "issue_decision":
        fields["requirements"] = requirements
        if "canadian_experience" in requirements:
            fields["alternatives_accepted"] = False
    return EventRequest(trigger=trigger, expected_version=version, occurred_at=occurred_at,
                        outcome=outcome, backdated_because="a walk through past dates", **fields)


def carries_out(step: Step, state: str, ordered: str | None) -> bool:
    """Where HPARB required an order of the committee, the committee makes that one."""
    return not (state == BOARD_ORDER and step.trigger == "issue_decision"
                and step.outcome != ordered)


def open_deadlines(sessions: sessionmaker[Session], ref: str) -> list[Deadline]:
    with sessions() as session:
        return [d for d in deadlines_of(session, parse_reference(ref)) if d.status == "open"]


def stored(sessions: sessionmaker[Session], ref: str) -> tuple[Application, list[Event],
                                                                list[StageInterval]]:
    app_id = parse_reference(ref)
    with sessions() as session:
        application = session.get(Application, app_id)
        assert application is not None
        events = list(session.scalars(
            select(Event).where(Event.application_id == app_id).order_by(Event.seq)  # type: ignore[arg-type]
        ))
        intervals = list(session.scalars(
            select(StageInterval).where(StageInterval.application_id == app_id)
            .order_by(StageInterval.seq)  # type: ignore[arg-type]
        ))
        return application, events, intervals


def assert_replay_agrees(sessions: sessionmaker[Session], ref: str, expected: Walk) -> None:
    application, events, intervals = stored(sessions, ref)
    with sessions() as session:
        assert check_stored(session, application) == []
    replay = Walk(INITIAL_STATE, application.opening_facts())
    for event in events[1:]:
        fire(replay, event.trigger, event.outcome)
    assert replay.state == application.state == expected.state
    assert replay.facts == expected.facts == application.facts()
    assert application.version == len(events) == len(intervals)
    assert [i.exited_at is None for i in intervals].count(True) == 1


def choose(
    data: st.DataObject, walk: Walk, may: Callable[[Step], bool] = lambda _: True
) -> tuple[str, str | None] | None:
    """A step the road offers now and `may` allows (None once closed or nothing is allowed)."""
    steps = [s for s in available_steps(walk.state, walk.facts) if may(s)]
    if not steps:
        return None
    # Withdrawing is open everywhere and most decisions close the file: take a closing step one
    # time in four when another is offered, so that walks get far along the road.
    onward = [s for s in steps if s.dest not in CLOSED_STATES]
    if onward and len(onward) < len(steps) and data.draw(st.integers(0, 3), label="close?"):
        steps = onward
    step = data.draw(st.sampled_from(steps))
    return step.trigger, step.outcome


@PERSISTED
@given(data=st.data())
def test_walks_stored_through_the_domain_function_replay_to_the_stored_state(
    sessions: sessionmaker[Session], registry: Registry, cast: Cast, data: st.DataObject
) -> None:
    slug = data.draw(st.sampled_from(REGULATORS), label="regulator")
    regulator = registry.regulator(slug)
    assert regulator is not None
    opened = utcnow() - timedelta(days=3000)
    with transaction(sessions) as session:
        application = create_application(
            session, cast.applicant, registry,
            ApplicationCreate(regulator=slug, licence_class=regulator.professions[0]
                              .licence_classes[0].code),
            now=opened,
        )
        ref = application.reference
    model = Walk(INITIAL_STATE, application.facts())
    moment = opened
    ordered: list[str | None] = [None]  # what HPARB last required of the committee
    for _ in range(data.draw(st.integers(0, 25), label="steps")):
        rows = open_deadlines(sessions, ref)
        # Steps the deadlines allow (with time let pass for a lapse or an abandonment), and the
        # committee's order as HPARB required it.
        chosen = choose(data, model, lambda s, rows=rows: deadlines_allow(
            s.trigger, model.state, rows, slug) and carries_out(s, model.state, ordered[0]))
        if chosen is None:
            break
        trigger, outcome = chosen
        actor = cast.acting(TRIGGER_ROLES[trigger], application, registry)
        assert actor is not None, (trigger, application.state)
        if data.draw(st.booleans(), label="try something the road refuses first"):
            attempt_a_refused_step(sessions, registry, cast, application, data)
        moment += timedelta(minutes=data.draw(st.integers(0, 90 * 24 * 60), label="minutes"))
        first_day = earliest(trigger, rows)
        if first_day is not None and local_date(moment) < first_day:
            moment = datetime.combine(first_day, time(12), tzinfo=TORONTO)
        requirements = data.draw(
            st.lists(st.sampled_from(REQUIREMENT_CODES), min_size=1, max_size=3, unique=True)
        )
        request = request_for(trigger, outcome, application.version, moment, model.state,
                              model.facts, rows, slug, requirements)
        with transaction(sessions) as session:
            application, recorded = apply_event(session, actor, registry, ref, request)
        fire(model, trigger, outcome)
        if trigger == "decide_appeal":
            ordered[0] = outcome
        assert (recorded.to_state, application.state) == (model.state, model.state)
    hypothesis.event(f"{slug} walk ends in {STATE_INFO[model.state].stage.value}")
    assert_replay_agrees(sessions, ref, model)


def attempt_a_refused_step(
    sessions: sessionmaker[Session], registry: Registry, cast: Cast, application: Application,
    data: st.DataObject,
) -> None:
    """A trigger the road does not offer now, by the role it belongs to: refused, nothing changes."""
    allowed = allowed_triggers(application.state, application.facts())
    trigger = data.draw(st.sampled_from(sorted(TRIGGERS - set(allowed))), label="refused trigger")
    actor = cast.acting(TRIGGER_ROLES[trigger], application, registry)
    if actor is None:
        return
    outcomes = TRIGGER_OUTCOMES.get(trigger, ())
    outcome = data.draw(st.sampled_from(outcomes)) if outcomes else None
    before = stored(sessions, application.reference)
    request = request_for(trigger, outcome, application.version, None, application.state,
                          application.facts(), [], application.regulator, ["examination"])
    with pytest.raises(DomainError) as refusal, transaction(sessions) as session:
        apply_event(session, actor, registry, application.reference, request)
    assert refusal.value.status_code in (404, 409), refusal.value.body()
    after = stored(sessions, application.reference)
    assert (after[0].version, after[0].state, len(after[1]), len(after[2])) == (
        before[0].version, before[0].state, len(before[1]), len(before[2])
    )


# --- walks over HTTP, by people holding tokens ------------------------------------------------


@pytest.fixture
def staff(road: Road) -> dict[tuple[Role, str], Person]:
    """Staff with tokens for the CNO (health, NNAS, HPARB) and PEO (non-health) roads."""
    return {
        (Role.regulator, "cno"): road.regulator("cno"),
        (Role.regulator, "peo"): road.regulator("peo"),
        (Role.assessor, "nnas"): road.assessor("nnas"),
        (Role.tribunal, "hparb"): road.tribunal("hparb"),
        (Role.tribunal, "peo-registration-committee"): road.tribunal("peo-registration-committee"),
        (Role.tribunal, DIVISIONAL_COURT): road.tribunal(DIVISIONAL_COURT),
    }


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_walks_over_the_api_offer_each_person_their_steps_and_replay_to_the_stored_state(
    road: Road, staff: dict[tuple[Role, str], Person], data: st.DataObject
) -> None:
    applicant = road.applicant()
    slug, licence = data.draw(st.sampled_from([("cno", "rn"), ("peo", "p-eng")]))
    ref = applicant.open(slug, licence)
    model = Walk(INITIAL_STATE, {Fact.health, Fact.third_party_assessment} if slug == "cno"
                 else set())
    # No time passes over HTTP: the steps that need a deadline to have passed, or a window to
    # extend, are walked by the domain test above; the scan's lapse is no API caller's.
    timeless = {t for t in TRIGGERS if t not in EXTENSIONS | {"lapse", "abandon"}}
    ordered: list[str | None] = [None]
    for _ in range(data.draw(st.integers(0, 15), label="steps")):
        chosen = choose(data, model, lambda s: s.trigger in timeless
                        and carries_out(s, model.state, ordered[0]))
        if chosen is None:
            break
        trigger, outcome = chosen
        role = TRIGGER_ROLES[trigger]
        with road.sessions() as session:
            application = session.get(Application, parse_reference(ref))
            assert application is not None
            org = holder(application, role, road.registry)
        person = applicant if role is Role.applicant else staff[(role, org or "")]
        offered = person.get(f"/applications/{ref}").json()["allowed_triggers"]
        outcomes = allowed_triggers(model.state, model.facts)[trigger]
        assert {"trigger": trigger, "outcomes": outcomes} in offered
        fields: dict[str, Any] = {"outcome": outcome} if outcome else {}
        fields |= step_details(trigger, outcome, model.state, model.facts,
                               local_date(utcnow()), random.Random(1), [], slug)
        if outcome == "requirements":
            fields["requirements"] = ["language_test"]
        fields = {k: v.isoformat() if isinstance(v, date) else v for k, v in fields.items()}
        assert person.step(ref, trigger, **fields)["state"] == fire(model, trigger, outcome)
        if trigger == "decide_appeal":
            ordered[0] = outcome
    assert_replay_agrees(road.sessions, ref, model)
