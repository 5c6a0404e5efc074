"""The registry as the public API shows it, in English or French, with the pages it is read in."""


from sqlalchemy.orm import Session

from fairtrack.columns import utcnow
from fairtrack.errors import InvalidRequest, NotFound
from fairtrack.pagination import after
from law.calendar import local_date
from law.windows import WindowLaw, windows_on_route
from regulators.files import (
    Body,
    ExemptionStatus,
    Names,
    Oversight,
    Profession,
    Regulator,
    Sector,
    ServiceStandard,
)
from regulators.registry import Registry
from regulators.route import route_of
from regulators.schemas import (
    AssessorPage,
    AssessorView,
    BodyView,
    ExemptionRecordView,
    ExemptionView,
    Language,
    LicenceClassView,
    OversightCount,
    ProfessionMatch,
    ProfessionResults,
    ProfessionView,
    RegulatorDetail,
    RegulatorPage,
    RegulatorRef,
    RegulatorSummary,
    RouteStopView,
    RulesHistory,
    RulesVersionView,
    StandardView,
    WindowView,
)
from regulators.search import search_professions
from regulators.service import rules_history, rules_of

# The Fairness Commissioner's own count of the bodies it oversees (facts/ontario.md s. 1, confirmed:
# 14 non-health professions and Skilled Trades Ontario under FARPACTA, 26 health colleges).
OFC_OVERSEEN = 41
MAX_SEARCH_PAGE = 50
MAX_OFFSET = 1000
ASSESSMENT_NOTICE = Names(
    en="A credential assessment is not a licence: only the regulator registers you.",
    fr="Une évaluation des diplômes n'est pas un permis : seul l'organisme de réglementation "
    "vous inscrit.",
)


def _in(names: Names, lang: Language) -> str:
    return names.fr if lang == "fr" else names.en


def _body(body: Body, lang: Language) -> BodyView:
    return BodyView(slug=body.slug, name=_in(body.name, lang))


def _standard(standard: ServiceStandard) -> StandardView:
    return StandardView(stage=standard.stage.value, days=standard.days,
                        counting=standard.counting.value, is_default=standard.is_default,
                        source=standard.source)


def _window(window: WindowLaw) -> WindowView:
    return WindowView(window=window.kind.value, days=window.days, counting=window.counting.value,
                      party=window.party.value, runs_from=window.runs_from,
                      citation=window.citation, to_verify=window.to_verify)


def _summary(regulator: Regulator, lang: Language) -> RegulatorSummary:
    return RegulatorSummary(
        slug=regulator.slug, acronym=regulator.acronym, name=_in(regulator.name, lang),
        sector=regulator.sector.value, oversight=regulator.oversight.value,
        website=regulator.website,
        rules_version=regulator.rules_version, effective_date=regulator.effective_date,
        third_party_assessment=regulator.third_party_assessment,
        professions=[_in(p.name, lang) for p in regulator.professions],
    )


def oversight_count(registry: Registry) -> OversightCount:
    """40 confirmed + 2 to verify, never the file count as fact (facts s. 1: OFC oversees 41)."""
    confirmed = [r for r in registry.regulators.values() if r.oversight is Oversight.confirmed]
    unsettled = sorted(r.slug for r in registry.regulators.values()
                       if r.oversight is not Oversight.confirmed)
    note = (f"The Fairness Commissioner oversees {OFC_OVERSEEN} bodies; the registry confirms "
            f"{len(confirmed)}")
    if unsettled:
        note += (f" and holds {len(unsettled)} candidates ({', '.join(unsettled)}) whose place on "
                 "FARPACTA Schedule 1 is to verify")
    return OversightCount(overseen_per_ofc=OFC_OVERSEEN, confirmed=len(confirmed),
                          to_verify=unsettled, note=note)


def regulator_page(
    registry: Registry, lang: Language, sector: Sector | None, limit: int, cursor: str | None
) -> RegulatorPage:
    slugs = [s for s, r in registry.regulators.items() if sector is None or r.sector is sector]
    page, next_cursor = after(slugs, limit, cursor)
    return RegulatorPage(
        lang=lang, items=[_summary(registry.regulators[s], lang) for s in page],
        next_cursor=next_cursor, oversight=oversight_count(registry),
    )


