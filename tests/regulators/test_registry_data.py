"""The registry's data files: complete against facts/ontario.md, strict, and checked by the CLI."""

import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cli.main import app as cli
from law.calendar import DayRule
from law.standards import PROJECT_DEFAULTS, StandardStage
from law.windows import WINDOWS, WindowKind, windows_on_route
from regulators.files import Sector
from regulators.registry import DATA_DIR, Registry, RegistryError, load_registry

# The facts live beside the repository (../shared/facts/ontario.md) when it is checked out there.
FACTS = Path(__file__).resolve().parents[3] / "shared" / "facts" / "ontario.md"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "regulators.md"

# Kept here for when facts/ontario.md is not beside the repository (s. 2 tables, by acronym).
REGULATOR_ACRONYMS = {
    "CASLPO", "COCOO", "CCO", "CDHO", "CDTO", "CDO (denturists)", "CDO (dietitians)", "CHO",
    "COKO", "CMTO", "CMLTO", "CMRITO", "CMO", "CONO", "CNO", "COTO", "COO (opticians)",
    "COO (optometrists)", "OCP", "CPSO", "CPO", "CPBAO", "CRPO", "CRTO", "RCDSO", "CTCMPAO",
    "AOLS", "PGO", "CPA Ontario", "CVO", "CECE", "HRPA", "LSO", "OAA", "OACETT", "OCSWSSW", "OCT",
    "OIA", "OPFA", "OPPI", "PEO", "STO",
}
# facts/ontario.md s. 6 names the assessors in prose, so they are listed here and checked there.
ASSESSOR_ACRONYMS = {"WES", "ICAS", "CES", "IQAS", "ICES", "MCC", "PEBC", "NNAS"}
runner = CliRunner()


