"""The shape of a regulator's and an assessor's data file, validated when the registry loads."""

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Sector(StrEnum):
    health = "health"  # Regulated Health Professions Act, 1991: Registration Committee, then HPARB
    non_health = "non_health"  # FARPACTA Schedule 1: internal review or appeal by the body
    trades = "trades"  # Skilled Trades Ontario, also under FARPACTA


class StandardStage(StrEnum):
    assessment = "assessment"
    regulator_review = "regulator_review"
    internal_committee = "internal_committee"
    appeal_board = "appeal_board"
    divisional_court = "divisional_court"


class DayCount(StrEnum):
    calendar = "calendar"
    business = "business"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(Strict):
    en: str = Field(min_length=1)
    fr: str = Field(min_length=1)


class LicenceClass(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    name: Names


class Profession(Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Names
    noc: list[str] = Field(default_factory=list)  # NOC 2021 codes, five digits
    licence_classes: list[LicenceClass] = Field(min_length=1)


class Body(Strict):
    """A committee or tribunal that hears an applicant: the organization its staff belong to."""

    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    name: Names


class ServiceStandard(Strict):
    stage: StandardStage
    days: int = Field(gt=0)
    counting: DayCount
    published: bool  # False: the regulator publishes none; this is the project default
    source: str | None = None


class CanadianExperienceExemption(Strict):
    granted: bool = False
    scope: str | None = None
    granted_on: date | None = None


class Regulator(Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    acronym: str
    name: Names
    sector: Sector
    statute: str
    website: str
    rules_version: int = Field(ge=1)
    effective_date: date
    third_party_assessment: bool
    assessors: list[str] = Field(default_factory=list)
    internal_committee: Body
    appeal_body: Body
    professions: list[Profession] = Field(min_length=1)
    service_standards: list[ServiceStandard] = Field(default_factory=list)
    canadian_experience_exemption: CanadianExperienceExemption = CanadianExperienceExemption()
    accepted_language_tests: list[str] = Field(default_factory=list)
    to_verify: list[str] = Field(default_factory=list)

    def licence_class(self, code: str) -> LicenceClass | None:
        for profession in self.professions:
            for licence_class in profession.licence_classes:
                if licence_class.code == code:
                    return licence_class
        return None


class Assessor(Strict):
    slug: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    acronym: str
    name: Names
    website: str
    designation: str  # who designates or recognizes it, e.g. IRCC for educational credentials
    to_verify: list[str] = Field(default_factory=list)
