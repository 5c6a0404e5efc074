"""Documents as PDF: an application's status summary and its decision letters (the applicant, and
staff of the organizations that may see the file), a regulator's timeliness audit (fairness staff;
a regulator its own), the annual report across regulators (fairness staff)."""

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import Response
from pydantic import BaseModel
from sqlalchemy.orm import Session

from accounts.actor import Actor
from api.auth import ApplicationReader, FiguresReader, OversightActor
from api.deps import RegistryDep, SessionDep
from api.errors import responses
from api.pages.application_view import application_page_context
from casefile.detail import application_file
from casefile.documents import letter_pdf, letters_of
from documents.render import Stamp, render_pdf
from documents.reports import annual_report, regulator_report
from fairtrack.columns import utcnow
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated, NotFound
from i18n import Language, translator
from regulators.registry import Registry

router = APIRouter(tags=["documents"])
AUTH = (NotAuthenticated, Forbidden)
PDF: dict[int | str, dict[str, Any]] = {200: {"content": {"application/pdf": {}}, "description": "The PDF"}}
Reference = Annotated[str, Path(min_length=1, max_length=40)]
Lang = Annotated[Literal["en", "fr"], Query(description="The document's language")]


class LetterView(BaseModel):
    seq: int
    lang: str
    sha256: str
    url: str


def pdf_response(pdf: bytes, filename: str) -> Response:
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{filename}"',
                             "Cache-Control": "private, no-store"})


def status_summary(session: Session, actor: Actor, registry: Registry, reference: str,
                   lang: Language) -> bytes:
    """The application's summary: what its page says (the same context), as a document."""
    file = application_file(session, actor, registry, reference)
    t = translator(lang)
    context = application_page_context(file, registry, t)
    stamp = Stamp(generated_at=utcnow(), parameters=[(t.gettext("Application"), reference)],
                  chain_head=t.gettext("this application's, {head}",
                                       head=file.events[-1].hash if file.events else ""))
    title = t.gettext("Status summary: application {reference}", reference=reference)
    return render_pdf("documents/summary.html", lang, context, title=title, stamp=stamp,
                      identifier=f"summary {reference} {stamp.generated_at.isoformat()}")


@router.get("/applications/{reference}/summary.pdf", response_class=Response,
            responses={**PDF, **responses(*AUTH, NotFound)})
def read_summary(reference: Reference, actor: ApplicationReader, session: SessionDep,
                 registry: RegistryDep, lang: Lang = "en") -> Response:
    return pdf_response(status_summary(session, actor, registry, reference, lang),
                        f"{reference}-summary.pdf")


@router.get("/applications/{reference}/letters", response_model=list[LetterView],
            responses=responses(*AUTH, NotFound))
def list_letters(reference: Reference, actor: ApplicationReader, session: SessionDep,
                 registry: RegistryDep) -> list[LetterView]:
    return [LetterView(seq=seq, lang=lang, sha256=digest,
                       url=f"/api/v1/applications/{reference}/letters/{seq}.pdf")
            for seq, lang, digest, _ in letters_of(session, actor, registry, reference)]


@router.get("/applications/{reference}/letters/{seq}.pdf", response_class=Response,
            responses={**PDF, **responses(*AUTH, NotFound)})
def read_letter(reference: Reference, seq: Annotated[int, Path(ge=1, le=2**31 - 1)],
                actor: ApplicationReader, session: SessionDep, registry: RegistryDep) -> Response:
    return pdf_response(letter_pdf(session, actor, registry, reference, seq),
                        f"{reference}-decision-{seq}.pdf")


@router.get("/reports/regulator/{regulator}.pdf", response_class=Response,
            responses={**PDF, **responses(*AUTH, InvalidRequest)})
def read_regulator_report(
    regulator: Annotated[str, Path(min_length=1, max_length=80)], since: date, until: date,
    actor: FiguresReader, session: SessionDep, registry: RegistryDep, lang: Lang = "en",
) -> Response:
    pdf = regulator_report(session, actor, registry, regulator, since, until, lang)
    return pdf_response(pdf, f"timeliness-{regulator}-{since}-{until}.pdf")


@router.get("/reports/annual/{year}.pdf", response_class=Response,
            responses={**PDF, **responses(*AUTH, InvalidRequest)})
def read_annual_report(year: Annotated[int, Path(ge=1900, le=2200)], actor: OversightActor,
                       session: SessionDep, registry: RegistryDep, lang: Lang = "en") -> Response:
    return pdf_response(annual_report(session, actor, registry, year, lang), f"annual-{year}.pdf")
