"""The road an application travels, as data: states, their stages and clocks, and the steps between.

Sources (docs/sources.md): the health route follows the Health Professions Procedural Code
(Schedule 2 to the RHPA, 1991): the registrar may register, but must refer a proposed refusal or
terms, conditions and limitations to the Registration Committee; the committee's order may be taken
to HPARB, then to the Divisional Court. The non-health route follows FARPACTA ss. 8-9: a decision, an
internal review or appeal by the body, then the Divisional Court.

Everything that names a state, a trigger or an outcome reads it here: a new step is a line in STEPS
(and its trigger a member of Trigger with its role in TRIGGER_ROLES), nothing else.
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


class State(StrEnum):
    draft = "draft"
    assessment_requested = "assessment_requested"
    assessment_in_progress = "assessment_in_progress"
    submitted = "submitted"
    under_review = "under_review"
    information_requested = "information_requested"
    referred_to_committee = "referred_to_committee"
    committee_review = "committee_review"
    requirements_outstanding = "requirements_outstanding"
    refused_appealable = "refused_appealable"
    appeal_filed = "appeal_filed"
    appeal_hearing = "appeal_hearing"
    appeal_dismissed = "appeal_dismissed"
    court_filed = "court_filed"
    court_hearing = "court_hearing"
    licensed = "licensed"
    refused = "refused"
    withdrawn = "withdrawn"
    abandoned = "abandoned"


class Trigger(StrEnum):
    submit = "submit"
    withdraw = "withdraw"
    provide_information = "provide_information"
    request_appeal = "request_appeal"
    file_court_appeal = "file_court_appeal"
    start_assessment = "start_assessment"
    request_documents = "request_documents"
    complete_assessment = "complete_assessment"
    begin_review = "begin_review"
    request_information = "request_information"
    refer_to_committee = "refer_to_committee"
    issue_decision = "issue_decision"
    abandon = "abandon"
    open_hearing = "open_hearing"
    decide_appeal = "decide_appeal"
    record_court_filing = "record_court_filing"
    decide_court = "decide_court"
    lapse = "lapse"


class Outcome(StrEnum):
    registered = "registered"
    registered_with_conditions = "registered_with_conditions"
    requirements = "requirements"
    refused = "refused"
    dismissed = "dismissed"
    allowed = "allowed"
    remitted = "remitted"


class Requirement(StrEnum):
    """What a decision may require before registration (the codes a decision lists)."""

    examination = "examination"
    bridging_program = "bridging_program"
    supervised_practice = "supervised_practice"
    canadian_experience = "canadian_experience"
    language_test = "language_test"
    additional_education = "additional_education"
    other = "other"


@dataclass(frozen=True)
class StateInfo:
    name: State
    stage: Stage
    clock: Clock


S = State
STATES: tuple[StateInfo, ...] = (
    StateInfo(S.draft, Stage.intake, Clock.applicant),
    StateInfo(S.assessment_requested, Stage.assessment, Clock.applicant),  # documents outstanding
    StateInfo(S.assessment_in_progress, Stage.assessment, Clock.assessor),
    StateInfo(S.submitted, Stage.regulator_review, Clock.regulator),
    StateInfo(S.under_review, Stage.regulator_review, Clock.regulator),
    StateInfo(S.information_requested, Stage.regulator_review, Clock.applicant),  # a pause
    StateInfo(S.referred_to_committee, Stage.internal_committee, Clock.applicant),  # 30-day window
    StateInfo(S.committee_review, Stage.internal_committee, Clock.regulator),
    StateInfo(S.requirements_outstanding, Stage.decision, Clock.applicant),
    StateInfo(S.refused_appealable, Stage.decision, Clock.applicant),  # appeal window open
    StateInfo(S.appeal_filed, Stage.appeal_board, Clock.tribunal),
    StateInfo(S.appeal_hearing, Stage.appeal_board, Clock.tribunal),
    StateInfo(S.appeal_dismissed, Stage.appeal_board, Clock.applicant),  # court window open
    StateInfo(S.court_filed, Stage.divisional_court, Clock.tribunal),
    StateInfo(S.court_hearing, Stage.divisional_court, Clock.tribunal),
    StateInfo(S.licensed, Stage.closed, Clock.none),
    StateInfo(S.refused, Stage.closed, Clock.none),
    StateInfo(S.withdrawn, Stage.closed, Clock.none),
    StateInfo(S.abandoned, Stage.closed, Clock.none),
)
STATE_INFO: dict[str, StateInfo] = {s.name: s for s in STATES}
INITIAL_STATE = S.draft
CLOSED_STATES = frozenset(s.name for s in STATES if s.stage is Stage.closed)
OPEN_STATES = tuple(s.name for s in STATES if s.stage is not Stage.closed)
# Where the Divisional Court's registry acts for the tribunal role: from a dismissed appeal (a filing
# made at its counter) and while the case is before the court. Elsewhere the appeal body acts.
COURT_REGISTRY_STATES = frozenset({S.appeal_dismissed, S.court_filed, S.court_hearing})

T = Trigger
# Every application's first event: it opens the log, into INITIAL_STATE (no step of the machine).
CREATE_TRIGGER = "create"
# Who may fire each trigger (SPEC 3). The organization a staff caller must belong to is the one
# holding the application at that point of the road (see workflow.policy.holder).
TRIGGER_ROLES: dict[str, Role] = {
    T.submit: Role.applicant,
    T.withdraw: Role.applicant,
    T.provide_information: Role.applicant,
    T.request_appeal: Role.applicant,
    T.file_court_appeal: Role.applicant,
    T.start_assessment: Role.assessor,
    T.request_documents: Role.assessor,
    T.complete_assessment: Role.assessor,
    T.begin_review: Role.regulator,
    T.request_information: Role.regulator,
    T.refer_to_committee: Role.regulator,
    T.issue_decision: Role.regulator,
    T.abandon: Role.regulator,
    T.open_hearing: Role.tribunal,
    T.decide_appeal: Role.tribunal,
    T.record_court_filing: Role.tribunal,
    T.decide_court: Role.tribunal,
    T.lapse: Role.system,
}
# Steps another role records for a party: the act is that party's, whoever records it. The
# Divisional Court registry records the applicant's own filing of the appeal (record_court_filing),
# so that filing uses the applicant's court window, in time or late, and does not cut it short.
ACT_OF_PARTY: dict[str, Clock] = {
    T.record_court_filing: Clock.applicant,
}
# Steps that end the file by a party's choice (not a decision): they close windows without a finding.
ENDS_BY_CHOICE = frozenset({T.withdraw, T.abandon})
# The step with which the regulator's rules then in force come to govern the application (issue 3).
FIXES_RULES_VERSION = T.submit
# The step the periodic scan fires when a window closes unused.
LAPSE = T.lapse

Out = Outcome
DECISION_OUTCOMES = (Out.registered, Out.registered_with_conditions, Out.requirements, Out.refused)
APPEAL_OUTCOMES = (Out.dismissed, Out.allowed, Out.remitted)
TRIGGER_OUTCOMES: dict[str, tuple[str, ...]] = {
    T.issue_decision: DECISION_OUTCOMES,
    T.decide_appeal: APPEAL_OUTCOMES,
    T.decide_court: APPEAL_OUTCOMES,
}
# Outcomes that take something from the applicant must come with written reasons
# (RHPA Code: the committee's order and reasons are given in writing; FARPACTA s. 8).
OUTCOMES_NEEDING_REASONS = frozenset({Out.refused, Out.registered_with_conditions, Out.requirements})
# Outcomes that must list what they require.
OUTCOMES_LISTING_REQUIREMENTS = frozenset({Out.requirements})
REQUIREMENT_CODES = tuple(Requirement)


class Fact(StrEnum):
    """Facts about an application's route that steps depend on."""

    health = "health"  # RHPA route: refusals and conditions only through the committee
    third_party_assessment = "third_party_assessment"
    decided_by_committee = "decided_by_committee"  # the decision under appeal was the committee's


