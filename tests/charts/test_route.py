"""The route diagram is drawn from the road itself: every state a route can reach, stage by stage
with who holds the file, the current one marked in words as well as by its frame, a text alternative
from the same data, and a new step of the road on the diagram with nothing else to change."""

import xml.etree.ElementTree as ET
from dataclasses import replace
from enum import StrEnum

import pytest

from charts import route as charts
from charts.route import route_in_words, route_map, route_svg, steps_in_words
from i18n import translator
from law.road import STATE_INFO, STEPS, Stage, State, Step, Trigger
from regulators.registry import Registry

SVG = "{http://www.w3.org/2000/svg}"


class Extra(StrEnum):
    committee_hearing_scheduled = "committee_hearing_scheduled"


def _texts(svg: str) -> list[str]:
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG, drawn by the code under test
    return [node.text or "" for node in root.iter(f"{SVG}text")]


def test_a_health_college_with_an_assessor_shows_every_stage_in_the_roads_order(
    registry: Registry,
) -> None:
    cno = route_map(registry.regulators["cno"], registry)
    assert [stop.stage for stop in cno.stops] == list(Stage)
    reached = {state for stop in cno.stops for state in stop.states}
    assert reached == set(STATE_INFO)  # the health route with an assessment reaches every state
    en = translator("en")
    words = route_in_words(cno, en)
    assert [w.holder for w in words][1:3] == ["National Nursing Assessment Service",
                                              "College of Nurses of Ontario"]
    assert words[5].holder == "Health Professions Appeal and Review Board"


def test_a_regulator_that_assesses_credentials_itself_has_no_assessment_stage(
    registry: Registry,
) -> None:
    peo = route_map(registry.regulators["peo"], registry)
    assert Stage.assessment not in [stop.stage for stop in peo.stops]
    states = {state for stop in peo.stops for state in stop.states}
    assert State.assessment_requested not in states and State.under_review in states


def test_the_current_state_is_marked_in_the_picture_and_in_the_words(registry: Registry) -> None:
    cno = route_map(registry.regulators["cno"], registry)
    fr = translator("fr")
    svg = str(route_svg(cno, fr, "appeal_filed", ident="r1"))
    root = ET.fromstring(svg)  # noqa: S314 - our own SVG, drawn by the code under test
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "r1-title r1-desc"
    assert "Appel ou révision" in root.find(f"{SVG}title").text  # type: ignore[union-attr]
    texts = _texts(svg)
    assert "Vous êtes ici" in texts
    assert any(t.startswith("▶ Appel déposé") for t in texts)
    # Not by colour alone: the current stage's frame is thicker, and it says so in words.
    frames = [rect.get("stroke-width") for rect in root.iter(f"{SVG}rect") if rect.get("stroke")]
    assert frames.count("4") == 1
    [current] = [w for w in route_in_words(cno, fr, "appeal_filed") if w.current]
    assert current.stage == "Appel ou révision" and current.current_state == "Appel déposé"


def test_the_diagram_is_drawn_once_per_route_language_and_state(registry: Registry) -> None:
    cno = route_map(registry.regulators["cno"], registry)
    en = translator("en")
    charts._svg.cache_clear()
    first = route_svg(cno, en, "submitted")
    route_svg(route_map(registry.regulators["cno"], registry), en, "submitted")
    assert charts._svg.cache_info().hits == 1 and charts._svg.cache_info().misses == 1
    assert str(route_svg(cno, en, "under_review")) != str(first)


def test_a_new_step_of_the_road_appears_with_nothing_else_changed(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A road with a new state (issue 9 adds some): the diagram and its words show it at once,
    named by its code until the catalogs translate it."""
    new_state = Extra.committee_hearing_scheduled
    infos = {**STATE_INFO, new_state: replace(STATE_INFO[State.committee_review], name=new_state)}
    steps = (*STEPS, Step(Trigger.open_hearing, (State.committee_review,), new_state))  # type: ignore[arg-type]
    monkeypatch.setattr(charts, "STATE_INFO", infos)
    monkeypatch.setattr(charts, "STEPS", steps)
    cno = route_map(registry.regulators["cno"], registry)
    [committee] = [stop for stop in cno.stops if stop.stage is Stage.internal_committee]
    assert committee.states[-1] == new_state
    en = translator("en")
    assert "• Committee hearing scheduled" in _texts(str(route_svg(cno, en, None, ident="new")))
    assert any(s.to == "Committee hearing scheduled"
               for s in steps_in_words(cno, en, [State.committee_review])[State.committee_review])