def _facts_regulators() -> dict[str, str]:
    """acronym -> English name, from the tables of facts/ontario.md s. 2."""
    text = FACTS.read_text(encoding="utf-8")
    section = text.split("## 2.", 1)[1].split("\n## 3.", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or cells[0] in ("acronym", ""):
            continue
        if set(cells[0]) <= {"-"}:  # the header's rule
            continue
        rows[cells[0]] = re.sub(r"\s*\(.*\)$", "", cells[1])  # "(to verify: ...)" is no name
    return rows


def _regulators_without_a_file(registry: Registry) -> list[str]:
    by_name = {r.name.en for r in registry.regulators.values()}
    by_acronym = {r.acronym for r in registry.regulators.values()}
    if FACTS.exists():
        listed = _facts_regulators()
        assert len(listed) >= 40, f"parsed only {len(listed)} rows from {FACTS}"
        assert set(listed) == REGULATOR_ACRONYMS, "the list kept in this test is out of date"
        return sorted(a for a, name in listed.items() if name not in by_name
                      and a not in by_acronym)
    return sorted(a for a in REGULATOR_ACRONYMS if a.split(" (")[0] not in by_acronym)


def test_every_regulator_in_the_facts_has_a_data_file() -> None:
    registry = load_registry()
    assert _regulators_without_a_file(registry) == []
    assert len(registry.regulators) == len(REGULATOR_ACRONYMS)


def test_a_missing_regulator_file_is_noticed(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    (copy / "opfa.toml").unlink()
    assert _regulators_without_a_file(load_registry(copy)) == ["OPFA"]


def test_every_assessor_in_the_facts_has_a_data_file() -> None:
    registry = load_registry()
    if FACTS.exists():
        section6 = FACTS.read_text(encoding="utf-8").split("## 6.", 1)[1].split("\n## 7.", 1)[0]
        for acronym in ASSESSOR_ACRONYMS:
            assert re.search(rf"\b{acronym}\b", section6), f"{acronym} is no longer in the facts"
    missing = ASSESSOR_ACRONYMS - {a.acronym for a in registry.assessors.values()}
    assert missing == set(), f"no data file for assessors {sorted(missing)}"


def test_windows_are_law_no_file_carries_them_and_health_routes_meet_all_three() -> None:
    """deadlines/law.py is the one source of the windows: the deadlines and the API read it."""
    for path in sorted(DATA_DIR.glob("*.toml")):
        assert "statutory_windows =" not in path.read_text(encoding="utf-8"), path.name
    health = {WindowKind.committee_submissions, WindowKind.appeal_board_request,
              WindowKind.divisional_court_appeal, WindowKind.college_court_appeal}
    assert {w.kind for w in windows_on_route(health=True)} == health
    # A FARPACTA body has only the windows it publishes (facts s. 4); none is invented.
    assert windows_on_route(health=False) == []
    assert [w.kind for w in windows_on_route(False, "ocswssw")] == [
        WindowKind.internal_review_request]
    assert [w.kind for w in windows_on_route(False, "peo")] == []
    counting = {w.kind: w.counting for w in WINDOWS}
    assert counting == {WindowKind.committee_submissions: DayRule.legislation_act,
                        WindowKind.appeal_board_request: DayRule.legislation_act,
                        WindowKind.divisional_court_appeal: DayRule.civil_procedure,
                        WindowKind.college_court_appeal: DayRule.civil_procedure,
                        WindowKind.internal_review_request: DayRule.legislation_act,
                        WindowKind.internal_review_submissions: DayRule.legislation_act}
    assert all(w.citation and w.to_verify for w in WINDOWS)
    for regulator in load_registry().regulators.values():
        if regulator.sector is Sector.health:
            assert regulator.appeal_body.slug == "hparb", regulator.slug
        else:
            assert any(note.startswith("statutory_windows:") for note in regulator.to_verify)


def test_unpublished_standards_take_the_documented_project_defaults() -> None:
    cno = load_registry().regulators["cno"]
    review = cno.standard(StandardStage.regulator_review)
    assert review is not None and review.is_default
    assert (review.days, review.counting) == PROJECT_DEFAULTS[StandardStage.regulator_review]
    assert (review.days, review.counting.value) == (60, "business")
    court = cno.standard(StandardStage.divisional_court)
    assert court is not None and (court.days, court.counting.value) == (365, "calendar")
    peo = load_registry().regulators["peo"]
    assert peo.standard(StandardStage.assessment) is None  # PEO assesses credentials itself


def _broken_copy(tmp_path: Path, file: str, old: str, new: str) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    text = (copy / file).read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {file}"
    (copy / file).write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


BROKEN = [
    ("cno.toml", 'sector = "health"', 'sector = "dental"', "sector"),
    ("peo.toml", "rules_version = 1", "rules_version = 0", "rules_version"),
    ("cno.toml", 'noc = ["31301", "32101"]', 'noc = ["3130"]', "professions.0"),
    ("cno.toml", '{ stage = "appeal_board", published = false },\n', "", "service_standards"),
    ("cno.toml", '{ stage = "regulator_review", published = false }',
     '{ stage = "regulator_review", published = false, days = 20 }', "service_standards.1"),
    ("cno.toml", '{ stage = "regulator_review", published = false }',
     '{ stage = "regulator_review", published = true, days = 20, counting = "business" }',
     "service_standards.1"),
    # A window in a regulator's file would be a second, ignored source of the law: refused.
    ("cpso.toml", 'rules_version = 1',
     'rules_version = 1\nstatutory_windows = [{ window = "committee_submissions", days = 30 }]',
     "statutory_windows"),
    ("cno.toml", 'assessors = ["nnas"]', 'assessors = ["nobody"]', "assessors"),
    ("cno.toml", 'website = "https://www.cno.org"', 'website = "www.cno.org"', "website"),
    ("peo.toml", 'code = "eit"', 'code = "p-eng"', "professions"),
    ("wes.toml", 'acronym = "WES"', 'acronym = "WES"\ncolour = "blue"', "colour"),
]


@pytest.mark.parametrize(("file", "old", "new", "field"), BROKEN)
def test_a_broken_file_is_refused_naming_file_and_field(
    tmp_path: Path, file: str, old: str, new: str, field: str
) -> None:
    broken = _broken_copy(tmp_path, file, old, new)
    with pytest.raises(RegistryError) as refused:
        load_registry(broken)
    assert str(refused.value).startswith(f"{file}: ")
    assert f"field '{field}" in str(refused.value)


def test_check_passes_on_the_shipped_files() -> None:
    result = runner.invoke(cli, ["regulators", "check"])
    assert result.exit_code == 0, result.output
    # 42 files, never 42 as fact: the Fairness Commissioner oversees 41 (facts s. 1, issue 9).
    assert ("40 regulators confirmed under the Fairness Commissioner's oversight + 2 to verify "
            "(oia, oppi) and 8 assessors valid (the Commissioner oversees 41)") in result.output


def test_check_fails_naming_file_and_field_on_a_broken_copy(tmp_path: Path) -> None:
    broken = _broken_copy(tmp_path, "cno.toml", 'sector = "health"', 'sector = "dental"')
    result = runner.invoke(cli, ["regulators", "check", "--data-dir", str(broken)])
    assert result.exit_code == 1
    assert "cno.toml" in result.output and "field 'sector'" in result.output


def test_check_writes_nothing(tmp_path: Path) -> None:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    before = {p.name: p.read_bytes() for p in copy.iterdir()}
    assert runner.invoke(cli, ["regulators", "check", "--data-dir", str(copy)]).exit_code == 0
    assert {p.name: p.read_bytes() for p in copy.iterdir()} == before


def test_docs_list_every_fact_marked_to_verify() -> None:
    docs = DOCS.read_text(encoding="utf-8")
    registry = load_registry()
    items = [(r.slug, note) for r in registry.regulators.values() for note in r.to_verify]
    items += [(a.slug, note) for a in registry.assessors.values() for note in a.to_verify]
    items += [(w.kind.value, w.to_verify) for w in WINDOWS if w.to_verify]
    unlisted = [(slug, note) for slug, note in items if note not in docs]
    assert unlisted == [], "docs/regulators.md does not list these to_verify notes (run "
    "`fairtrack regulators to-verify`)"
