"""The one `transitions` machine built from the road's data, and the walk that it moves."""

from collections.abc import Iterable
from typing import Any, cast

from transitions import EventData, Machine, MachineError

from law.road import DECIDERS, DECISION_TRIGGERS, INITIAL_STATE, STATES, STEPS, TRIGGER_OUTCOMES, Fact, Step


class Walk:
    """One application as the machine sees it: where it stands and the facts of its route."""

    state: str

    def __init__(self, state: str = INITIAL_STATE, facts: Iterable[Fact] = ()) -> None:
        self.state = str(state)
        self.facts: set[Fact] = set(facts)


class _Guard:
    """A step's condition: the outcome asked for and the route facts it needs."""

    def __init__(self, step: Step) -> None:
        self.step = step

    def __call__(self, event: EventData) -> bool:
        walk = cast(Walk, event.model)
        if event.kwargs.get("outcome") != self.step.outcome:
            return False
        return self.step.when <= walk.facts and not (self.step.unless & walk.facts)


def _remember_decider(event: EventData) -> None:
    """Remitted appeals go back to whoever decided: a decision establishes its decider's fact
    (law.road.DECIDERS) and clears the others'."""
    walk = cast(Walk, event.model)
    if event.transition is None:
        return
    walk.facts -= set(DECIDERS.values())
    decider = DECIDERS.get(event.transition.source)
    if decider is not None:
        walk.facts.add(decider)


def _transition(step: Step) -> dict[str, Any]:
    # Plain strings: `transitions` gives Enum states a meaning of their own (enum-valued models).
    spec: dict[str, Any] = {
        "trigger": step.trigger.value,
        "source": [state.value for state in step.source],
        "dest": step.dest.value,
        "conditions": [_Guard(step)],
    }
    if step.trigger in DECISION_TRIGGERS:
        spec["after"] = [_remember_decider]
    return spec


# Built once at import: every application is a model this one machine drives for one call.
MACHINE = Machine(
    model=None,
    states=[s.name.value for s in STATES],
    transitions=[_transition(step) for step in STEPS],
    initial=INITIAL_STATE.value,
    send_event=True,
    auto_transitions=False,
)

TRIGGERS: frozenset[str] = frozenset(step.trigger for step in STEPS)


class StepRefused(Exception):
    """The machine has no step for this trigger (and outcome) from the walk's state and facts."""


def fire(walk: Walk, trigger: str, outcome: str | None = None) -> str:
    """Move the walk one step; return the new state, or raise StepRefused and leave it unchanged.

    The machine's event drives the walk without `add_model`: binding a model's convenience
    methods costs ~270 us, the step itself ~8 us, and replaying millions of events pays it each time.
    """
    event = MACHINE.events.get(trigger)
    if event is None:
        raise StepRefused(trigger)
    try:
        moved = event.trigger(walk, outcome=outcome)
    except MachineError as exc:
        raise StepRefused(trigger) from exc
    if not moved:
        raise StepRefused(trigger)
    return walk.state


def available_steps(state: str, facts: Iterable[Fact]) -> list[Step]:
    """The steps the road allows from this state for a route with these facts."""
    known = set(facts)
    return [
        step
        for step in STEPS
        if state in step.source and step.when <= known and not (step.unless & known)
    ]


def allowed_triggers(state: str, facts: Iterable[Fact]) -> dict[str, list[str]]:
    """Trigger -> the outcomes it may carry now (empty for triggers that take none)."""
    allowed: dict[str, list[str]] = {}
    for step in available_steps(state, facts):
        outcomes = allowed.setdefault(step.trigger, [])
        if step.outcome is not None and step.outcome not in outcomes:
            outcomes.append(step.outcome)
    for trigger, outcomes in allowed.items():
        order = TRIGGER_OUTCOMES.get(trigger, ())
        outcomes.sort(key=order.index)
    return allowed
