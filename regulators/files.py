"""The shape of the registry's data files (a regulator's rules, an assessor), validated when it loads."""

from datetime import date
from enum import StrEnum
from typing import Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from law.standards import PROJECT_DEFAULT_SOURCE, PROJECT_DEFAULTS, DayCount, StandardStage

SLUG = r"^[a-z0-9][a-z0-9-]*$"


class Sector(StrEnum):
    health = "health"  # Regulated Health Professions Act, 1991: Registration Committee, then HPARB
    non_health = "non_health"  # FARPACTA Schedule 1: internal review or appeal by the body
    trades = "trades"  # Skilled Trades Ontario, also under FARPACTA


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Names(Strict):
    en: str = Field(min_length=1, max_length=255)
    fr: str = Field(min_length=1, max_length=255)


class LicenceClass(Strict):
    code: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=80)
    name: Names


class Profession(Strict):
    slug: str = Field(pattern=SLUG, max_length=80)
    name: Names
    noc: list[str] = Field(default_factory=list)  # NOC 2021 unit groups: five digits
    licence_classes: list[LicenceClass] = Field(min_length=1)

    @model_validator(mode="after")
    def _noc_codes(self) -> Self:
        for code in self.noc:
            if not (len(code) == 5 and code.isdigit()):
                raise ValueError(f"NOC 2021 codes have five digits; '{code}' does not")
        if len(set(self.noc)) != len(self.noc):
            raise ValueError("a NOC code is listed twice")
        return self


class Body(Strict):
    """A committee or tribunal that hears an applicant: the organization its staff belong to."""

    slug: str = Field(pattern=SLUG, max_length=80)
    name: Names


class ServiceStandard(Strict):
    """Days a stage should take. An unpublished one names no figure: it takes the project default."""

    stage: StandardStage
    published: bool
    days: int = Field(gt=0, le=3650)
    counting: DayCount
    source: str = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _apply_project_default(cls, raw: Any) -> Any:
        if not isinstance(raw, dict) or raw.get("published") is not False:
            if isinstance(raw, dict) and raw.get("published") is True and not raw.get("source"):
                raise ValueError("a published standard needs its 'source' (where it is published)")
            return raw
        try:
            days, counting = PROJECT_DEFAULTS[StandardStage(str(raw.get("stage")))]
        except ValueError:
            return raw  # the stage itself is wrong: let field validation name it
        given = (raw.get("days", days), DayCount(raw.get("counting", counting)))
        if given != (days, counting):
            raise ValueError(
                f"an unpublished standard uses the project default ({days} {counting.value} "
                "days); give the regulator's published figure with published = true and a source"
            )
        return {**raw, "days": days, "counting": counting.value,
                "source": raw.get("source", PROJECT_DEFAULT_SOURCE)}

    @property
    def is_default(self) -> bool:
        return not self.published


class ExemptionStatus(StrEnum):
    granted = "granted"  # the Minister granted an exemption (FARPACTA s. 10.2)
    none = "none"  # a source read on that day shows none held
    # No dated record says either: the status needs review, it is never assumed to be "none".
    unknown = "unknown"


class ExemptionRecord(Strict):
    """A dated fact about a regulator's exemption from the Canadian experience ban, with its
    source: from `on`, the status holds until a later record says otherwise."""

    status: Literal["granted", "none"]
    on: date
    source: str = Field(min_length=1)
    scope: str | None = None

    @model_validator(mode="after")
    def _scope_with_grant(self) -> Self:
        if self.status == "granted" and not self.scope:
            raise ValueError("a granted exemption needs its 'scope'")
        return self


class Oversight(StrEnum):
    """Whether the Fairness Commissioner's oversight of the body is confirmed (FARPACTA Schedule 1
    or the RHPA), or still to verify."""

    confirmed = "confirmed"
    to_verify = "to_verify"


