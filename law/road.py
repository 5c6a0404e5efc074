"""The road an application travels, as data: states, their stages and clocks, and the steps between.

Sources (see ../shared/facts/ontario.md): the health route follows the Health Professions Procedural
Code (Schedule 2 to the RHPA, 1991): the registrar may register, but must refer a proposed refusal or
terms, conditions and limitations to the Registration Committee; the committee's order may be taken
to HPARB, then to the Divisional Court. The non-health route follows FARPACTA ss. 8-9: a decision, an
internal review or appeal by the body, then the Divisional Court.
"""

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    intake = "intake"
    assessment = "assessment"
    regulator_review = "regulator_review"
    internal_committee = "internal_committee"
    decision = "decision"
    appeal_board = "appeal_board"
    divisional_court = "divisional_court"
    closed = "closed"


class Clock(StrEnum):
    """Whose move it is while an application sits in a state."""

    applicant = "applicant"
    assessor = "assessor"
    regulator = "regulator"
    tribunal = "tribunal"
    none = "none"


class Role(StrEnum):
    applicant = "applicant"
    regulator = "regulator"
    assessor = "assessor"
    tribunal = "tribunal"
    oversight = "oversight"
    admin = "admin"
    system = "system"


@dataclass(frozen=True)
class StateInfo:
    name: str
    stage: Stage
    clock: Clock


STATES: tuple[StateInfo, ...] = (
    StateInfo("draft", Stage.intake, Clock.applicant),
    StateInfo("assessment_requested", Stage.assessment, Clock.applicant),  # documents outstanding
    StateInfo("assessment_in_progress", Stage.assessment, Clock.assessor),
    StateInfo("submitted", Stage.regulator_review, Clock.regulator),
    StateInfo("under_review", Stage.regulator_review, Clock.regulator),
    StateInfo("information_requested", Stage.regulator_review, Clock.applicant),  # a pause
    StateInfo("referred_to_committee", Stage.internal_committee, Clock.applicant),  # 30-day window
    StateInfo("committee_review", Stage.internal_committee, Clock.regulator),
    StateInfo("requirements_outstanding", Stage.decision, Clock.applicant),
    StateInfo("refused_appealable", Stage.decision, Clock.applicant),  # appeal window open
    StateInfo("appeal_filed", Stage.appeal_board, Clock.tribunal),
    StateInfo("appeal_hearing", Stage.appeal_board, Clock.tribunal),
    StateInfo("appeal_dismissed", Stage.appeal_board, Clock.applicant),  # court window open
    StateInfo("court_filed", Stage.divisional_court, Clock.tribunal),
    StateInfo("court_hearing", Stage.divisional_court, Clock.tribunal),
    StateInfo("licensed", Stage.closed, Clock.none),
    StateInfo("refused", Stage.closed, Clock.none),
    StateInfo("withdrawn", Stage.closed, Clock.none),
    StateInfo("abandoned", Stage.closed, Clock.none),
)
STATE_INFO: dict[str, StateInfo] = {s.name: s for s in STATES}
INITIAL_STATE = "draft"
CLOSED_STATES = frozenset(s.name for s in STATES if s.stage is Stage.closed)
OPEN_STATES = tuple(s.name for s in STATES if s.stage is not Stage.closed)

# Who may fire each trigger (SPEC 3). The organization a staff caller must belong to is the one
# holding the application at that point of the road (see workflow.policy.holder).
TRIGGER_ROLES: dict[str, Role] = {
    "submit": Role.applicant,
    "withdraw": Role.applicant,
    "provide_information": Role.applicant,
    "request_appeal": Role.applicant,
    "file_court_appeal": Role.applicant,
    "start_assessment": Role.assessor,
    "request_documents": Role.assessor,
    "complete_assessment": Role.assessor,
    "begin_review": Role.regulator,
    "request_information": Role.regulator,
    "refer_to_committee": Role.regulator,
    "issue_decision": Role.regulator,
    "abandon": Role.regulator,
    "open_hearing": Role.tribunal,
    "decide_appeal": Role.tribunal,
    "record_court_filing": Role.tribunal,
    "decide_court": Role.tribunal,
    "lapse": Role.system,
}
# Steps another role records for a party: the act is that party's, whoever records it. The
# Divisional Court registry records the applicant's own filing of the appeal (record_court_filing),
# so that filing uses the applicant's court window, in time or late, and does not cut it short.
ACT_OF_PARTY: dict[str, Clock] = {
    "record_court_filing": Clock.applicant,
}

DECISION_OUTCOMES = ("registered", "registered_with_conditions", "requirements", "refused")
APPEAL_OUTCOMES = ("dismissed", "allowed", "remitted")
TRIGGER_OUTCOMES: dict[str, tuple[str, ...]] = {
    "issue_decision": DECISION_OUTCOMES,
    "decide_appeal": APPEAL_OUTCOMES,
    "decide_court": APPEAL_OUTCOMES,
}
# Outcomes that take something from the applicant must come with written reasons
# (RHPA Code: the committee's order and reasons are given in writing; FARPACTA s. 8).
OUTCOMES_NEEDING_REASONS = frozenset({"refused", "registered_with_conditions", "requirements"})

