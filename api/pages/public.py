"""Public pages, no account needed: home, find your regulator, a regulator's route, the deadline
calculator, the accessibility statement."""

from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from api.deps import RegistryDep
from api.pages.rendering import AnyVisitor
from charts.route import route_in_words, route_map, route_svg, steps_in_words
from fairtrack.columns import utcnow
from fairtrack.errors import InvalidRequest, NotFound
from i18n import msg
from law.calendar import local_date
from law.road import Clock
from law.windows import (
    WINDOWS,
    BodyNeeded,
    Calculation,
    NoKnownPeriod,
    SentBy,
    basis_of,
    calculate,
)
from regulators.files import Sector
from regulators.registry import Registry
from regulators.route import route_of
from regulators.search import MAX_QUERY, search_professions

router = APIRouter(include_in_schema=False)
# Dates the calculator accepts: the law's periods run from a notice actually received.
EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)
# The applicant's windows, by code: the law's for a route, and those a body sets for its own review.
APPLICANT_WINDOWS = {w.code: w for w in WINDOWS if w.party is Clock.applicant}


@router.get("/", response_class=HTMLResponse)
def home(visitor: AnyVisitor) -> Response:
    return visitor.render("pages/home.html")


@router.get("/accessibility", response_class=HTMLResponse)
def accessibility(visitor: AnyVisitor) -> Response:
    t = visitor.t
    return visitor.render("pages/accessibility.html", breadcrumbs=[(t.gettext("Home"), "/")])


@router.get("/regulators/find", response_class=HTMLResponse)
def find_regulator(
    visitor: AnyVisitor, registry: RegistryDep,
    q: Annotated[str, Query(max_length=MAX_QUERY * 2)] = "",
) -> Response:
    """Search professions by name in either language, by an everyday word, or by NOC code."""
    t = visitor.t
    errors: dict[str, str] = {}
    hits = []
    if q.strip():
        try:
            hits = search_professions(registry, q)[:25]
        except InvalidRequest as exc:
            errors["q"] = t.say(exc.message)
    return visitor.render(
        "pages/find.html", q=q, hits=hits, errors=errors, registry=registry, Sector=Sector,
        breadcrumbs=[(t.gettext("Home"), "/")], status=422 if errors else 200,
    )


@router.get("/regulators/{slug}", response_class=HTMLResponse)
def regulator_page(visitor: AnyVisitor, registry: RegistryDep, slug: str) -> Response:
    """Who regulates, who assesses first, the route with its bodies, standards and windows."""
    regulator = registry.regulator(slug[:80])
    if regulator is None:
        raise NotFound(msg("no regulator '{slug}'", slug=slug[:80]))
    t = visitor.t
    route = route_map(regulator, registry)
    states = [state for stop in route.stops for state in stop.states]
    return visitor.render(
        "pages/regulator.html", regulator=regulator, registry=registry, Sector=Sector,
        stops=route_of(regulator, registry), diagram=route_svg(route, t, ident="route"),
        in_words=route_in_words(route, t), steps=steps_in_words(route, t, states),
        breadcrumbs=[(t.gettext("Home"), "/"), (t.gettext("Find your regulator"), "/regulators/find")],
    )


@router.get("/deadlines/calculator", response_class=HTMLResponse)
def deadline_calculator(
    visitor: AnyVisitor, registry: RegistryDep,
    window: Annotated[str, Query(max_length=40)] = "",
    start: Annotated[str, Query(max_length=20)] = "",
    known: Annotated[str, Query(max_length=20)] = "",
    regulator: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    """The last day of a window the applicant has, from the day they know: the day the notice
    reached them, the day it was mailed (deemed receipt), or the day the order was made; a body's
    own window needs the body (law.windows.calculate, as the API's calculator)."""
    t = visitor.t
    errors: dict[str, str] = {}
    result: Calculation | None = None
    unknown_for: str | None = None
    asked = bool(window or start)
    if asked:
        if window not in APPLICANT_WINDOWS:
            errors["window"] = t.gettext("Choose what you want to do")
        body = registry.regulator(regulator[:80]) if regulator else None
        if regulator and body is None:
            errors["regulator"] = t.gettext("Choose your regulator from the list")
        try:
            day = date.fromisoformat(start.strip())
            if not EARLIEST <= day <= LATEST:
                raise ValueError(start)
        except ValueError:
            errors["start"] = t.gettext("Enter the date, for example 2026-03-02")
        if not errors:
            how = KNOWN_DAYS.get(known, KNOWN_DAYS["received"])
            try:
                result = calculate(window, day, body=body.slug if body else None,
                                   sent_by=how.sent_by, received_on=day if how.received else None)
            except BodyNeeded:
                errors["regulator"] = t.gettext(
                    "Choose your regulator: each body sets the time for its own review")
            except NoKnownPeriod:
                unknown_for = t.names(body.name) if body else regulator
    today = local_date(utcnow())
    basis = basis_of(result.basis) if result else None
    return visitor.render(
        "pages/calculator.html", windows=APPLICANT_WINDOWS, window=window, start=start,
        known=known if known in KNOWN_DAYS else "received", result=result, errors=errors,
        today=today, basis=basis.value if basis else None, unknown_for=unknown_for,
        regulator=regulator, regulators=_regulator_choices(visitor, registry),
        days_left=(result.last_day - today).days if result else None,
        breadcrumbs=[(t.gettext("Home"), "/")], status=422 if errors else 200,
    )


@dataclass(frozen=True)
class KnownDay:
    """What the day given is: when the notice reached the applicant, when it was mailed, or when
    the order was made (which a court window runs from, and any other takes as receipt)."""

    received: bool
    sent_by: SentBy | None


KNOWN_DAYS = {
    "received": KnownDay(received=True, sent_by=None),
    "mailed": KnownDay(received=False, sent_by=SentBy.regular_mail),
    "made": KnownDay(received=False, sent_by=None),
}


def _regulator_choices(visitor: AnyVisitor, registry: Registry) -> list[tuple[str, str]]:
    t = visitor.t
    return sorted(((r.slug, f"{t.names(r.name)} ({r.acronym})") for r in registry.regulators.values()),
                  key=lambda choice: choice[1])
