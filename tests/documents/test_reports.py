"""The status summary, the regulator's timeliness audit and the annual report: rendered from a
known history, their text checked against the figures (the same oversight functions), in English
and French, tagged; and who may have each."""

import io
from datetime import date

import pytest
from pypdf import PdfReader

from accounts.actor import Actor
from i18n import translator
from law.road import Role
from oversight.sql import WHOLE_WINDOW
from oversight.timeliness import timeliness
from regulators.registry import Registry
from tests.documents.conftest import pdf_text, preview
from tests.support.histories import Cast, window
from tests.support.road import Road

SINCE, UNTIL = "2026-01-01", "2026-06-30"
STAFF = Actor(user_id=None, role=Role.oversight)


def _tagged(pdf: bytes, lang: str) -> None:
    """What the PDF/UA-1 variant gives, checked: a structure tree, marked content, the language,
    a title shown in the window's bar."""
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]
    assert str(root["/Lang"]) == lang
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    assert reader.metadata is not None and reader.metadata.title
    assert "pdfuaid" in reader.xmp_metadata.rdf_root.toxml() if reader.xmp_metadata else False


@pytest.fixture
def history(road: Road) -> tuple[Cast, str, str]:
    cast = Cast(road)
    refused = cast.cno_refused_by_committee(date(2026, 3, 2), date(2026, 3, 6),
                                            sent_on="2026-03-06", sent_by="regular_mail")
    waiting = cast.cno_under_review(date(2026, 2, 2), date(2026, 2, 20))
    return cast, refused, waiting


# Each document in both languages from one history (built once per test: its letter, its steps).
LANGUAGES = ("en", "fr")


def test_status_summary(road: Road, history: tuple[Cast, str, str]) -> None:
    for lang in LANGUAGES:
        _status_summary(road, history, lang)


def _status_summary(road: Road, history: tuple[Cast, str, str], lang: str) -> None:
    cast, refused, _ = history
    answer = cast.applicant.get(f"/applications/{refused}/summary.pdf", params={"lang": lang})
    assert answer.status_code == 200, answer.text
    t = translator(lang)  # type: ignore[arg-type]
    text = pdf_text(answer.content)
    assert refused in text
    assert t.label("state", "refused_appealable") in text
    assert t.date(window(road, refused, "appeal_board_request").due_on) in text
    assert t.gettext("A credential assessment is not a licence") in text
    assert t.label("trigger", "issue_decision") in text and t.date(date(2026, 3, 6)) in text
    _tagged(answer.content, lang)
    preview(answer.content, f"summary-{lang}")


def test_regulator_report(road: Road, registry: Registry, history: tuple[Cast, str, str]) -> None:
    for lang in LANGUAGES:
        _regulator_report(road, registry, history, lang)


def _regulator_report(road: Road, registry: Registry, history: tuple[Cast, str, str],
                      lang: str) -> None:
    _, _, waiting = history
    oversight = road.oversight()
    answer = oversight.get("/reports/regulator/cno.pdf",
                           params={"since": SINCE, "until": UNTIL, "lang": lang})
    assert answer.status_code == 200, answer.text
    t = translator(lang)  # type: ignore[arg-type]
    text = pdf_text(answer.content)
    with road.sessions() as session:
        figures = timeliness(session, STAFF, registry, regulator="cno", stage=None,
                             unit=WHOLE_WINDOW, since=date(2026, 1, 1), until=date(2026, 6, 30))
    assert figures.rows
    for row in figures.rows:  # each stage's line says what the JSON figures say
        line = " ".join([t.label("stage", row.stage), t.number(row.count),
                         t.number(row.median_business_days), t.number(row.p80_business_days),
                         t.number(row.p90_business_days)])
        assert line in text, (line, text)
    assert waiting in text  # the longest open, by reference
    assert t.gettext("Canadian experience findings") in text
    assert t.gettext("Chain head of the log:") in text
    assert "<svg" not in text and t.gettext("Quarter") in text  # a chart, and its table
    _tagged(answer.content, lang)
    preview(answer.content, f"regulator-report-{lang}")


def test_annual_report_withholds_small_cells(road: Road, history: tuple[Cast, str, str]) -> None:
    for lang in LANGUAGES:
        _annual_report(road, lang)


def _annual_report(road: Road, lang: str) -> None:
    answer = road.oversight().get("/reports/annual/2026.pdf", params={"lang": lang})
    assert answer.status_code == 200, answer.text
    t = translator(lang)  # type: ignore[arg-type]
    text = pdf_text(answer.content)
    assert t.names(road.registry.regulators["cno"].name) in text
    # Two applicants in all: every cell is under 10, so no count of people shows.
    assert "<10" in text
    assert t.gettext("By immigration status") in text
    _tagged(answer.content, lang)
    preview(answer.content, f"annual-report-{lang}")


def test_who_may_have_which_document(road: Road, history: tuple[Cast, str, str]) -> None:
    cast, refused, _ = history
    stranger, peo, oversight = road.applicant(), road.regulator("peo"), road.oversight()
    letters = cast.applicant.get(f"/applications/{refused}/letters").json()
    assert [letter["seq"] for letter in letters] == [8]
    letter = f"/applications/{refused}/letters/8.pdf"
    summary = f"/applications/{refused}/summary.pdf"
    # The applicant their own; staff of the organization holding the file; fairness staff.
    for person in (cast.applicant, cast.cno, oversight):
        assert person.get(letter).status_code == 200
    assert cast.applicant.get(summary).status_code == 200
    # Nobody else: as if the application did not exist.
    for person in (stranger, peo):
        assert person.get(letter).status_code == 404
        assert person.get(summary).status_code == 404
    assert cast.applicant.get(f"/applications/{refused}/letters/7.pdf").status_code == 404
    # A regulator reads its own audit only; applicants none; the annual report is fairness staff's.
    window_ = {"since": SINCE, "until": UNTIL}
    assert peo.get("/reports/regulator/cno.pdf", params=window_).status_code == 403
    assert cast.applicant.get("/reports/regulator/cno.pdf", params=window_).status_code == 403
    assert peo.get("/reports/annual/2026.pdf").status_code == 403
    assert cast.applicant.get("/reports/annual/2026.pdf").status_code == 403
    assert oversight.get("/reports/regulator/nope.pdf", params=window_).status_code == 422
    bad = {"since": UNTIL, "until": SINCE}
    assert oversight.get("/reports/regulator/cno.pdf", params=bad).status_code == 422
    assert oversight.get("/reports/regulator/cno.pdf",
                         params={"since": "1800-01-01", "until": UNTIL}).status_code == 422
    assert road.client.get(f"/api/v1{summary}").status_code == 401