def regulator_detail(regulator: Regulator, registry: Registry, lang: Language) -> RegulatorDetail:
    return RegulatorDetail(
        **_summary(regulator, lang).model_dump(),
        lang=lang,
        statute=regulator.statute,
        assessors=[_body(Body(slug=s, name=registry.assessors[s].name), lang)
                   for s in regulator.assessors if s in registry.assessors],
        internal_committee=_body(regulator.internal_committee, lang),
        appeal_body=_body(regulator.appeal_body, lang),
        profession_details=[_profession(p, lang) for p in regulator.professions],
        route=[
            RouteStopView(
                stage=stop.stage.value, holder_role=stop.holder_role,
                bodies=[_body(b, lang) for b in stop.bodies],
                standard=_standard(stop.standard) if stop.standard else None,
                window=_window(stop.window) if stop.window else None,
                note=_in(stop.note, lang) if stop.note else None,
            )
            for stop in route_of(regulator, registry)
        ],
        service_standards=[_standard(s) for s in regulator.service_standards],
        statutory_windows=[_window(w) for w in windows_on_route(
            regulator.sector is Sector.health, regulator.slug)],
        canadian_experience_exemption=_exemption(regulator),
        accepted_language_tests=list(regulator.accepted_language_tests),
        accepted_language_tests_source=regulator.accepted_language_tests_source,
        to_verify=list(regulator.to_verify),
    )


def _exemption(regulator: Regulator) -> ExemptionView:
    status, record = regulator.exemption_on(local_date(utcnow()))
    granted = status is ExemptionStatus.granted and record is not None
    return ExemptionView(
        status=status.value, granted=granted, scope=record.scope if granted and record else None,
        granted_on=record.on if granted and record else None,
        records=[ExemptionRecordView(**r.model_dump())
                 for r in regulator.canadian_experience_exemptions],
    )


def _regulator(registry: Registry, slug: str) -> Regulator:
    regulator = registry.regulator(slug)
    if regulator is None:
        raise NotFound(f"no regulator '{slug}'; GET /api/v1/regulators lists them")
    return regulator


def current_rules(registry: Registry, slug: str, lang: Language) -> RegulatorDetail:
    return regulator_detail(_regulator(registry, slug), registry, lang)


def rules_version_detail(
    session: Session, registry: Registry, slug: str, version: int, lang: Language
) -> RegulatorDetail:
    """The rules an application governed by `version` is held to (standards, windows, route)."""
    return regulator_detail(rules_of(session, registry, slug, version), registry, lang)


def history(session: Session, registry: Registry, slug: str) -> RulesHistory:
    return RulesHistory(
        regulator=slug,
        versions=[RulesVersionView(version=v, effective_date=d, stored=s)
                  for v, d, s in rules_history(session, registry, slug)],
    )


def assessor_page(
    registry: Registry, lang: Language, limit: int, cursor: str | None
) -> AssessorPage:
    page, next_cursor = after(list(registry.assessors), limit, cursor)
    items = []
    for slug in page:
        assessor = registry.assessors[slug]
        items.append(AssessorView(
            slug=slug, acronym=assessor.acronym, name=_in(assessor.name, lang),
            website=assessor.website, designation=assessor.designation,
            used_by=sorted(r.slug for r in registry.regulators.values() if slug in r.assessors),
            to_verify=list(assessor.to_verify),
        ))
    return AssessorPage(lang=lang, notice=_in(ASSESSMENT_NOTICE, lang), items=items,
                        next_cursor=next_cursor)


def _profession(profession: Profession, lang: Language) -> ProfessionView:
    return ProfessionView(
        slug=profession.slug, name=_in(profession.name, lang), noc=list(profession.noc),
        licence_classes=[LicenceClassView(code=c.code, name=_in(c.name, lang))
                         for c in profession.licence_classes],
    )


def find_professions(
    registry: Registry, q: str, lang: Language, limit: int, offset: int
) -> ProfessionResults:
    if offset > MAX_OFFSET:
        raise InvalidRequest(f"offset is at most {MAX_OFFSET}", field="offset")
    hits = search_professions(registry, q)
    return ProfessionResults(
        lang=lang, q=q, total=len(hits), offset=offset, limit=limit,
        items=[
            ProfessionMatch(
                profession=_profession(hit.profession, lang),
                regulator=RegulatorRef(slug=hit.regulator.slug, acronym=hit.regulator.acronym,
                                       name=_in(hit.regulator.name, lang),
                                       sector=hit.regulator.sector.value),
                match=hit.kind,
                matched_text=hit.text,
            )
            for hit in hits[offset:offset + limit]
        ],
    )
