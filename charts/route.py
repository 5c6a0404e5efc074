"""The route diagram: the stages an application to one regulator can pass through, drawn from the
road (law/road.py) as accessible SVG, with the same content in words, the current stage marked.

Read from the one road definition: the states reachable on this route (its facts: a health college
or not, a third-party assessment or not), grouped by stage in the road's order, each stage with the
body that holds the file there. A new state or step in law/road.py appears here with nothing else
to change. Pure Python: no Graphviz binary to install. One column, so that it reads at 320 px.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup, escape

from i18n import Language, Translator, translator
from law.road import DECIDERS, INITIAL_STATE, STATE_INFO, STEPS, TRIGGER_ROLES, Fact, Stage, Step
from regulators.files import Names, Regulator
from regulators.registry import Registry
from regulators.route import route_facts, stage_bodies

WIDTH = 320
MARGIN = 8
PAD = 12
LINE = 20
GAP = 28
FONT = 15
# Open Sans at 15 px: about 8 px a character on average; lines are wrapped to fit the box.
CHARS_PER_LINE = (WIDTH - 2 * MARGIN - 2 * PAD) // 8
INK, MUTED, FRAME, HERE_FILL, WHITE = "#1a1a1a", "#4d4d4d", "#666666", "#e2f0f9", "#ffffff"


@dataclass(frozen=True)
class StageStop:
    stage: Stage
    bodies: tuple[Names, ...]
    states: tuple[str, ...]


@dataclass(frozen=True)
class RouteMap:
    """One route as data: its stages in order, and every step possible on it."""

    stops: tuple[StageStop, ...]
    steps: tuple[Step, ...]

    def stop_of(self, state: str) -> StageStop | None:
        return next((stop for stop in self.stops if state in stop.states), None)


def _possible(step: Step, facts: frozenset[Fact], dynamic: frozenset[Fact]) -> bool:
    """Whether a step can happen on a route with these facts, some of which its history may
    establish or not (the decider of an appealed decision)."""
    return step.when - dynamic <= facts and not (step.unless - dynamic) & facts


def route_map(regulator: Regulator, registry: Registry, assessor: str | None = None) -> RouteMap:
    facts = frozenset(route_facts(regulator))
    dynamic = frozenset(DECIDERS.values())
    steps = tuple(step for step in STEPS if _possible(step, facts, dynamic))
    reached, frontier = {INITIAL_STATE.value}, [INITIAL_STATE.value]
    while frontier:
        state = frontier.pop()
        for step in steps:
            if state in step.source and step.dest.value not in reached:
                reached.add(step.dest.value)
                frontier.append(step.dest.value)
    bodies = stage_bodies(regulator, registry, assessor)
    order = [state for state in STATE_INFO if state in reached]
    stops = tuple(
        StageStop(stage, bodies.get(stage, ()), tuple(s for s in order if STATE_INFO[s].stage is stage))
        for stage in Stage
        if any(STATE_INFO[s].stage is stage for s in order)
    )
    return RouteMap(stops, tuple(step for step in steps if set(step.source) & reached))


def _wrap(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def body_names(stop: StageStop, t: Translator) -> str:
    return " / ".join(t.names(body) for body in stop.bodies)


@dataclass(frozen=True)
class _Line:
    text: str
    bold: bool = False
    colour: str = INK


def _box_lines(stop: StageStop, t: Translator, current: str | None) -> list[_Line]:
    lines = [_Line(line, bold=True) for line in _wrap(t.label("stage", stop.stage.value))]
    names = body_names(stop, t)
    lines += [_Line(line, colour=MUTED) for line in _wrap(names)] if names else []
    for state in stop.states:
        here = state == current
        text = ("▶ " if here else "• ") + t.label("state", state)
        if here:
            text += " " + t.gettext("(you are here)")
        lines += [_Line(line, bold=here) for line in _wrap(text)]
    return lines


@lru_cache(maxsize=2048)
def _svg(route: RouteMap, lang: Language, current: str | None, ident: str) -> str:
    t = translator(lang)
    current_stop = route.stop_of(current) if current else None
    parts: list[str] = []
    y = MARGIN
    for index, stop in enumerate(route.stops):
        here = stop is current_stop
        lines = _box_lines(stop, t, current if here else None)
        badge = 26 if here else 0
        height = 2 * PAD + badge + LINE * len(lines)
        parts.append(
            f'<rect x="{MARGIN}" y="{y}" width="{WIDTH - 2 * MARGIN}" height="{height}" rx="4" '
            f'fill="{HERE_FILL if here else WHITE}" stroke="{INK if here else FRAME}" '
            f'stroke-width="{4 if here else 1.5}"/>'
        )
        text_y = y + PAD
        if here:
            label = escape(t.gettext("You are here"))
            parts.append(f'<rect x="{MARGIN + PAD}" y="{text_y}" width="{len(label) * 8 + 16}" '
                         f'height="22" rx="3" fill="{INK}"/>')
            parts.append(f'<text x="{MARGIN + PAD + 8}" y="{text_y + 16}" fill="{WHITE}" '
                         f'font-weight="700">{label}</text>')
            text_y += badge
        for line in lines:
            text_y += LINE
            weight = ' font-weight="700"' if line.bold else ""
            parts.append(f'<text x="{MARGIN + PAD}" y="{text_y - 5}" fill="{line.colour}"{weight}>'
                         f"{escape(line.text)}</text>")
        y += height
        if index < len(route.stops) - 1:
            middle = WIDTH // 2
            parts.append(f'<line x1="{middle}" y1="{y}" x2="{middle}" y2="{y + GAP - 8}" '
                         f'stroke="{INK}" stroke-width="2"/>')
            parts.append(f'<polygon points="{middle - 6},{y + GAP - 10} {middle + 6},{y + GAP - 10} '
                         f'{middle},{y + GAP}" fill="{INK}"/>')
            y += GAP
    height = y + MARGIN
    title = t.gettext("The route of an application, stage by stage")
    if current_stop is not None:
        title = t.gettext("The route of your application, stage by stage; you are at: {stage}",
                          stage=t.label("stage", current_stop.stage.value))
    description = t.gettext("The same route is written out in the list that follows.")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="ft-route-diagram" role="img" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'aria-labelledby="{ident}-title {ident}-desc" font-family="Open Sans, Helvetica, Arial, '
        f'sans-serif" font-size="{FONT}">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(description)}</desc>'
        + "".join(parts)
        + "</svg>"
    )


def route_svg(route: RouteMap, t: Translator, current: str | None = None,
              ident: str = "route") -> Markup:
    """The diagram, cached per route, language and current state (so per stage)."""
    return Markup(_svg(route, t.lang, current, ident))  # noqa: S704 - built from escaped parts


@dataclass(frozen=True)
class StopInWords:
    stage: str
    holder: str
    states: list[str]
    current: bool
    current_state: str | None


def route_in_words(route: RouteMap, t: Translator, current: str | None = None) -> list[StopInWords]:
    """The diagram's text alternative, from the same data: one entry per stage, in order."""
    return [
        StopInWords(
            stage=t.label("stage", stop.stage.value),
            holder=body_names(stop, t),
            states=[t.label("state", state) for state in stop.states],
            current=current in stop.states,
            current_state=t.label("state", current) if current in stop.states and current else None,
        )
        for stop in route.stops
    ]


@dataclass(frozen=True)
class StepInWords:
    trigger: str
    actor: str
    to: str


def steps_in_words(route: RouteMap, t: Translator, states: Iterable[str]) -> dict[str, list[StepInWords]]:
    """Every step on this route from each state: who takes it and where it leads."""
    found: dict[str, list[StepInWords]] = {}
    for state in states:
        seen: set[tuple[str, str]] = set()
        for step in route.steps:
            key = (step.trigger.value, step.dest.value)
            if state in step.source and key not in seen:
                seen.add(key)
                found.setdefault(state, []).append(StepInWords(
                    trigger=t.label("trigger", step.trigger.value)
                    + (f" ({t.label('outcome', step.outcome.value)})" if step.outcome else ""),
                    actor=t.label("role", TRIGGER_ROLES[step.trigger].value),
                    to=t.label("state", step.dest.value),
                ))
    return found
