"""The decision letter: made with the decision, its hash in the chain, re-issued byte for byte,
its appeal deadline the one the deadlines hold, in English and French; verify catches an edit."""

import hashlib
import io
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlmodel import col
from typer.testing import CliRunner

import casefile.documents as casefile_documents
from accounts.models import User
from casefile.applications import record_event, step
from casefile.documents import draft_before_lock
from cli.main import app as cli
from documents.letters import Decision, decision_letter
from fairtrack.database import WRITE, unit_of_work
from fairtrack.errors import VersionConflict
from i18n import translator
from regulators.registry import Registry
from tests.documents.conftest import pdf_text, preview
from tests.support.histories import Cast, window
from tests.support.road import Road
from workflow.models import Application, DecisionLetter, Event
from workflow.schemas import EventRequest
from workflow.service import lock_application, parse_reference


def _letter(road: Road, reference: str) -> tuple[DecisionLetter, Event]:
    with road.sessions() as session:
        application_id = parse_reference(reference)
        letter = session.scalars(select(DecisionLetter).where(
            col(DecisionLetter.application_id) == application_id)).one()
        event = session.scalars(select(Event).where(col(Event.application_id) == application_id,
                                                    col(Event.seq) == letter.seq)).one()
        session.expunge_all()
    return letter, event


def _french(road: Road, cast: Cast) -> None:
    with road.sessions() as session, session.begin():
        session.execute(update(User).where(col(User.id) == cast.applicant.user_id)
                        .values(preferred_language="fr"))


def test_committee_refusal_letter_in_both_languages(road: Road, registry: Registry) -> None:
    cast = Cast(road)
    for lang in ("en", "fr"):
        if lang == "fr":
            _french(road, cast)
        # Sent by regular mail on Friday 2026-03-06: deemed received five days later (Wednesday
        # March 11); 30 days under the Legislation Act from there.
        ref = cast.cno_refused_by_committee(date(2026, 3, 2), date(2026, 3, 6),
                                            sent_on="2026-03-06", sent_by="regular_mail")
        letter, event = _letter(road, ref)
        assert letter.lang == lang
        assert event.payload["letter_sha256"] == hashlib.sha256(letter.pdf).hexdigest()
        due = window(road, ref, "appeal_board_request").due_on
        t = translator(lang)
        text = pdf_text(letter.pdf)
        assert ref in text
        assert "Hours not shown." in text
        assert t.date(due) in text, (t.date(due), text)
        assert t.date(date(2026, 3, 11)) in text  # counted from the deemed receipt
        assert t.label("window", "appeal_board_request") in text
        assert t.label("outcome", "refused") in text
        words = {"en": "Your right to appeal", "fr": t.gettext("Your right to appeal")}
        assert words[lang] in text
        if lang == "fr":
            assert t.gettext("Your right to appeal") != "Your right to appeal"
        reader = PdfReader(io.BytesIO(letter.pdf))
        root = reader.trailer["/Root"]
        assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
        assert str(root["/Lang"]) == lang
        assert preview(letter.pdf, f"letter-{lang}").stat().st_size > 0


def verify() -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["verify"])
    return result.exit_code, result.output


def test_letter_reissued_byte_identical_and_edit_fails_verify(
    road: Road, registry: Registry, cli_database: None,
) -> None:
    cast = Cast(road)
    ref = cast.cno_appeal_dismissed(date(2026, 3, 2), date(2026, 4, 15))
    with road.sessions() as session:
        letters = session.scalars(select(DecisionLetter).order_by(col(DecisionLetter.seq))).all()
        assert len(letters) == 2  # the committee's refusal and HPARB's dismissal
        last = letters[-1]
        session.expunge_all()
    # Re-issued: the stored bytes, as the applicant downloads them.
    page = cast.applicant.get(f"/applications/{ref}/letters/{last.seq}.pdf")
    assert page.status_code == 200 and page.headers["content-type"] == "application/pdf"
    assert page.content == last.pdf
    # Rendered again from the same decision: the same bytes (no clock, no random identifier).
    with road.sessions() as session:
        event = session.scalars(select(Event).where(col(Event.seq) == last.seq,
                                                    col(Event.application_id) == last.application_id)).one()
        application = session.get(Application, last.application_id)
        assert application is not None
        walk_facts = frozenset(application.facts())
        decision = Decision(
            reference=ref, regulator="cno", licence_class="rn", seq=event.seq,
            trigger=event.trigger, outcome=event.outcome, to_state=event.to_state,
            facts=walk_facts, occurred_at=event.occurred_at, decided_by=event.actor_org,
            payload={k: v for k, v in event.payload.items() if k != "letter_sha256"},
        )
    assert decision_letter(decision, registry, "en") == last.pdf
    text = pdf_text(last.pdf)
    # The court window runs from the making of the order: April 15 + 30 days under the Rules.
    due = window(road, ref, "divisional_court_appeal").due_on
    assert translator("en").date(due) in text
    assert verify()[0] == 0
    with road.sessions() as session, session.begin():
        session.execute(update(DecisionLetter).where(col(DecisionLetter.id) == last.id)
                        .values(pdf=last.pdf.replace(b"Confirmed.", b"Confirmed!", 1) + b"%"))
    code, output = verify()
    assert code == 1
    assert "the kept letter is not the one whose hash the log holds" in output