REQUIREMENT_CODES = (
    "examination",
    "bridging_program",
    "supervised_practice",
    "canadian_experience",
    "language_test",
    "additional_education",
    "other",
)


class Fact(StrEnum):
    """Facts about an application's route that steps depend on."""

    health = "health"  # RHPA route: refusals and conditions only through the committee
    third_party_assessment = "third_party_assessment"
    decided_by_committee = "decided_by_committee"  # the decision under appeal was the committee's


@dataclass(frozen=True)
class Step:
    trigger: str
    source: tuple[str, ...]
    dest: str
    outcome: str | None = None
    when: frozenset[Fact] = frozenset()
    unless: frozenset[Fact] = frozenset()


def _step(
    trigger: str,
    source: str | tuple[str, ...],
    dest: str,
    outcome: str | None = None,
    when: tuple[Fact, ...] = (),
    unless: tuple[Fact, ...] = (),
) -> Step:
    sources = (source,) if isinstance(source, str) else source
    return Step(trigger, sources, dest, outcome, frozenset(when), frozenset(unless))


H, TPA, BY_COMMITTEE = Fact.health, Fact.third_party_assessment, Fact.decided_by_committee
DECIDED = ("appeal_filed", "appeal_hearing")
IN_COURT = ("court_filed", "court_hearing")
APPLICANT_PAUSES = ("assessment_requested", "information_requested", "requirements_outstanding")

STEPS: tuple[Step, ...] = (
    _step("submit", "draft", "assessment_requested", when=(TPA,)),
    _step("submit", "draft", "submitted", unless=(TPA,)),
    _step("start_assessment", "assessment_requested", "assessment_in_progress"),
    _step("request_documents", "assessment_in_progress", "assessment_requested"),
    _step("complete_assessment", "assessment_in_progress", "submitted"),
    _step("begin_review", "submitted", "under_review"),
    _step("begin_review", "referred_to_committee", "committee_review"),
    _step("request_information", "under_review", "information_requested"),
    _step("provide_information", "information_requested", "under_review"),
    # Evidence that the requirements are met goes back to the registrar.
    _step("provide_information", "requirements_outstanding", "under_review"),
    _step("refer_to_committee", "under_review", "referred_to_committee"),
    # The registrar's own decisions. Under the RHPA Code the registrar cannot refuse or impose
    # conditions alone: those go to the Registration Committee (refer_to_committee).
    _step("issue_decision", "under_review", "licensed", outcome="registered"),
    _step("issue_decision", "under_review", "requirements_outstanding", outcome="requirements"),
    _step("issue_decision", "under_review", "licensed", "registered_with_conditions", unless=(H,)),
    _step("issue_decision", "under_review", "refused_appealable", outcome="refused", unless=(H,)),
    # The committee's decisions.
    _step("issue_decision", "committee_review", "licensed", outcome="registered"),
    _step("issue_decision", "committee_review", "licensed", outcome="registered_with_conditions"),
    _step("issue_decision", "committee_review", "requirements_outstanding", outcome="requirements"),
    _step("issue_decision", "committee_review", "refused_appealable", outcome="refused"),
    # Appeals: HPARB for health colleges, the body's own appeal committee otherwise. A committee's
    # order to complete requirements is appealable as well (RHPA Code).
    _step("request_appeal", "refused_appealable", "appeal_filed"),
    _step("request_appeal", "requirements_outstanding", "appeal_filed", when=(BY_COMMITTEE,)),
    _step("open_hearing", "appeal_filed", "appeal_hearing"),
    _step("decide_appeal", DECIDED, "appeal_dismissed", outcome="dismissed"),
    _step("decide_appeal", DECIDED, "licensed", outcome="allowed"),
    # Remitted: back to whoever made the decision under appeal.
    _step("decide_appeal", DECIDED, "committee_review", outcome="remitted", when=(BY_COMMITTEE,)),
    _step("decide_appeal", DECIDED, "under_review", outcome="remitted", unless=(BY_COMMITTEE,)),
    _step("file_court_appeal", "appeal_dismissed", "court_filed"),
    _step("record_court_filing", "appeal_dismissed", "court_filed"),
    _step("open_hearing", "court_filed", "court_hearing"),
    _step("decide_court", IN_COURT, "refused", outcome="dismissed"),
    _step("decide_court", IN_COURT, "licensed", outcome="allowed"),
    _step("decide_court", IN_COURT, "committee_review", outcome="remitted", when=(BY_COMMITTEE,)),
    _step("decide_court", IN_COURT, "under_review", outcome="remitted", unless=(BY_COMMITTEE,)),
    # Windows that close unused (fired by the scan, as the system).
    _step("lapse", "referred_to_committee", "committee_review"),
    _step("lapse", "refused_appealable", "refused"),
    _step("lapse", "appeal_dismissed", "refused"),
    _step("abandon", APPLICANT_PAUSES, "abandoned"),
    _step("withdraw", OPEN_STATES, "withdrawn"),
)
