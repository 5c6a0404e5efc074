"""What fairness flags test against: the rules they cite and the project's thresholds (defaults,
not law: facts/ontario.md s. 7)."""

# Project defaults (facts/ontario.md s. 7), not law.
AT_RISK_DAYS = 7  # calendar days before an applicant's window closes
URGENT_DAYS = 2  # project choice: an at-risk window this close is high severity
RECORDING_LAG_DAYS = 10  # business days between occurring and recording
# Project choice for `delay`'s "severity by how far": share of the standard overrun.
DELAY_GRADES = ((0.25, "low"), (1.0, "medium"))

CANADIAN_EXPERIENCE_RULE = (
    "FARPACTA as amended by the Working for Workers Act, 2021: no Canadian work experience "
    "requirement unless the Minister grants an exemption (in force 2 December 2023, to verify)"
)
LANGUAGE_TEST_RULE = (
    "FARPACTA as amended: regulators must accept English/French tests approved under IRPA "
    "(section and regulation numbers to verify)"
)
REASONS_RULE = (
    "Written reasons: RHPA Code (the committee's order and reasons in writing); FARPACTA s. 8"
)
