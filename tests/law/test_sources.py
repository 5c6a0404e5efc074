"""Every citation resolves inside the repository: docs/sources.md lists each source that code, data,
templates and docs name, and the page is exactly what `fairtrack law sources` generates."""

import re
from pathlib import Path

from cli.law import sources_page, statute_names
from law.sources import SOURCES, known_names
from regulators.registry import Registry

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "sources.md"
SCANNED = ("*.py", "*.toml", "*.md", "*.html", "*.txt")
SKIPPED_DIRS = {".venv", ".git", "node_modules", "vendor", "static", "build", ".mypy_cache",
                ".ruff_cache", ".pytest_cache", "screenshots"}
# What looks like a citation of a source: a capitalised name ending in Act or Code (with its year),
# a regulation, an RFC, the Rules, or an acronym of a statute.
CITATION = re.compile(
    r"\b(?:[A-Z][A-Za-z'-]+ )+(?:Act|Code)\b(?:, \d{4})?"
    r"|\bO\. Reg\. \d+/\d+"
    r"|\bRFC \d+"
    r"|\bRules of [A-Z][a-z]+ [A-Z][a-z]+"
    r"|\b(?:FARPACTA|FARPA|RHPA|SPPA|IRPA)\b"
)
# Words in front of "Act" or "Code" that make an ordinary phrase, not a name.
ORDINARY = re.compile(r"^(?:The|This|That|An|A|Each|Every|Its|Their) (?:Act|Code)$")


def _files() -> list[Path]:
    found = []
    for pattern in SCANNED:
        for path in ROOT.rglob(pattern):
            if SKIPPED_DIRS & set(path.relative_to(ROOT).parts) or path == PAGE:
                continue
            found.append(path)
    return sorted(found)


def _names(registry: Registry) -> list[str]:
    names = known_names()
    for regulator in registry.regulators.values():
        names.update(statute_names(regulator.statute))
    return sorted(names, key=len, reverse=True)


def test_the_sources_page_is_what_the_command_generates(registry: Registry) -> None:
    assert PAGE.read_text(encoding="utf-8") == sources_page(registry), (
        "docs/sources.md is out of date: run `fairtrack law sources > docs/sources.md`"
    )


def test_every_citation_in_the_repository_names_a_listed_source(registry: Registry) -> None:
    names = _names(registry)
    unknown: list[str] = []
    for path in _files():
        text = path.read_text(encoding="utf-8", errors="replace")
        covered = [(m.start(), m.end()) for name in names for m in re.finditer(re.escape(name), text)]
        for match in CITATION.finditer(text):
            if ORDINARY.match(match.group(0)):
                continue
            if not any(start <= match.start() and match.end() <= end for start, end in covered):
                line = text.count("\n", 0, match.start()) + 1
                unknown.append(f"{path.relative_to(ROOT)}:{line}: {match.group(0)}")
    assert not unknown, "citations of sources not in law/sources.py or the registry:\n" + "\n".join(
        unknown
    )


def test_each_source_says_what_it_is_used_for_and_how_far_it_was_checked() -> None:
    keys = [s.key for s in SOURCES]
    assert len(keys) == len(set(keys))
    for source in SOURCES:
        assert source.names and source.what_we_use and source.checked, source.key
