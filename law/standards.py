"""Service standards: the stages a standard can be set for, how its days count, and the project's
defaults where a regulator publishes none (facts/ontario.md s. 7: our choice, not the law)."""

from enum import StrEnum


class StandardStage(StrEnum):
    assessment = "assessment"
    regulator_review = "regulator_review"
    internal_committee = "internal_committee"
    appeal_board = "appeal_board"
    divisional_court = "divisional_court"


class DayCount(StrEnum):
    calendar = "calendar"
    business = "business"


# Project defaults, not law (facts/ontario.md s. 7): used where a regulator publishes no standard,
# and shown as defaults wherever they appear.
PROJECT_DEFAULTS: dict[StandardStage, tuple[int, DayCount]] = {
    StandardStage.assessment: (35, DayCount.business),
    StandardStage.regulator_review: (60, DayCount.business),
    StandardStage.internal_committee: (60, DayCount.business),
    StandardStage.appeal_board: (180, DayCount.calendar),
    StandardStage.divisional_court: (365, DayCount.calendar),
}
PROJECT_DEFAULT_SOURCE = "FairTrack project default (facts/ontario.md s. 7); not law"
