"""The public registry: regulators, their routes and rules versions, assessors, "find your
regulator". No token needed: this is what an applicant reads before opening an application."""

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query

from api.deps import RegistryDep, SessionDep
from api.errors import responses
from fairtrack.errors import InvalidRequest, NotFound
from fairtrack.pagination import MAX_PAGE
from regulators import views
from regulators.files import SLUG, Sector
from regulators.schemas import (
    AssessorPage,
    Language,
    ProfessionResults,
    RegulatorDetail,
    RegulatorPage,
    RulesHistory,
)
from regulators.search import MAX_QUERY

router = APIRouter(tags=["registry"])

Slug = Annotated[str, Path(min_length=1, max_length=80, pattern=SLUG, examples=["cno"])]
Lang = Annotated[
    Language | None,
    Query(description="Language of names: en or fr (default: from Accept-Language, else en)."),
]
AcceptLanguage = Annotated[str | None, Header(alias="Accept-Language", max_length=500)]
Limit = Annotated[int, Query(ge=1, le=MAX_PAGE, description=f"At most {MAX_PAGE}.")]
Cursor = Annotated[
    str | None,
    Query(max_length=80, pattern=SLUG, description="The `next_cursor` of the previous page."),
]


def language(lang: Language | None, accept_language: str | None) -> Language:
    """`lang` if given, else the first of French or English the Accept-Language header prefers."""
    if lang is not None:
        return lang
    best: tuple[float, Language] | None = None
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        if primary not in ("en", "fr"):
            continue
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        if best is None or weight > best[0]:
            best = (weight, "fr" if primary == "fr" else "en")
    return best[1] if best else "en"


@router.get("/regulators", response_model=RegulatorPage, responses=responses(InvalidRequest))
def list_regulators(
    registry: RegistryDep,
    sector: Annotated[Sector | None, Query(description="health, non_health or trades")] = None,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> RegulatorPage:
    return views.regulator_page(registry, language(lang, accept_language), sector, limit, cursor)


@router.get(
    "/regulators/{slug}",
    response_model=RegulatorDetail,
    responses=responses(NotFound, InvalidRequest),
)
def read_regulator(
    slug: Slug, registry: RegistryDep, lang: Lang = None, accept_language: AcceptLanguage = None
) -> RegulatorDetail:
    """The current rules: route, service standards (defaults marked), windows, what is to verify."""
    return views.current_rules(registry, slug, language(lang, accept_language))


@router.get(
    "/regulators/{slug}/rules",
    response_model=RulesHistory,
    responses=responses(NotFound, InvalidRequest),
)
def list_rules_versions(slug: Slug, registry: RegistryDep, session: SessionDep) -> RulesHistory:
    """Every rules version known, newest first: an application shows the one that governs it."""
    return views.history(session, registry, slug)


@router.get(
    "/regulators/{slug}/rules/{version}",
    response_model=RegulatorDetail,
    responses=responses(NotFound, InvalidRequest),
)
def read_rules_version(
    slug: Slug,
    version: Annotated[int, Path(ge=1, le=1_000_000)],
    registry: RegistryDep,
    session: SessionDep,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
) -> RegulatorDetail:
    """The rules as they were in one version: what an application submitted under it is held to."""
    return views.rules_version_detail(
        session, registry, slug, version, language(lang, accept_language)
    )


@router.get("/assessors", response_model=AssessorPage, responses=responses(InvalidRequest))
def list_assessors(
    registry: RegistryDep,
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
    limit: Limit = 50,
    cursor: Cursor = None,
) -> AssessorPage:
    return views.assessor_page(registry, language(lang, accept_language), limit, cursor)


@router.get("/professions", response_model=ProfessionResults, responses=responses(InvalidRequest))
def find_professions(
    registry: RegistryDep,
    q: Annotated[
        str,
        Query(min_length=1, max_length=MAX_QUERY,
              description="A profession's name in English or French (accents and case ignored), "
              "or a NOC 2021 code.", examples=["infirmière"]),
    ],
    lang: Lang = None,
    accept_language: AcceptLanguage = None,
    limit: Annotated[int, Query(ge=1, le=views.MAX_SEARCH_PAGE)] = 20,
    offset: Annotated[int, Query(ge=0, le=views.MAX_OFFSET)] = 0,
) -> ProfessionResults:
    """Find your regulator: exact matches first, then prefixes, whole words, then substrings."""
    return views.find_professions(registry, q, language(lang, accept_language), limit, offset)
