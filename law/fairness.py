"""What fairness flags test against: the rules they cite, from when they apply, and the project's
thresholds (defaults, not law: facts/ontario.md s. 7). docs/law.md lists them (FLAG_LAWS)."""

from dataclasses import dataclass
from datetime import date

# Project defaults (facts/ontario.md s. 7), not law.
AT_RISK_DAYS = 7  # calendar days before an applicant's window closes
URGENT_DAYS = 2  # project choice: an at-risk window this close is high severity
RECORDING_LAG_DAYS = 10  # business days between occurring and recording
# The tolerance for back-dating: an event recorded more than this many business days after the
# day it says it occurred needs a written reason and raises a high flag, because it moves time
# from one party's clock to another's (the project default for a recording lag, facts s. 7).
BACKDATING_TOLERANCE_DAYS = RECORDING_LAG_DAYS
# Project choice for `delay`'s "severity by how far": share of the standard overrun.
DELAY_GRADES = ((0.25, "low"), (1.0, "medium"))

# FARPACTA s. 10.2 (Working for Workers Act, 2021): a Canadian experience requirement is void after
# 2 December 2023 unless an exemption is obtained (regulatory posting 40847; facts s. 4, confirmed).
CANADIAN_EXPERIENCE_BAN_FROM = date(2023, 12, 2)
CANADIAN_EXPERIENCE_RULE = (
    "FARPACTA s. 10.2 (Working for Workers Act, 2021): no Canadian work experience requirement "
    "for registration unless an exemption is obtained; void after 2 December 2023"
)
# The RHPA defines "Canadian experience" (s. 1(1), consolidation of 1 July 2024); the Code rule
# that bans it for health colleges, and from when, are not verified: until they are, a health
# college's requirement is flagged as needing review, never as a high finding.
HEALTH_CANADIAN_EXPERIENCE_RULE = (
    "RHPA s. 1(1) defines Canadian experience (consolidation of 1 July 2024); the matching "
    "Health Professions Procedural Code rule and its date are to verify"
)
HEALTH_CANADIAN_EXPERIENCE_FROM: date | None = None  # to verify
ALTERNATIVES_RULE = (
    "FARPACTA s. 10.2(1.1) and O. Reg. 378/23 (filed 7 December 2023): Canadian experience may "
    "be accepted only if international alternatives giving substantially similar competencies "
    "are accepted too; a requirement that accepts them is not a violation"
)
LANGUAGE_TEST_RULE = (
    "FARPACTA as amended: regulators must accept English/French tests approved under IRPA "
    "(section and regulation numbers to verify)"
)
REASONS_RULE = (
    "Written reasons: RHPA Code (the committee's order and reasons in writing); FARPACTA s. 8"
)
# O. Reg. 479/24 (filed 29 November 2024, amending O. Reg. 261/22; confirmed): FARPACTA bodies
# give written decisions with reasons within 10 business days. The section and the day it came
# into force are to verify: until then it is applied to decisions from its filing day.
WRITTEN_DECISION_DAYS = 10
WRITTEN_DECISION_FROM = date(2024, 11, 29)
WRITTEN_DECISION_RULE = (
    "O. Reg. 479/24 (amending O. Reg. 261/22 under FARPACTA): a written decision with reasons "
    "within 10 business days (section and in-force date to verify; applied from its filing on "
    "29 November 2024)"
)
SUBMISSIONS_RULE = (
    "Health Professions Procedural Code s. 15(3) (to verify): 30 days for written submissions "
    "after notice of a referral; a committee deciding before the last day without a written "
    "waiver cuts them short"
)


@dataclass(frozen=True)
class FlagLaw:
    """A flag kind as docs/law.md states it: the rule, its source and how sure we are."""

    kind: str
    rule: str
    source: str  # a key of law.sources.SOURCES
    status: str  # "confirmed", "to verify" or "project default"
    threshold: str


FLAG_LAWS: tuple[FlagLaw, ...] = (
    FlagLaw("delay", "an open stage past its service standard (the regulator's published "
            "figure, else the project default), pauses on the applicant's clock excluded",
            "facts", "project default",
            f"severity by the share overrun: {DELAY_GRADES}, else high"),
    FlagLaw("statutory_limit", "a window acted on after its last day, or cut short by another "
            f"party (high); {SUBMISSIONS_RULE}", "Code", "to verify",
            "late: medium; cut short: high"),
    FlagLaw("deadline_at_risk", "an applicant's window or response deadline closing soon",
            "facts", "project default",
            f"{AT_RISK_DAYS} calendar days before; high within {URGENT_DAYS}"),
    FlagLaw("canadian_experience", f"{CANADIAN_EXPERIENCE_RULE}; {ALTERNATIVES_RULE}",
            "FARPACTA", "confirmed",
            "FARPACTA body, decision from 2 December 2023, alternatives not accepted: high unless "
            "an exemption is recorded (granted: low; status unknown: medium, needs review)"),
    FlagLaw("canadian_experience (health college)", HEALTH_CANADIAN_EXPERIENCE_RULE, "RHPA",
            "to verify", "medium at most, marked to verify, until the rule and date are verified"),
    FlagLaw("language_test", f"{LANGUAGE_TEST_RULE}; only against a list of accepted tests "
            "that cites its source (else the regulator is to verify and nothing is flagged)",
            "IRPA", "to verify", "medium"),
    FlagLaw("no_reasons", f"{REASONS_RULE}; every tribunal and court decision needs reasons or "
            "the decision document (refused at the door since issue 9; the rule still reads old "
            "records)", "Code", "confirmed", "refusal or dismissal: high; terms or requirements: "
            "medium"),
    FlagLaw("recording_lag", "an event recorded more than the tolerance after the day it says it "
            "occurred (back-dated): it needs a written reason and moves time between clocks",
            "facts", "project default",
            f"{BACKDATING_TOLERANCE_DAYS} business days; beyond: high"),
    FlagLaw("written_decision_late", WRITTEN_DECISION_RULE, "O. Reg. 479/24", "to verify",
            f"a FARPACTA body's decision sent more than {WRITTEN_DECISION_DAYS} business days "
            "after it was made: medium"),
)
