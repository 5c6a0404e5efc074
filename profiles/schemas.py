"""What an applicant may say about themselves, validated: closed lists, real country codes, sane dates."""

from datetime import date
from enum import StrEnum
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from fairtrack.columns import utcnow
from i18n import msg
from law.calendar import local_date


class ImmigrationStatus(StrEnum):
    """SPEC 2's list."""

    permanent_resident = "permanent_resident"
    protected_person = "protected_person"  # protected person or convention refugee
    refugee_claimant = "refugee_claimant"
    temporary_foreign_worker = "temporary_foreign_worker"
    international_student = "international_student"
    canadian_citizen = "canadian_citizen"
    abroad = "abroad"  # not yet arrived: applying before arrival


# English and French tests approved by IRCC for immigration (to verify against canada.ca; FARPACTA
# requires regulators to accept them, facts/ontario.md s. 4). Slugs match regulators/data.
IRCC_LANGUAGE_TESTS = ("celpip-general", "ielts-general", "pte-core", "tcf-canada", "tef-canada")

# ISO 3166-1 alpha-2, officially assigned codes.
_COUNTRY_TABLE = """
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV
BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES
ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE
IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU
NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM
SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE
VG VI VN VU WF WS YE YT ZA ZM ZW
"""
COUNTRIES = frozenset(_COUNTRY_TABLE.split())


class ProfileData(BaseModel):
    """The whole profile, as PUT replaces it: every field may be left empty."""

    model_config = ConfigDict(extra="forbid")

    immigration_status: ImmigrationStatus | None = None
    country_of_education: str | None = Field(
        default=None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2, e.g. PH"
    )
    started_before_arrival: bool | None = Field(
        default=None, description="Did you start this road before arriving in Canada?"
    )
    arrival_date: date | None = None
    language_test: str | None = Field(
        default=None, max_length=40, description=f"One of {list(IRCC_LANGUAGE_TESTS)}"
    )

    @field_validator("country_of_education")
    @classmethod
    def _country(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.upper()
        if value not in COUNTRIES:
            raise ValueError(msg("'{value}' is not an ISO 3166-1 alpha-2 country code", value=value))
        return value

    @field_validator("language_test")
    @classmethod
    def _test(cls, value: str | None) -> str | None:
        if value is not None and value not in IRCC_LANGUAGE_TESTS:
            raise ValueError(msg("'{value}' is not an IRCC-approved test: one of {tests}", value=value,
                                 tests=list(IRCC_LANGUAGE_TESTS)))
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.arrival_date is not None:
            if self.arrival_date > local_date(utcnow()):
                raise ValueError(msg("arrival_date is in the future"))
            if self.immigration_status is ImmigrationStatus.abroad:
                raise ValueError(msg("an applicant abroad has no arrival_date yet"))
        if self.immigration_status is ImmigrationStatus.abroad and self.started_before_arrival is False:
            raise ValueError(msg("an applicant abroad has started before arrival"))
        return self


class ProfileView(ProfileData):
    pass
