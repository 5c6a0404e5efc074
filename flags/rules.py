"""The conditions behind each kind of flag (SPEC 4), as SQL over the projections and the log.

Each rule returns Findings for every application (the scan) or for one (the write path). SQL picks the
candidates; Python only confirms the few it returns and grades them. A candidate already flagged for
the same occurrence is left out in SQL (NOT EXISTS on the flags' unique key), so a scan does not
re-read history: only the rules whose severity grows with time (delay, deadline_at_risk) look again
at a flag not yet resolved and not yet high.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    cast,
    exists,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session
from sqlmodel import col

from deadlines.models import Deadline
from deadlines.service import RESPONSE_DEADLINE, SERVICE_STANDARD, STATUTORY_WINDOW
from flags.models import Flag
from law.calendar import business_days_between, local_date
from law.fairness import (
    ALTERNATIVES_RULE,
    AT_RISK_DAYS,
    BACKDATING_TOLERANCE_DAYS,
    CANADIAN_EXPERIENCE_BAN_FROM,
    CANADIAN_EXPERIENCE_RULE,
    DELAY_GRADES,
    HEALTH_CANADIAN_EXPERIENCE_RULE,
    LANGUAGE_TEST_RULE,
    REASONS_RULE,
    SUBMISSIONS_RULE,
    URGENT_DAYS,
    WRITTEN_DECISION_DAYS,
    WRITTEN_DECISION_FROM,
    WRITTEN_DECISION_RULE,
)
from law.road import CLOSED_STATES, Clock, Outcome, Requirement, Trigger
from law.windows import WindowKind
from profiles.models import ApplicantProfile
from regulators.files import ExemptionStatus
from regulators.registry import Registry
from workflow.models import Application, Event

NO_REASONS_SEVERITY: dict[str, str] = {Outcome.refused: "high", Outcome.dismissed: "high",
                       Outcome.registered_with_conditions: "medium", Outcome.requirements: "medium"}


@dataclass(frozen=True)
class Finding:
    application_id: int
    regulator: str
    kind: str
    occurrence: str
    severity: str
    evidence: dict[str, Any]


Rule = Callable[[Session, Registry, date, int | None], list[Finding]]


def _for(application_id: int | None) -> ColumnElement[bool]:
    return col(Application.id) == application_id if application_id is not None else true()


def _not_flagged(
    kind: str, application_id: Any, occurrence: ColumnElement[str], *, growing: bool = False
) -> ColumnElement[bool]:
    """No flag of `kind` for this occurrence yet; for a `growing` severity, none that is settled
    (resolved, or already high: the most it can grow to)."""
    flagged = select(col(Flag.id)).where(
        col(Flag.application_id) == application_id, col(Flag.kind) == kind,
        col(Flag.occurrence) == occurrence,
    )
    if growing:
        flagged = flagged.where(or_(col(Flag.status) == "resolved", col(Flag.severity) == "high"))
    return ~exists(flagged)


DEADLINE_OCCURRENCE = literal("deadline:") + cast(col(Deadline.id), String)
EVENT_OCCURRENCE = literal("event:") + cast(col(Event.seq), String)


def _deadlines(application_id: int | None, kind: str, *, growing: bool = False) -> Select[Deadline, str]:
    return (
        select(Deadline, col(Application.regulator))
        .join(Application, col(Application.id) == col(Deadline.application_id))
        .where(_for(application_id),
               _not_flagged(kind, col(Deadline.application_id), DEADLINE_OCCURRENCE,
                            growing=growing))
    )


def _deadline_evidence(d: Deadline) -> dict[str, Any]:
    return {"deadline": d.code, "stage": d.stage, "party": d.party, "days": d.days,
            "counting": d.counting, "starts_on": d.starts_on.isoformat(),
            "due_on": d.due_on.isoformat(), "rule": d.legal_basis, "to_verify": d.to_verify,
            "project_default": d.is_default, "opened_by_event": d.opened_seq}


def delay_finding(d: Deadline, regulator: str, today: date) -> Finding | None:
    """An open stage past its service standard (SPEC 4), not counting a pause begun before due."""
    if d.kind != SERVICE_STANDARD or d.status != "open" or not d.due_on < today:
        return None
    if d.paused_on is not None and d.paused_on <= d.due_on:
        return None
    until = min(today, d.paused_on or today)
    business = d.counting == "project_business"
    over = business_days_between(d.due_on, until) if business else (until - d.due_on).days
    severity = next((s for share, s in DELAY_GRADES if over <= share * d.days), "high")
    evidence = {**_deadline_evidence(d), "days_over": over, "as_of": today.isoformat()}
    return Finding(d.application_id, regulator, "delay", f"deadline:{d.id}", severity, evidence)


def statutory_limit_finding(d: Deadline, regulator: str, _: date) -> Finding | None:
    """A statutory window acted on after its last day, or cut short by another party."""
    if d.kind != STATUTORY_WINDOW or d.status not in ("late", "cut_short"):
        return None
    assert d.closed_on is not None
    what = ("acted on after the window's last day" if d.status == "late"
            else "ended by another party before the window's last day")
    if d.status == "cut_short" and d.code == WindowKind.committee_submissions:
        what = f"decided before the last day without a written waiver: {SUBMISSIONS_RULE}"
    evidence = {**_deadline_evidence(d), "finding": what, "closed_on": d.closed_on.isoformat(),
                "closed_by_event": d.closed_seq}
    severity = "high" if d.status == "cut_short" else "medium"
    return Finding(d.application_id, regulator, "statutory_limit", f"deadline:{d.id}", severity,
                   evidence)


def at_risk_finding(d: Deadline, regulator: str, today: date) -> Finding | None:
    """An applicant's window or response deadline still open and closing within AT_RISK_DAYS."""
    if (d.kind not in (STATUTORY_WINDOW, RESPONSE_DEADLINE) or d.party != Clock.applicant.value
            or d.status != "open" or not today <= d.due_on <= today + timedelta(days=AT_RISK_DAYS)):
        return None
    left = (d.due_on - today).days
    evidence = {**_deadline_evidence(d), "days_left": left, "as_of": today.isoformat(),
                "warning_days": AT_RISK_DAYS}
    return Finding(d.application_id, regulator, "deadline_at_risk", f"deadline:{d.id}",
                   "high" if left <= URGENT_DAYS else "medium", evidence)


