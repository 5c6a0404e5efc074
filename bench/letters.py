"""What a decision letter adds to the write path: the time to render one
(documents.letters.decision_letter, which casefile runs inside the decision's unit of work, while
the application's row lock is held), in English and French in interleaved rounds, after the first
letter of the process (which loads WeasyPrint, Pango and the fonts). No database: the rendering
alone; the rest of recording a decision is measured by bench/transitions.py.

    .venv/bin/python bench/letters.py [--rounds 15]
"""

import argparse
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from documents.letters import Decision, decision_letter
from law.road import Fact
from regulators.registry import get_registry


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    registry = get_registry()
    decision = Decision(
        reference="FT-2026-000001", regulator="cno", licence_class="rn", seq=8,
        trigger="issue_decision", outcome="refused", to_state="refused_appealable",
        facts=frozenset({Fact.health, Fact.decided_by_committee}),
        occurred_at=datetime(2026, 3, 6, 17, tzinfo=UTC), decided_by="cno",
        payload={"reasons": "Hours not shown.", "sent_on": "2026-03-06", "sent_by": "regular_mail"},
    )
    began = time.perf_counter()
    first = decision_letter(decision, registry, "en")
    print(f"first letter in a process (WeasyPrint and fonts loaded): {time.perf_counter() - began:.2f} s")
    times = {"en": [], "fr": []}  # type: dict[str, list[float]]
    for _ in range(args.rounds):
        for lang in ("en", "fr"):
            began = time.perf_counter()
            pdf = decision_letter(decision, registry, lang)  # type: ignore[arg-type]
            times[lang].append(time.perf_counter() - began)
            if lang == "en":
                assert pdf == first  # the same decision, the same bytes
    for lang, values in times.items():
        print(f"letter ({lang}): median {statistics.median(values) * 1000:.0f} ms, "
              f"{min(values) * 1000:.0f}..{max(values) * 1000:.0f} ms over {args.rounds} rounds; "
              f"the English letter {len(first)} bytes")


if __name__ == "__main__":
    main()
