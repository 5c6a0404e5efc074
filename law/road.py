"""The road an application travels, as data: states, their stages and clocks, and the steps between.

Sources (docs/sources.md, docs/law.md; facts/ontario.md ss. 3-4): the health route follows the
Health Professions Procedural Code (Schedule 2 to the RHPA, 1991): the registrar may register, or
refer to the Registration Committee (doubts, a proposed refusal, terms the applicant does not
accept); the registrar cannot refuse or set requirements alone. Every committee order but a plain
registration may be taken to HPARB (a review or a hearing), whose orders a party (the applicant or
the college) may appeal to the Divisional Court. The non-health route follows FARPACTA ss. 8-9: a
decision, an internal review or appeal by the body of every decision that is not a plain
registration, then the Divisional Court.

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
    assessment_queued = "assessment_queued"  # with the assessor, not yet started
    assessment_requested = "assessment_requested"
    assessment_in_progress = "assessment_in_progress"
    submitted = "submitted"
    under_review = "under_review"
    information_requested = "information_requested"
    referred_to_committee = "referred_to_committee"
    committee_review = "committee_review"
    requirements_outstanding = "requirements_outstanding"
    refused_appealable = "refused_appealable"
    conditions_appealable = "conditions_appealable"  # registered with terms; a review may be asked
    appeal_filed = "appeal_filed"
    appeal_hearing = "appeal_hearing"
    appeal_dismissed = "appeal_dismissed"
    appeal_board_ordered = "appeal_board_ordered"  # HPARB required the committee to make an order
    court_filed = "court_filed"
    court_hearing = "court_hearing"
    court_filed_by_college = "court_filed_by_college"
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
    make_submissions = "make_submissions"
    waive_submissions = "waive_submissions"
    record_receipt = "record_receipt"
    college_court_appeal = "college_court_appeal"
    extend_appeal_time = "extend_appeal_time"
    extend_court_time = "extend_court_time"


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
    # Submitted to the assessor: from then on the time is the assessor's, not the applicant's.
    StateInfo(S.assessment_queued, Stage.assessment, Clock.assessor),
    StateInfo(S.assessment_requested, Stage.assessment, Clock.applicant),  # documents outstanding
    StateInfo(S.assessment_in_progress, Stage.assessment, Clock.assessor),
    StateInfo(S.submitted, Stage.regulator_review, Clock.regulator),
    StateInfo(S.under_review, Stage.regulator_review, Clock.regulator),
    StateInfo(S.information_requested, Stage.regulator_review, Clock.applicant),  # a pause
    StateInfo(S.referred_to_committee, Stage.internal_committee, Clock.applicant),  # 30-day window
    StateInfo(S.committee_review, Stage.internal_committee, Clock.regulator),
    StateInfo(S.requirements_outstanding, Stage.decision, Clock.applicant),
    StateInfo(S.refused_appealable, Stage.decision, Clock.applicant),  # appeal window open
    StateInfo(S.conditions_appealable, Stage.decision, Clock.applicant),  # appeal window open
    StateInfo(S.appeal_filed, Stage.appeal_board, Clock.tribunal),
    StateInfo(S.appeal_hearing, Stage.appeal_board, Clock.tribunal),
    StateInfo(S.appeal_dismissed, Stage.appeal_board, Clock.applicant),  # court window open
    # The committee is to carry out HPARB's order; both parties' court windows run meanwhile.
    StateInfo(S.appeal_board_ordered, Stage.decision, Clock.regulator),
    StateInfo(S.court_filed, Stage.divisional_court, Clock.tribunal),
    StateInfo(S.court_hearing, Stage.divisional_court, Clock.tribunal),
    StateInfo(S.court_filed_by_college, Stage.divisional_court, Clock.tribunal),
    StateInfo(S.licensed, Stage.closed, Clock.none),
    StateInfo(S.refused, Stage.closed, Clock.none),
    StateInfo(S.withdrawn, Stage.closed, Clock.none),
    StateInfo(S.abandoned, Stage.closed, Clock.none),
)
STATE_INFO: dict[str, StateInfo] = {s.name: s for s in STATES}
INITIAL_STATE = S.draft
CLOSED_STATES = frozenset(s.name for s in STATES if s.stage is Stage.closed)
OPEN_STATES = tuple(s.name for s in STATES if s.stage is not Stage.closed)
# Where the Divisional Court's registry acts for the tribunal role: from an appeal board's decision
# (a filing made at its counter) and while the case is before the court. Elsewhere the appeal body
# acts.
COURT_REGISTRY_STATES = frozenset({S.appeal_dismissed, S.appeal_board_ordered, S.court_filed,
                                   S.court_hearing, S.court_filed_by_college})

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
    T.make_submissions: Role.applicant,
    T.waive_submissions: Role.applicant,
    T.record_receipt: Role.applicant,
    T.college_court_appeal: Role.regulator,
    T.extend_appeal_time: Role.tribunal,
    T.extend_court_time: Role.tribunal,
}
# Tribunal steps that are the Divisional Court's wherever the application stands (elsewhere the
# state says which tribunal acts): extending the time to appeal to it, even once it lapsed.
COURT_TRIGGERS = frozenset({T.extend_court_time})
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
# Steps that lengthen a window (or reopen it after it lapsed): a tribunal's or the court's order.
EXTENSIONS = frozenset({T.extend_appeal_time, T.extend_court_time})

Out = Outcome
DECISION_OUTCOMES = (Out.registered, Out.registered_with_conditions, Out.requirements, Out.refused)
# HPARB confirms the committee's order (dismissed), requires it to make an order it could have made
# (registered, registered_with_conditions, requirements) or refers the matter back (remitted);
# other appeal bodies and the court dismiss, allow or remit.
BOARD_ORDERS = (Out.registered, Out.registered_with_conditions, Out.requirements)
APPEAL_OUTCOMES = (Out.dismissed, Out.allowed, *BOARD_ORDERS, Out.remitted)
COURT_OUTCOMES = (Out.dismissed, Out.allowed, Out.remitted)
TRIGGER_OUTCOMES: dict[str, tuple[str, ...]] = {
    T.issue_decision: DECISION_OUTCOMES,
    T.decide_appeal: APPEAL_OUTCOMES,
    T.decide_court: COURT_OUTCOMES,
}
# A tribunal's or the court's decision: each needs written reasons or the decision document.
TRIBUNAL_DECISIONS = frozenset({T.decide_appeal, T.decide_court})
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
# Where the applicant may record when a notice or decision reached them: the states a window
# running from receipt opens in.
RECEIPT_STATES = (S.referred_to_committee, S.refused_appealable, S.requirements_outstanding,
                  S.conditions_appealable)
# Where HPARB's order stands and either party's court window runs.
BOARD_ORDER = S.appeal_board_ordered

STEPS: tuple[Step, ...] = (
    # A third-party assessment starts with the assessor: the wait for them is theirs.
    _step(T.submit, S.draft, S.assessment_queued, when=(TPA,)),
    _step(T.submit, S.draft, S.submitted, unless=(TPA,)),
    _step(T.start_assessment, (S.assessment_queued, S.assessment_requested),
          S.assessment_in_progress),
    _step(T.request_documents, S.assessment_in_progress, S.assessment_requested),
    _step(T.complete_assessment, S.assessment_in_progress, S.submitted),
    _step(T.begin_review, S.submitted, S.under_review),
    # The committee may take up the file while the applicant's submission window still runs; the
    # window runs to its last day all the same (law/windows.py).
    _step(T.begin_review, S.referred_to_committee, S.committee_review),
    _step(T.request_information, S.under_review, S.information_requested),
    _step(T.provide_information, S.information_requested, S.under_review),
    # Evidence that the requirements are met goes back to the registrar.
    _step(T.provide_information, S.requirements_outstanding, S.under_review),
    # A health college's referral gives the applicant 30 days for written submissions (Code); a
    # FARPACTA body's referral puts the file with its committee, on the body's clock.
    _step(T.refer_to_committee, S.under_review, S.referred_to_committee, when=(H,)),
    _step(T.refer_to_committee, S.under_review, S.committee_review, unless=(H,)),
    _step(T.make_submissions, S.referred_to_committee, S.referred_to_committee, when=(H,)),
    _step(T.make_submissions, S.committee_review, S.committee_review, when=(H,)),
    _step(T.waive_submissions, S.referred_to_committee, S.committee_review, when=(H,)),
    _step(T.waive_submissions, S.committee_review, S.committee_review, when=(H,)),
    # The registrar's own decisions. Under the RHPA Code the registrar registers, or registers with
    # terms the applicant accepts; a refusal, terms not accepted and requirements go to the
    # Registration Committee (refer_to_committee). A FARPACTA body decides in review; every
    # decision but a plain registration may be reviewed (FARPACTA s. 9).
    _step(T.issue_decision, S.under_review, S.licensed, Out.registered),
    _step(T.issue_decision, S.under_review, S.licensed, Out.registered_with_conditions, when=(H,)),
    _step(T.issue_decision, S.under_review, S.conditions_appealable, Out.registered_with_conditions,
          unless=(H,)),
    _step(T.issue_decision, S.under_review, S.requirements_outstanding, Out.requirements,
          unless=(H,)),
    _step(T.issue_decision, S.under_review, S.refused_appealable, Out.refused, unless=(H,)),
    # The committee's orders: every one but a plain registration may be taken to HPARB (Code).
    _step(T.issue_decision, S.committee_review, S.licensed, Out.registered),
    _step(T.issue_decision, S.committee_review, S.conditions_appealable,
          Out.registered_with_conditions),
    _step(T.issue_decision, S.committee_review, S.requirements_outstanding, Out.requirements),
    _step(T.issue_decision, S.committee_review, S.refused_appealable, Out.refused),
    # The committee carries out the order HPARB required of it.
    _step(T.issue_decision, BOARD_ORDER, S.licensed, Out.registered, when=(H,)),
    _step(T.issue_decision, BOARD_ORDER, S.licensed, Out.registered_with_conditions, when=(H,)),
    _step(T.issue_decision, BOARD_ORDER, S.requirements_outstanding, Out.requirements, when=(H,)),
    *(_step(T.record_receipt, state, state) for state in RECEIPT_STATES),
    # Appeals: HPARB for health colleges (of the committee's orders), the body's internal review
    # or appeal otherwise (of any decision but a plain registration).
    _step(T.request_appeal, S.refused_appealable, S.appeal_filed),
    _step(T.request_appeal, S.conditions_appealable, S.appeal_filed),
    _step(T.request_appeal, S.requirements_outstanding, S.appeal_filed, when=(H, BY_COMMITTEE)),
    _step(T.request_appeal, S.requirements_outstanding, S.appeal_filed, unless=(H,)),
    _step(T.open_hearing, S.appeal_filed, S.appeal_hearing),
    _step(T.decide_appeal, DECIDED, S.appeal_dismissed, Out.dismissed),
    _step(T.decide_appeal, DECIDED, S.licensed, Out.allowed, unless=(H,)),
    _step(T.decide_appeal, DECIDED, BOARD_ORDER, Out.registered, when=(H,)),
    _step(T.decide_appeal, DECIDED, BOARD_ORDER, Out.registered_with_conditions, when=(H,)),
    _step(T.decide_appeal, DECIDED, BOARD_ORDER, Out.requirements, when=(H,)),
    # Remitted: back to whoever made the decision under appeal.
    _step(T.decide_appeal, DECIDED, S.committee_review, Out.remitted, when=(BY_COMMITTEE,)),
    _step(T.decide_appeal, DECIDED, S.under_review, Out.remitted, unless=(BY_COMMITTEE,)),
    # The Divisional Court: either party may appeal the appeal board's decision.
    _step(T.file_court_appeal, (S.appeal_dismissed, BOARD_ORDER), S.court_filed),
    _step(T.record_court_filing, (S.appeal_dismissed, BOARD_ORDER), S.court_filed),
    _step(T.college_court_appeal, BOARD_ORDER, S.court_filed_by_college, when=(H,)),
    _step(T.open_hearing, S.court_filed, S.court_hearing),
    _step(T.decide_court, IN_COURT, S.refused, Out.dismissed),
    _step(T.decide_court, IN_COURT, S.licensed, Out.allowed),
    _step(T.decide_court, IN_COURT, S.committee_review, Out.remitted, when=(BY_COMMITTEE,)),
    _step(T.decide_court, IN_COURT, S.under_review, Out.remitted, unless=(BY_COMMITTEE,)),
    # The college's appeal: dismissed, HPARB's order stands; allowed, the committee decides again;
    # remitted, back to HPARB.
    _step(T.decide_court, S.court_filed_by_college, BOARD_ORDER, Out.dismissed),
    _step(T.decide_court, S.court_filed_by_college, S.committee_review, Out.allowed),
    _step(T.decide_court, S.court_filed_by_college, S.appeal_filed, Out.remitted),
    # Windows that close unused (fired by the scan, as the system, once the last day has passed).
    _step(T.lapse, S.referred_to_committee, S.committee_review),
    _step(T.lapse, S.refused_appealable, S.refused),
    _step(T.lapse, S.conditions_appealable, S.licensed),
    _step(T.lapse, S.appeal_dismissed, S.refused),
    # A tribunal or the court extends a window, or reopens one that lapsed (an order with reasons:
    # HPARB; Rules of Civil Procedure r. 3.02).
    _step(T.extend_appeal_time, S.refused_appealable, S.refused_appealable),
    _step(T.extend_appeal_time, S.conditions_appealable, S.conditions_appealable),
    _step(T.extend_appeal_time, S.requirements_outstanding, S.requirements_outstanding,
          when=(H, BY_COMMITTEE)),
    _step(T.extend_appeal_time, S.requirements_outstanding, S.requirements_outstanding,
          unless=(H,)),
    _step(T.extend_appeal_time, S.refused, S.refused_appealable),
    _step(T.extend_court_time, S.appeal_dismissed, S.appeal_dismissed),
    _step(T.extend_court_time, BOARD_ORDER, BOARD_ORDER),
    _step(T.extend_court_time, S.refused, S.appeal_dismissed),
    _step(T.abandon, APPLICANT_PAUSES, S.abandoned),
    _step(T.withdraw, OPEN_STATES, S.withdrawn),
)


class Detail(StrEnum):
    """What an event may say besides its trigger and outcome (workflow.schemas.EventRequest)."""

    reasons = "reasons"
    requirements = "requirements"
    note = "note"
    documents = "documents"
    sent_on = "sent_on"  # when the notice or decision was sent
    sent_by = "sent_by"  # how: law.windows.SentBy
    received_on = "received_on"  # when it actually reached the applicant
    served_on = "served_on"  # when the notice of appeal was served (r. 61.04)
    respond_by = "respond_by"  # the response deadline given with a request
    review_or_hearing = "review_or_hearing"  # what the applicant requires of HPARB
    consent_to_conditions = "consent_to_conditions"  # the applicant accepts the registrar's terms
    alternatives_accepted = "alternatives_accepted"  # Canadian experience: O. Reg. 378/23
    window = "window"  # the window an extension lengthens
    until = "until"  # an extension's new last day
    backdated_because = "backdated_because"  # why an event is recorded long after it occurred


# Steps that send the applicant a notice or a decision: they may say when and how it was sent.
NOTICES = frozenset({T.refer_to_committee, T.issue_decision, T.decide_appeal, T.decide_court,
                     T.request_information, T.request_documents})
COURT_FILINGS = frozenset({T.file_court_appeal, T.record_court_filing, T.college_court_appeal})
REQUESTS = frozenset({T.request_information, T.request_documents, T.issue_decision})
# Which steps may carry each detail (a detail not listed may go with any step).
DETAIL_TRIGGERS: dict[Detail, frozenset[str]] = {
    Detail.sent_on: NOTICES,
    Detail.sent_by: NOTICES,
    Detail.received_on: NOTICES | {T.record_receipt},
    Detail.served_on: COURT_FILINGS,
    Detail.respond_by: REQUESTS,
    Detail.review_or_hearing: frozenset({T.request_appeal}),
    Detail.consent_to_conditions: frozenset({T.issue_decision}),
    Detail.alternatives_accepted: frozenset({T.issue_decision}),
    Detail.window: EXTENSIONS,
    Detail.until: EXTENSIONS,
}


@dataclass(frozen=True)
class Need:
    """A detail a step must carry (one of `any_of`), where the rule applies, and the rule."""

    triggers: frozenset[str]
    any_of: tuple[Detail, ...]
    rule: str
    source: str  # a key of law.sources.SOURCES
    status: str  # "confirmed", "to verify" or "project rule" (docs/law.md)
    outcomes: frozenset[str] = frozenset()  # only for these outcomes (empty: any)
    sources: frozenset[str] = frozenset()  # only from these states (empty: any)
    when: frozenset[Fact] = frozenset()
    unless: frozenset[Fact] = frozenset()
    requirement: Requirement | None = None  # only when the decision lists this requirement
    value: bool | None = None  # the one value accepted, for a yes/no detail

    def applies(self, state: str, facts: set[Fact], outcome: str | None,
                requirements: list[str]) -> bool:
        return (
            (not self.outcomes or outcome in self.outcomes)
            and (not self.sources or state in self.sources)
            and self.when <= facts and not (self.unless & facts)
            and (self.requirement is None or self.requirement in requirements)
        )


def _need(
    triggers: Trigger | tuple[Trigger, ...], any_of: Detail | tuple[Detail, ...], rule: str,
    source: str, status: str, *, outcomes: tuple[Outcome, ...] = (),
    sources: tuple[State, ...] = (), when: tuple[Fact, ...] = (),
    requirement: Requirement | None = None, value: bool | None = None,
) -> Need:
    triggers = (triggers,) if isinstance(triggers, Trigger) else triggers
    details = (any_of,) if isinstance(any_of, Detail) else any_of
    return Need(frozenset(triggers), details, rule, source, status, frozenset(outcomes),
                frozenset(sources), frozenset(when), frozenset(), requirement, value)


D = Detail
NEEDS: tuple[Need, ...] = (
    _need(T.issue_decision, D.reasons,
          "a refusal, terms or requirements come with written reasons (RHPA Code: the "
          "committee's order and reasons in writing; FARPACTA s. 8)", "Code", "confirmed",
          outcomes=(Out.refused, Out.registered_with_conditions, Out.requirements)),
    _need(T.issue_decision, D.requirements,
          "a decision setting requirements lists them (their codes), so that they can be checked",
          "facts", "project rule", outcomes=(Out.requirements,)),
    _need(T.issue_decision, D.consent_to_conditions,
          "the registrar imposes terms, conditions or limitations only with the applicant's "
          "consent; otherwise the application goes to the Registration Committee (RHPA Code)",
          "Code", "confirmed", outcomes=(Out.registered_with_conditions,),
          sources=(S.under_review,), when=(H,), value=True),
    _need(T.issue_decision, D.alternatives_accepted,
          "a Canadian experience requirement says whether international alternatives giving "
          "substantially similar competencies are accepted (FARPACTA s. 10.2(1.1); "
          "O. Reg. 378/23)", "O. Reg. 378/23", "confirmed", outcomes=(Out.requirements,),
          requirement=Requirement.canadian_experience),
    _need((T.decide_appeal, T.decide_court), (D.reasons, D.documents),
          "every tribunal and court decision comes with its reasons, written or in the decision "
          "document attached", "facts", "project rule"),
    _need(T.request_appeal, D.review_or_hearing,
          "the applicant's notice requires HPARB to hold a review or a hearing (RHPA Code s. 19 "
          "or 21)", "Code", "to verify", when=(H,)),
    _need((T.file_court_appeal, T.record_court_filing, T.college_court_appeal), D.served_on,
          "the notice of appeal is served within 30 days after the order: service, not the "
          "registry's filing, is the act that stops the clock (Rules of Civil Procedure, "
          "r. 61.04(1))", "Rules of Civil Procedure", "to verify"),
    _need(T.make_submissions, (D.note, D.documents),
          "written submissions to the Registration Committee (RHPA Code s. 15(3))", "Code",
          "to verify"),
    _need(T.waive_submissions, (D.note, D.documents),
          "a waiver of the time for submissions is in writing", "Code", "project rule"),
    _need(T.record_receipt, D.received_on,
          "the day the notice or decision actually reached the applicant: a window running from "
          "receipt runs from it", "SPPA", "project rule"),
    _need(tuple(EXTENSIONS), D.window, "an extension names the window it lengthens",
          "Rules of Civil Procedure", "project rule"),
    _need(tuple(EXTENSIONS), D.until, "an extension gives the new last day",
          "Rules of Civil Procedure", "project rule"),
    _need(tuple(EXTENSIONS), (D.reasons, D.documents),
          "an extension of time is an order given with reasons (HPARB; Rules of Civil "
          "Procedure r. 3.02)", "Rules of Civil Procedure", "confirmed"),
    _need(T.abandon, D.reasons,
          "abandoning a file needs written reasons, after a response deadline given with the "
          "request passed without a response", "facts", "project rule"),
)
NEEDS_OF: dict[str, tuple[Need, ...]] = {
    t: tuple(n for n in NEEDS if t in n.triggers) for t in TRIGGER_ROLES
}


@dataclass(frozen=True)
class RouteRule:
    """A rule of the road in words, for docs/law.md: what STEPS and NEEDS encode, and its source."""

    rule: str
    citation: str
    source: str  # a key of law.sources.SOURCES
    status: str  # "confirmed", "to verify" or "project rule"


ROUTE_RULES: tuple[RouteRule, ...] = (
    RouteRule("The registrar registers, or registers with terms the applicant consents to, or "
              "refers to the Registration Committee (doubts, a proposed refusal, terms not "
              "accepted); the registrar cannot refuse or set requirements alone",
              "Health Professions Procedural Code (registration)", "Code",
              "confirmed (college pages); section numbers to verify"),
    RouteRule("On a referral the applicant has 30 days for written submissions or a written "
              "waiver; the committee may take up the file early, but the window runs to its last "
              "day", "Health Professions Procedural Code s. 15(3)", "Code", "to verify"),
    RouteRule("Every committee order but a plain registration (a refusal, registration with "
              "terms, conditions or limitations, an order to complete requirements) may be taken "
              "to HPARB, a review or a hearing, within 30 days after receiving it",
              "Health Professions Procedural Code s. 19 or 21", "Code",
              "confirmed (college pages); section to verify"),
    RouteRule("HPARB confirms the order (dismissed), requires the committee to make an order it "
              "could have made (registered, registered_with_conditions, requirements: the "
              "committee carries it out), or refers the matter back (remitted)",
              "Health Professions Procedural Code (HPARB's powers)", "Code",
              "confirmed (HPARB and CPSO pages); section to verify"),
    RouteRule("A party, the applicant or the college, may appeal HPARB's decision to the "
              "Divisional Court within 30 days after the order; service of the notice of appeal "
              "stops the clock", "Health Professions Procedural Code s. 70; Rules of Civil "
              "Procedure r. 61.04(1)", "Rules of Civil Procedure", "to verify"),
    RouteRule("A tribunal or the court may extend a window, or reopen one that lapsed, by an "
              "order with reasons", "Rules of Civil Procedure r. 3.02 (court); HPARB's power to "
              "verify", "Rules of Civil Procedure", "confirmed for the court; HPARB to verify"),
    RouteRule("A FARPACTA body's every registration decision but a plain registration (refusal, "
              "requirements, terms) may go to its internal review or appeal",
              "FARPACTA s. 9", "FARPACTA", "confirmed"),
    RouteRule("A FARPACTA body's referral puts the file with its committee, on the body's clock "
              "and under the internal committee's service standard", "FARPACTA s. 8 (timely "
              "decisions)", "FARPACTA", "project rule"),
    RouteRule("The time between submission and the assessor starting is the assessor's",
              "SPEC 4 (pauses are the applicant's own time only)", "facts", "project rule"),
    RouteRule("A window lapses only once its last day has fully passed, Ontario time, counted "
              "from receipt; a regulator cannot abandon a file while the applicant has a window "
              "open, nor without a response deadline given with its request and passed, and "
              "written reasons", "issue 9 (no file closed against the law)", "facts",
              "project rule"),
)