# The rules on one deadline row: the SQL rules below pick their candidates in the database and
# confirm them here; the write path runs these on the rows an event has just loaded, opened or
# closed (flags.service.raise_flags_after), without a query.
DeadlineRule = Callable[[Deadline, str, date], Finding | None]
DEADLINE_RULES: dict[str, DeadlineRule] = {
    "delay": delay_finding,
    "statutory_limit": statutory_limit_finding,
    "deadline_at_risk": at_risk_finding,
}


def _confirmed(session: Session, query: Select[Deadline, str], rule: DeadlineRule,
               today: date) -> list[Finding]:
    found = (rule(d, regulator, today) for d, regulator in session.execute(query))
    return [f for f in found if f is not None]


def delay(session: Session, _: Registry, today: date, application_id: int | None) -> list[Finding]:
    """An open stage past its service standard (SPEC 4), not counting a pause begun before due."""
    query = _deadlines(application_id, "delay", growing=True).where(
        col(Deadline.kind) == SERVICE_STANDARD, col(Deadline.status) == "open",
        col(Deadline.due_on) < today,
        or_(col(Deadline.paused_on).is_(None), col(Deadline.paused_on) > col(Deadline.due_on)),
    )
    return _confirmed(session, query, delay_finding, today)


def statutory_limit(
    session: Session, _: Registry, today: date, application_id: int | None
) -> list[Finding]:
    """A statutory window acted on after its last day, or cut short by another party."""
    query = _deadlines(application_id, "statutory_limit").where(
        col(Deadline.kind) == STATUTORY_WINDOW, col(Deadline.status).in_(("late", "cut_short"))
    )
    return _confirmed(session, query, statutory_limit_finding, today)


def deadline_at_risk(
    session: Session, _: Registry, today: date, application_id: int | None
) -> list[Finding]:
    """An applicant's window or response deadline still open and closing within AT_RISK_DAYS."""
    query = _deadlines(application_id, "deadline_at_risk", growing=True).where(
        col(Deadline.kind).in_((STATUTORY_WINDOW, RESPONSE_DEADLINE)),
        col(Deadline.party) == Clock.applicant.value, col(Deadline.status) == "open",
        col(Deadline.due_on) >= today, col(Deadline.due_on) <= today + timedelta(days=AT_RISK_DAYS),
    )
    return _confirmed(session, query, at_risk_finding, today)


def _events(application_id: int | None, kind: str) -> Select[Event, str]:
    return (
        select(Event, col(Application.regulator))
        .join(Application, col(Application.id) == col(Event.application_id))
        .where(_for(application_id),
               _not_flagged(kind, col(Event.application_id), EVENT_OCCURRENCE))
    )


def _event_evidence(e: Event) -> dict[str, Any]:
    return {"event": e.seq, "trigger": e.trigger, "outcome": e.outcome,
            "occurred_at": e.occurred_at.isoformat(), "recorded_at": e.recorded_at.isoformat(),
            "actor_role": e.actor_role, "actor_organization": e.actor_org}