def _rendering_watched(monkeypatch: pytest.MonkeyPatch, session: Session) -> list[bool]:
    """For each letter rendered: whether a write transaction (the lock) was open on `session`."""
    seen: list[bool] = []
    real = casefile_documents.decision_letter

    def watched(*args: Any) -> bytes:
        seen.append(bool(session.info.get(WRITE)))
        return real(*args)

    monkeypatch.setattr(casefile_documents, "decision_letter", watched)
    return seen


def test_the_letter_is_rendered_before_the_lock(
    road: Road, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast = Cast(road)
    ref = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    with road.sessions() as session:
        seen = _rendering_watched(monkeypatch, session)
        request = EventRequest(trigger="issue_decision", outcome="refused", expected_version=3,
                               reasons="Experience not shown.")
        status, body = record_event(session, cast.peo.actor, registry, ref, request)
    assert status == 201 and body["event"]["seq"] == 4
    assert seen == [False]  # once, with no write transaction open
    letter, event = _letter(road, ref)
    assert event.payload["letter_sha256"] == hashlib.sha256(letter.pdf).hexdigest()
    # The decision's time is the letter's: rendered again from the event, the same bytes.
    with road.sessions() as session:
        application = session.get(Application, parse_reference(ref))
        assert application is not None
        facts = frozenset(application.facts())
    decision = Decision(
        reference=ref, regulator="peo", licence_class="p-eng", seq=4, trigger="issue_decision",
        outcome="refused", to_state=event.to_state, facts=facts,
        occurred_at=event.occurred_at, decided_by="peo",
        payload={k: v for k, v in event.payload.items() if k != "letter_sha256"},
    )
    assert decision_letter(decision, registry, "en") == letter.pdf


def test_a_draft_that_no_longer_holds_is_not_kept(
    road: Road, registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast = Cast(road)
    overtaken = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    switched = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    request = EventRequest(trigger="issue_decision", outcome="refused", expected_version=3,
                           reasons="Not shown.")
    with road.sessions() as session:
        seen = _rendering_watched(monkeypatch, session)
        drafts = {ref: draft_before_lock(session, cast.peo.actor, registry, ref, request)
                  for ref in (overtaken, switched)}
        assert seen == [False, False]
        # Another event comes first on one application; the applicant reads French on the other.
        cast.peo.step(overtaken, "request_information", reasons="Transcripts.")
        _french(road, cast)
        for ref, draft in drafts.items():
            assert draft is not None and draft.decision.seq == 4 and draft.lang == "en"
            with unit_of_work(session):
                locked = lock_application(session, cast.peo.actor, registry, ref)
                assert draft.holds(locked.application) == (ref == switched)
                if ref == overtaken:  # refused as before: the version the caller read is gone
                    with pytest.raises(VersionConflict):
                        step(session, cast.peo.actor, registry, locked.application, request,
                             None, locked, draft)
                else:
                    step(session, cast.peo.actor, registry, locked.application, request, None,
                         locked, draft)
    assert seen == [False, False, True]  # the French letter, rendered again under the lock
    letter, event = _letter(road, switched)
    assert letter.lang == "fr" and letter.seq == event.seq == 4
    assert event.payload["letter_sha256"] == hashlib.sha256(letter.pdf).hexdigest()
    assert letter.pdf != drafts[switched].pdf  # type: ignore[union-attr]
    assert translator("fr").gettext("Your right to appeal") in pdf_text(letter.pdf)
    with road.sessions() as session:
        assert not session.scalars(select(DecisionLetter).where(
            col(DecisionLetter.application_id) == parse_reference(overtaken))).all()