class Regulator(Strict):
    slug: str = Field(pattern=SLUG, max_length=80)
    acronym: str = Field(min_length=1, max_length=40)
    name: Names
    sector: Sector
    statute: str = Field(min_length=1)
    website: str = Field(pattern=r"^https://[^\s]+$")
    rules_version: int = Field(ge=1)
    effective_date: date
    third_party_assessment: bool
    assessors: list[str] = Field(default_factory=list)
    internal_committee: Body
    appeal_body: Body
    professions: list[Profession] = Field(min_length=1)
    service_standards: list[ServiceStandard]
    # Dated records with their source; none recorded: the status is unknown (needs review).
    canadian_experience_exemptions: list[ExemptionRecord] = Field(default_factory=list)
    accepted_language_tests: list[str] = Field(default_factory=list)
    # Where the accepted tests are published; without one the list is not relied on (to verify)
    # and the language_test flag stays silent for this regulator.
    accepted_language_tests_source: str | None = Field(default=None, min_length=1)
    oversight: Oversight = Oversight.confirmed
    to_verify: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        self._check_standards()
        self._check_unique_codes()
        if self.assessors and not self.third_party_assessment:
            raise ValueError("assessors: listed, but third_party_assessment is false")
        return self

    def _check_standards(self) -> None:
        # Every stage of the route has a line, so that a reviewer decides each one: a published
        # figure with its source, or `published = false` for the project default.
        stages = [s.stage for s in self.service_standards]
        if len(set(stages)) != len(stages):
            raise ValueError("service_standards: a stage is listed twice")
        expected = set(StandardStage)
        if not self.third_party_assessment:
            expected.discard(StandardStage.assessment)
        missing = sorted(expected - set(stages))
        if missing:
            raise ValueError(
                f"service_standards: no entry for {missing}; write "
                "{ stage = \"...\", published = false } where the regulator publishes none"
            )
        if StandardStage.assessment in stages and not self.third_party_assessment:
            raise ValueError("service_standards: 'assessment' given but the regulator assesses "
                             "credentials itself (third_party_assessment = false)")

    def _check_unique_codes(self) -> None:
        codes = [c.code for p in self.professions for c in p.licence_classes]
        if len(set(codes)) != len(codes):
            raise ValueError("professions: a licence class code is used twice")
        slugs = [p.slug for p in self.professions]
        if len(set(slugs)) != len(slugs):
            raise ValueError("professions: a profession slug is used twice")
        for test in self.accepted_language_tests:
            if not test or not test.replace("-", "").isalnum() or test != test.lower():
                raise ValueError(f"accepted_language_tests: '{test}' is not a lower-case slug")

    def exemption_on(self, day: date) -> tuple[ExemptionStatus, ExemptionRecord | None]:
        """The Canadian experience exemption status on a day: the latest record on or before it,
        else unknown."""
        records = sorted((r for r in self.canadian_experience_exemptions if r.on <= day),
                         key=lambda r: r.on)
        if not records:
            return ExemptionStatus.unknown, None
        return ExemptionStatus(records[-1].status), records[-1]

    @property
    def language_tests_known(self) -> bool:
        return bool(self.accepted_language_tests) and self.accepted_language_tests_source is not None

    def licence_class(self, code: str) -> LicenceClass | None:
        for profession in self.professions:
            for licence_class in profession.licence_classes:
                if licence_class.code == code:
                    return licence_class
        return None

    def standard(self, stage: StandardStage) -> ServiceStandard | None:
        for standard in self.service_standards:
            if standard.stage is stage:
                return standard
        return None


class Assessor(Strict):
    slug: str = Field(pattern=SLUG, max_length=80)
    acronym: str = Field(min_length=1, max_length=40)
    name: Names
    website: str = Field(pattern=r"^https://[^\s]+$")
    designation: str  # who designates or recognizes it, e.g. IRCC for educational credentials
    to_verify: list[str] = Field(default_factory=list)
