"""A regulator's route read from its data: the stages in order, who holds each, its standard and
the window that opens it (from law/windows.py: the law's windows, and a body's published ones).

The workflow's road (workflow/road.py) says which steps exist; this says, for one regulator, which
bodies stand at each stage. Health colleges follow the Health Professions Procedural Code (Registration
Committee, then HPARB); other bodies FARPACTA s. 9 (an internal review or appeal by the body); both
end at the Divisional Court. A regulator that assesses credentials itself has no assessment stage.
"""

from dataclasses import dataclass

from i18n import Translator
from law.road import STATE_INFO, Fact, Stage
from law.standards import StandardStage
from law.windows import WindowKind, WindowLaw, windows_on_route
from regulators.files import Body, Names, Regulator, Sector, ServiceStandard
from regulators.registry import DIVISIONAL_COURT, Registry

DIVISIONAL_COURT_BODY = Body(
    slug=DIVISIONAL_COURT,
    name=Names(
        en="Divisional Court (Superior Court of Justice)",
        fr="Cour divisionnaire (Cour supérieure de justice)",
    ),
)

# The window the applicant uses to bring the case to each stage (the first one the route has).
WINDOW_INTO: dict[StandardStage, tuple[WindowKind, ...]] = {
    StandardStage.internal_committee: (WindowKind.committee_submissions,),
    StandardStage.appeal_board: (WindowKind.appeal_board_request,
                                 WindowKind.internal_review_request),
    StandardStage.divisional_court: (WindowKind.divisional_court_appeal,),
}

# Whose staff act at each stage (the roles of workflow.road.Role).
HOLDER_ROLE: dict[StandardStage, str] = {
    StandardStage.assessment: "assessor",
    StandardStage.regulator_review: "regulator",
    StandardStage.internal_committee: "regulator",
    StandardStage.appeal_board: "tribunal",
    StandardStage.divisional_court: "tribunal",
}

NOTES: dict[tuple[Sector | None, StandardStage], Names] = {
    (None, StandardStage.assessment): Names(
        en="A credential assessment is not a licence: the regulator decides.",
        fr="Une évaluation des diplômes n'est pas un permis : l'organisme de réglementation décide.",
    ),
    (Sector.health, StandardStage.regulator_review): Names(
        en="The registrar may register, but must refer a proposed refusal or terms, conditions "
        "and limitations to the Registration Committee.",
        fr="Le registrateur peut inscrire, mais doit renvoyer au comité d'inscription tout refus "
        "ou toute condition envisagés.",
    ),
    (Sector.health, StandardStage.appeal_board): Names(
        en="A review or a hearing of the committee's decision, on written notice.",
        fr="Un examen ou une audience sur la décision du comité, sur avis écrit.",
    ),
    (None, StandardStage.appeal_board): Names(
        en="The body's internal review or appeal of a registration decision (FARPACTA s. 9).",
        fr="La révision interne ou l'appel d'une décision d'inscription (FARPACTA, art. 9).",
    ),
    (None, StandardStage.divisional_court): Names(
        en="An appeal (or judicial review) on the record.",
        fr="Un appel (ou une révision judiciaire) sur le dossier.",
    ),
}


@dataclass(frozen=True)
class RouteStop:
    stage: StandardStage
    holder_role: str
    bodies: tuple[Body, ...]
    standard: ServiceStandard | None
    window: WindowLaw | None
    note: Names | None


def _note(sector: Sector, stage: StandardStage) -> Names | None:
    return NOTES.get((sector, stage)) or NOTES.get((None, stage))


def route_of(regulator: Regulator, registry: Registry) -> list[RouteStop]:
    """The stages an application to this regulator may pass through, in order."""
    stages: list[tuple[StandardStage, tuple[Body, ...]]] = []
    if regulator.third_party_assessment:
        assessors = tuple(
            Body(slug=slug, name=registry.assessors[slug].name)
            for slug in regulator.assessors
            if slug in registry.assessors
        )
        stages.append((StandardStage.assessment, assessors))
    regulator_body = Body(slug=regulator.slug, name=regulator.name)
    stages += [
        (StandardStage.regulator_review, (regulator_body,)),
        (StandardStage.internal_committee, (regulator.internal_committee,)),
        (StandardStage.appeal_board, (regulator.appeal_body,)),
        (StandardStage.divisional_court, (DIVISIONAL_COURT_BODY,)),
    ]
    windows = {w.kind: w for w in windows_on_route(regulator.sector is Sector.health,
                                                   regulator.slug)}
    stops = []
    for stage, bodies in stages:
        into = [windows[kind] for kind in WINDOW_INTO.get(stage, ()) if kind in windows]
        stops.append(RouteStop(
            stage=stage,
            holder_role=HOLDER_ROLE[stage],
            bodies=bodies,
            standard=regulator.standard(stage),
            window=into[0] if into else None,
            note=_note(regulator.sector, stage),
        ))
    return stops


def route_facts(regulator: Regulator) -> set[Fact]:
    """The facts of every application to this regulator from its opening (workflow.models keeps the
    same per application)."""
    facts = set()
    if regulator.sector is Sector.health:
        facts.add(Fact.health)
    if regulator.third_party_assessment:
        facts.add(Fact.third_party_assessment)
    return facts


def stage_bodies(
    regulator: Regulator, registry: Registry, assessor: str | None = None
) -> dict[Stage, tuple[Names, ...]]:
    """Who holds a file at each stage of the road, by name: the assessor (the application's own, or
    every one the regulator uses), the regulator, its committee, the appeal body, the court."""
    assessors = [assessor] if assessor else list(regulator.assessors)
    committee = Names(
        en=f"{regulator.internal_committee.name.en} ({regulator.acronym})",
        fr=f"{regulator.internal_committee.name.fr} ({regulator.acronym})",
    )
    return {
        Stage.assessment: tuple(registry.assessors[a].name for a in assessors if a in registry.assessors),
        Stage.regulator_review: (regulator.name,),
        Stage.internal_committee: (committee,),
        Stage.decision: (regulator.name,),
        Stage.appeal_board: (regulator.appeal_body.name,),
        Stage.divisional_court: (DIVISIONAL_COURT_BODY.name,),
    }


def holder_names(state: str, regulator: Regulator | None, registry: Registry, assessor: str | None,
                 t: Translator) -> str | None:
    """Who holds a file where it stands, by name (None before it is sent, and once closed)."""
    if regulator is None:
        return None
    bodies = stage_bodies(regulator, registry, assessor).get(STATE_INFO[state].stage, ())
    return " / ".join(t.names(body) for body in bodies) or None


class _Fill(dict[str, str]):
    """Names a sentence may use ({holder}, {regulator}, {appeal_body}); an unknown one stays as
    written."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def what_next(state: str, regulator: Regulator | None, registry: Registry, assessor: str | None,
              t: Translator) -> str:
    """What happens next where a file stands (the catalog's `state_next` label), with the names of
    who holds it, its regulator and its appeal body filled in: the application page and the
    applicant's emails say the same."""
    holder = holder_names(state, regulator, registry, assessor, t)
    return t.label("state_next", state).format_map(
        _Fill(holder=holder or "", regulator=t.names(regulator.name) if regulator else "",
              appeal_body=t.names(regulator.appeal_body.name) if regulator else ""))
