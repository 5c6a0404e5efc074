"""docs/law.md lists every rule FairTrack applies, its source and whether it is confirmed or to
verify; it is generated from the data (issue 9, "done when"), so it cannot drift."""

from pathlib import Path

from cli.law import rules_page
from law.catalogue import TOPICS, catalogue
from law.fairness import FLAG_LAWS
from law.road import NEEDS, ROUTE_RULES
from law.sources import SOURCES
from law.windows import WINDOWS
from regulators.registry import Registry

PAGE = Path(__file__).resolve().parents[2] / "docs" / "law.md"


def test_the_law_page_is_what_the_command_generates(registry: Registry) -> None:
    assert PAGE.read_text(encoding="utf-8") == rules_page(registry), (
        "docs/law.md is out of date: run `fairtrack law rules > docs/law.md`"
    )


def test_every_rule_names_a_listed_source_and_a_status() -> None:
    keys = {s.key for s in SOURCES}
    rules = catalogue()
    assert {r.topic for r in rules} == set(TOPICS)
    for rule in rules:
        assert rule.source in keys, rule
        assert rule.status.startswith(("confirmed", "to verify", "project")), rule


def test_every_window_need_flag_and_road_rule_is_on_the_page(registry: Registry) -> None:
    page = rules_page(registry)
    for window in WINDOWS:
        assert f"`{window.code}`" in page and (window.to_verify or "") in page
    for need in NEEDS:
        assert need.rule in page
    for flag in FLAG_LAWS:
        assert flag.rule.replace("|", "/") in page
    for road_rule in ROUTE_RULES:
        assert road_rule.rule in page
    assert "40 confirmed + 2 to verify, never 42 as fact" in page