# Decisions remember who made them, so that a remitted appeal goes back there: a decision made in
# one of these states establishes the fact; a decision made anywhere else clears it.
DECIDERS: dict[str, Fact] = {S.committee_review: Fact.decided_by_committee}
DECISION_TRIGGERS = frozenset({T.issue_decision})


@dataclass(frozen=True)
class Step:
    trigger: Trigger
    source: tuple[State, ...]
    dest: State
    outcome: Outcome | None = None
    when: frozenset[Fact] = frozenset()
    unless: frozenset[Fact] = frozenset()


def _step(
    trigger: Trigger,
    source: State | tuple[State, ...],
    dest: State,
    outcome: Outcome | None = None,
    when: tuple[Fact, ...] = (),
    unless: tuple[Fact, ...] = (),
) -> Step:
    sources = (source,) if isinstance(source, State) else source
    return Step(trigger, sources, dest, outcome, frozenset(when), frozenset(unless))


H, TPA, BY_COMMITTEE = Fact.health, Fact.third_party_assessment, Fact.decided_by_committee
DECIDED = (S.appeal_filed, S.appeal_hearing)
IN_COURT = (S.court_filed, S.court_hearing)
APPLICANT_PAUSES = (S.assessment_requested, S.information_requested, S.requirements_outstanding)