def _canadian_experience_finding(
    e: Event, regulator: str, health: bool, registry: Registry
) -> Finding | None:
    """A decision requiring Canadian experience, judged by the law of its route on its day."""
    if e.payload.get("alternatives_accepted") is True:
        return None  # FARPACTA s. 10.2(1.1), O. Reg. 378/23: not a violation
    decided = local_date(e.occurred_at)
    if not health and decided < CANADIAN_EXPERIENCE_BAN_FROM:
        return None  # the ban applies to decisions from 2 December 2023 (FARPACTA s. 10.2)
    rules = registry.regulator(regulator)
    status, record = rules.exemption_on(decided) if rules else (ExemptionStatus.unknown, None)
    evidence = {**_event_evidence(e), "requirements": e.payload.get("requirements"),
                "alternatives_accepted": e.payload.get("alternatives_accepted"),
                "alternatives_rule": ALTERNATIVES_RULE, "exemption_status": status.value,
                "exemption_granted": status is ExemptionStatus.granted,
                "exemption_scope": record.scope if record else None,
                "exemption_source": record.source if record else None}
    if health:
        # The Code's rule and its date are to verify: the flag says so and is never high.
        evidence |= {"rule": HEALTH_CANADIAN_EXPERIENCE_RULE, "to_verify": True}
        severity = "low" if status is ExemptionStatus.granted else "medium"
    else:
        evidence |= {"rule": CANADIAN_EXPERIENCE_RULE,
                     "ban_from": CANADIAN_EXPERIENCE_BAN_FROM.isoformat()}
        severity = {ExemptionStatus.granted: "low", ExemptionStatus.unknown: "medium"}.get(
            status, "high")
    if status is ExemptionStatus.unknown:
        evidence["needs_review"] = "no dated record of the regulator's exemption status"
    return Finding(e.application_id, regulator, "canadian_experience", f"event:{e.seq}",
                   severity, evidence)


def canadian_experience(
    session: Session, registry: Registry, _: date, application_id: int | None
) -> list[Finding]:
    """A decision requiring Canadian work experience without accepting international alternatives:
    for a FARPACTA body from 2 December 2023, high when a dated record shows no exemption, medium
    (needs review) when its exemption status is unknown; for a health college, medium at most until
    the Code's rule is verified."""
    query = (
        select(Event, col(Application.regulator), col(Application.health_route))
        .join(Application, col(Application.id) == col(Event.application_id))
        .where(_for(application_id),
               _not_flagged("canadian_experience", col(Event.application_id), EVENT_OCCURRENCE),
               col(Event.outcome) == Outcome.requirements,
               cast(col(Event.payload), String).like('%"canadian_experience"%'))
    )
    found = []
    for e, regulator, health in session.execute(query):
        if Requirement.canadian_experience not in (e.payload.get("requirements") or []):
            continue
        finding = _canadian_experience_finding(e, regulator, bool(health), registry)
        if finding is not None:
            found.append(finding)
    return found


def no_reasons(session: Session, _: Registry, __: date, application_id: int | None) -> list[Finding]:
    """A refusal, a dismissal or conditions recorded without written reasons or the decision
    document (refused at the door since issue 9; this reads records made before)."""
    reasons = func.trim(func.coalesce(col(Event.payload)["reasons"].as_string(), literal("")))
    documents = cast(col(Event.payload), String).like('%"documents"%')
    query = _events(application_id, "no_reasons").where(
        col(Event.outcome).in_(tuple(NO_REASONS_SEVERITY)), reasons == "", ~documents
    )
    return [
        Finding(e.application_id, regulator, "no_reasons", f"event:{e.seq}",
                NO_REASONS_SEVERITY[e.outcome or ""], {**_event_evidence(e), "rule": REASONS_RULE})
        for e, regulator in session.execute(query)
    ]


def recording_lag(
    session: Session, _: Registry, __: date, application_id: int | None
) -> list[Finding]:
    """An event back-dated: recorded more than the tolerance (BACKDATING_TOLERANCE_DAYS business
    days) after the day it says it occurred. High: it moves time from one clock to another."""
    # 11 business days span at least 15 calendar days: SQL keeps those over 14, Python counts.
    if session.get_bind().dialect.name == "postgresql":
        lagging = col(Event.recorded_at) - col(Event.occurred_at) > timedelta(days=14)
    else:
        lagging = func.julianday(col(Event.recorded_at)) - func.julianday(col(Event.occurred_at)) > 14
    found = []
    for e, regulator in session.execute(_events(application_id, "recording_lag").where(lagging)):
        lag = business_days_between(local_date(e.occurred_at), local_date(e.recorded_at))
        if lag <= BACKDATING_TOLERANCE_DAYS:
            continue
        evidence = {**_event_evidence(e), "business_days_late": lag,
                    "backdated_because": e.payload.get("backdated_because"),
                    "rule": f"project default: a tolerance of {BACKDATING_TOLERANCE_DAYS} business "
                    "days (facts s. 7); beyond it, a written reason and this flag"}
        found.append(Finding(e.application_id, regulator, "recording_lag", f"event:{e.seq}",
                             "high", evidence))
    return found


