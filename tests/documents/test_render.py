"""Rendering in a long-lived process (the server, an import of thousands of decisions): the same
letter gives the same bytes, memory stays flat, and the cycle collector is left as it was found."""

import gc
from datetime import UTC, datetime
from pathlib import Path

import pytest

import documents.render as render
from documents.letters import Decision, decision_letter
from law.road import Fact
from regulators.registry import Registry

LETTERS = 40


def _decision(number: int) -> Decision:
    return Decision(
        reference=f"FT-2026-{number:06d}", regulator="cno", licence_class="rn", seq=8,
        trigger="issue_decision", outcome="refused", to_state="refused_appealable",
        facts=frozenset({Fact.health, Fact.decided_by_committee}),
        occurred_at=datetime(2026, 3, 6, 17, tzinfo=UTC), decided_by="cno",
        payload={"reasons": "Hours not shown.", "sent_on": "2026-03-06", "sent_by": "regular_mail"},
    )


def _resident_mib() -> float:
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096 / 2**20


def test_many_letters_in_one_process_keep_its_memory_flat(registry: Registry) -> None:
    """WeasyPrint loaded a new font configuration per document unless given one: about 0.2 MB per
    letter was never given back (40 letters: 9-12 MB before the fix, under 1 MB after)."""
    first = decision_letter(_decision(0), registry, "en")
    for number in range(1, 6):  # warm: every glyph and layout cache the letter needs is filled
        decision_letter(_decision(number), registry, "fr" if number % 2 else "en")
    before = _resident_mib()
    for number in range(LETTERS):
        decision_letter(_decision(100 + number), registry, "fr" if number % 2 else "en")
    grown = _resident_mib() - before
    assert grown < 4, f"{LETTERS} letters grew the process by {grown:.1f} MiB"
    assert decision_letter(_decision(0), registry, "en") == first


def test_the_cycle_collector_is_left_as_it_was_even_when_rendering_fails(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    decision_letter(_decision(1), registry, "en")
    assert gc.isenabled()
    gc.disable()
    try:
        decision_letter(_decision(1), registry, "en")
        assert not gc.isenabled(), "a collector switched off by someone else stays off"
    finally:
        gc.enable()

    def broken() -> None:
        raise RuntimeError("the style sheet is gone")

    monkeypatch.setattr(render, "stylesheet", broken)
    with pytest.raises(RuntimeError):
        decision_letter(_decision(1), registry, "en")
    assert gc.isenabled()