STEPS: tuple[Step, ...] = (
    _step(T.submit, S.draft, S.assessment_requested, when=(TPA,)),
    _step(T.submit, S.draft, S.submitted, unless=(TPA,)),
    _step(T.start_assessment, S.assessment_requested, S.assessment_in_progress),
    _step(T.request_documents, S.assessment_in_progress, S.assessment_requested),
    _step(T.complete_assessment, S.assessment_in_progress, S.submitted),
    _step(T.begin_review, S.submitted, S.under_review),
    _step(T.begin_review, S.referred_to_committee, S.committee_review),
    _step(T.request_information, S.under_review, S.information_requested),
    _step(T.provide_information, S.information_requested, S.under_review),
    # Evidence that the requirements are met goes back to the registrar.
    _step(T.provide_information, S.requirements_outstanding, S.under_review),
    _step(T.refer_to_committee, S.under_review, S.referred_to_committee),
    # The registrar's own decisions. Under the RHPA Code the registrar cannot refuse or impose
    # conditions alone: those go to the Registration Committee (refer_to_committee).
    _step(T.issue_decision, S.under_review, S.licensed, Out.registered),
    _step(T.issue_decision, S.under_review, S.requirements_outstanding, Out.requirements),
    _step(T.issue_decision, S.under_review, S.licensed, Out.registered_with_conditions, unless=(H,)),
    _step(T.issue_decision, S.under_review, S.refused_appealable, Out.refused, unless=(H,)),
    # The committee's decisions.
    _step(T.issue_decision, S.committee_review, S.licensed, Out.registered),
    _step(T.issue_decision, S.committee_review, S.licensed, Out.registered_with_conditions),
    _step(T.issue_decision, S.committee_review, S.requirements_outstanding, Out.requirements),
    _step(T.issue_decision, S.committee_review, S.refused_appealable, Out.refused),
    # Appeals: HPARB for health colleges, the body's own appeal committee otherwise. A committee's
    # order to complete requirements is appealable as well (RHPA Code).
    _step(T.request_appeal, S.refused_appealable, S.appeal_filed),
    _step(T.request_appeal, S.requirements_outstanding, S.appeal_filed, when=(BY_COMMITTEE,)),
    _step(T.open_hearing, S.appeal_filed, S.appeal_hearing),
    _step(T.decide_appeal, DECIDED, S.appeal_dismissed, Out.dismissed),
    _step(T.decide_appeal, DECIDED, S.licensed, Out.allowed),
    # Remitted: back to whoever made the decision under appeal.
    _step(T.decide_appeal, DECIDED, S.committee_review, Out.remitted, when=(BY_COMMITTEE,)),
    _step(T.decide_appeal, DECIDED, S.under_review, Out.remitted, unless=(BY_COMMITTEE,)),
    _step(T.file_court_appeal, S.appeal_dismissed, S.court_filed),
    _step(T.record_court_filing, S.appeal_dismissed, S.court_filed),
    _step(T.open_hearing, S.court_filed, S.court_hearing),
    _step(T.decide_court, IN_COURT, S.refused, Out.dismissed),
    _step(T.decide_court, IN_COURT, S.licensed, Out.allowed),
    _step(T.decide_court, IN_COURT, S.committee_review, Out.remitted, when=(BY_COMMITTEE,)),
    _step(T.decide_court, IN_COURT, S.under_review, Out.remitted, unless=(BY_COMMITTEE,)),
    # Windows that close unused (fired by the scan, as the system).
    _step(T.lapse, S.referred_to_committee, S.committee_review),
    _step(T.lapse, S.refused_appealable, S.refused),
    _step(T.lapse, S.appeal_dismissed, S.refused),
    _step(T.abandon, APPLICANT_PAUSES, S.abandoned),
    _step(T.withdraw, OPEN_STATES, S.withdrawn),
)