def written_decision_late(
    session: Session, _: Registry, __: date, application_id: int | None
) -> list[Finding]:
    """A FARPACTA body's decision whose written form was sent more than WRITTEN_DECISION_DAYS
    business days after it was made (O. Reg. 479/24)."""
    sent = col(Event.payload)["sent_on"].as_string()
    query = (
        select(Event, col(Application.regulator))
        .join(Application, col(Application.id) == col(Event.application_id))
        .where(_for(application_id), col(Application.health_route).is_(False),
               _not_flagged("written_decision_late", col(Event.application_id), EVENT_OCCURRENCE),
               col(Event.trigger) == Trigger.issue_decision, sent.is_not(None))
    )
    found = []
    for e, regulator in session.execute(query):
        decided = local_date(e.occurred_at)
        if decided < WRITTEN_DECISION_FROM:
            continue
        sent_on = date.fromisoformat(e.payload["sent_on"])
        days = business_days_between(decided, sent_on)
        if days <= WRITTEN_DECISION_DAYS:
            continue
        evidence = {**_event_evidence(e), "sent_on": sent_on.isoformat(),
                    "business_days_to_send": days, "rule": WRITTEN_DECISION_RULE,
                    "to_verify": "section and in-force date of O. Reg. 479/24"}
        found.append(Finding(e.application_id, regulator, "written_decision_late",
                             f"event:{e.seq}", "medium", evidence))
    return found


def language_test(
    session: Session, registry: Registry, _: date, application_id: int | None
) -> list[Finding]:
    """The applicant's immigration-accepted test is not on the regulator's accepted list."""
    found = []
    slugs = sorted(registry.regulators)
    if application_id is not None:  # the write path: only this application's regulator
        slugs = list(session.scalars(select(col(Application.regulator)).where(_for(application_id))))
    for slug in slugs:
        regulator = registry.regulators.get(slug)
        if regulator is None:
            continue
        accepted = regulator.accepted_language_tests
        if not regulator.language_tests_known:
            continue  # no list with its source: the regulator is to verify; no guess is flagged
        query = (
            select(col(Application.id), col(ApplicantProfile.language_test))
            .join(ApplicantProfile, col(ApplicantProfile.user_id) == col(Application.applicant_id))
            .where(
                _for(application_id), col(Application.regulator) == slug,
                col(Application.state).not_in(CLOSED_STATES),
                col(ApplicantProfile.language_test).is_not(None),
                col(ApplicantProfile.language_test).not_in(accepted),
                _not_flagged("language_test", col(Application.id),
                             literal("test:") + col(ApplicantProfile.language_test)),
            )
        )
        for app_id, test in session.execute(query):
            evidence = {"language_test": test, "accepted_by_regulator": accepted,
                        "accepted_list_source": regulator.accepted_language_tests_source,
                        "rule": LANGUAGE_TEST_RULE}
            assert app_id is not None
            found.append(Finding(app_id, slug, "language_test", f"test:{test}", "medium", evidence))
    return found


RULES: dict[str, Rule] = {
    "delay": delay,
    "statutory_limit": statutory_limit,
    "deadline_at_risk": deadline_at_risk,
    "canadian_experience": canadian_experience,
    "language_test": language_test,
    "no_reasons": no_reasons,
    "recording_lag": recording_lag,
    "written_decision_late": written_decision_late,
}
FLAG_KINDS = tuple(RULES)


def _lags(event: Event) -> bool:
    lag = business_days_between(local_date(event.occurred_at), local_date(event.recorded_at))
    return lag > BACKDATING_TOLERANCE_DAYS


# Rules whose condition only an event of a certain kind can newly make true. On the write path the
# other events skip them: what an earlier event established was flagged when that event was
# recorded, and the scan (which runs every rule) covers data that arrived by other ways. The rules
# on deadlines run after every event: any event may open, close or pause one.
EVENT_CAN_RAISE: dict[str, Callable[[Event], bool]] = {
    "canadian_experience": lambda e: e.outcome == Outcome.requirements
    and Requirement.canadian_experience in (e.payload.get("requirements") or []),
    "no_reasons": lambda e: e.outcome in NO_REASONS_SEVERITY,
    "recording_lag": _lags,
    "written_decision_late": lambda e: e.trigger == Trigger.issue_decision
    and "sent_on" in e.payload,
    # The profile's test is checked when the profile is saved; an application, when it is opened.
    "language_test": lambda e: e.seq == 1,
}
