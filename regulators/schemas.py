"""Shapes of the public registry API: regulators, their route and rules, assessors, professions."""

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from fairtrack.pagination import Page

Language = Literal["en", "fr"]
MatchKind = Literal["exact", "prefix", "word", "substring", "words"]


class BodyView(BaseModel):
    slug: str
    name: str


class StandardView(BaseModel):
    stage: str
    days: int
    counting: str = Field(description="calendar or business days (Ontario)")
    is_default: bool = Field(
        description="True: the regulator publishes no standard; this is FairTrack's default."
    )
    source: str


class WindowView(BaseModel):
    """A time limit in law (deadlines/law.py): the same for every regulator on the route, and the
    one the deadlines count by."""

    window: str
    days: int
    counting: str = Field(
        description="legislation_act: calendar days, a last day on a Legislation Act, 2006 holiday "
        "moves to the next day (s. 89); civil_procedure: the same under the Rules of Civil "
        "Procedure, where Saturdays are holidays too"
    )
    party: str = Field(description="Who must act within the window.")
    runs_from: str
    citation: str
    to_verify: str | None = Field(description="What in this rule is not yet checked, if anything.")


class RouteStopView(BaseModel):
    stage: str
    holder_role: str = Field(description="Whose staff act at this stage.")
    bodies: list[BodyView]
    standard: StandardView | None
    window: WindowView | None = Field(description="The applicant's time limit to get here.")
    note: str | None


class LicenceClassView(BaseModel):
    code: str
    name: str


class ProfessionView(BaseModel):
    slug: str
    name: str
    noc: list[str] = Field(description="NOC 2021 unit groups")
    licence_classes: list[LicenceClassView]


class ExemptionRecordView(BaseModel):
    status: str = Field(description="granted or none, from `on`")
    on: date
    source: str
    scope: str | None


class ExemptionView(BaseModel):
    """The Canadian experience exemption (FARPACTA s. 10.2) as of today, and its dated records."""

    status: str = Field(description="granted, none, or unknown (needs review: never assumed none)")
    granted: bool
    scope: str | None
    granted_on: date | None
    records: list[ExemptionRecordView] = Field(default_factory=list)


class RegulatorSummary(BaseModel):
    slug: str
    acronym: str
    name: str
    sector: str
    oversight: str = Field(
        description="confirmed: overseen by the Fairness Commissioner (FARPACTA Schedule 1 or the "
        "RHPA); to_verify: listed in the facts, its place on Schedule 1 not settled")
    website: str
    rules_version: int
    effective_date: date
    third_party_assessment: bool
    professions: list[str]


class OversightCount(BaseModel):
    """How many bodies the Fairness Commissioner oversees, as the registry can say it."""

    overseen_per_ofc: int = Field(description="The Fairness Commissioner's own count (facts s. 1)")
    confirmed: int = Field(description="Bodies in the registry whose oversight is confirmed")
    to_verify: list[str] = Field(description="Candidates for the remaining place(s), to verify")
    note: str


class RegulatorPage(Page[RegulatorSummary]):
    lang: Language
    oversight: OversightCount


class RegulatorDetail(RegulatorSummary):
    lang: Language
    statute: str
    assessors: list[BodyView]
    internal_committee: BodyView
    appeal_body: BodyView
    profession_details: list[ProfessionView]
    route: list[RouteStopView]
    service_standards: list[StandardView]
    statutory_windows: list[WindowView]
    canadian_experience_exemption: ExemptionView
    accepted_language_tests: list[str]
    accepted_language_tests_source: str | None = Field(
        description="Where the list is published; null: to verify, and no flag relies on it")
    to_verify: list[str] = Field(description="Facts in this file not yet checked at their source.")


class RulesVersionView(BaseModel):
    version: int
    effective_date: date
    stored: bool = Field(description="False: in the data files but not yet synced to the database.")


class RulesHistory(BaseModel):
    regulator: str
    versions: list[RulesVersionView]


class AssessorView(BaseModel):
    slug: str
    acronym: str
    name: str
    website: str
    designation: str
    used_by: list[str] = Field(description="Regulators whose route starts with this assessor.")
    to_verify: list[str]


class AssessorPage(Page[AssessorView]):
    lang: Language
    notice: str = Field(description="A credential assessment is not a licence.")


class RegulatorRef(BaseModel):
    slug: str
    acronym: str
    name: str
    sector: str


class ProfessionMatch(BaseModel):
    profession: ProfessionView
    regulator: RegulatorRef
    match: MatchKind = Field(description="How the query matched: exact, prefix, word, substring, "
                             "or words (every word of the query, in any order).")
    matched_text: str


class ProfessionResults(BaseModel):
    lang: Language
    q: str
    total: int
    offset: int
    limit: int
    items: list[ProfessionMatch]
