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
from deadlines.service import SERVICE_STANDARD, STATUTORY_WINDOW
from flags.models import Flag
from law.calendar import business_days_between, local_date
from law.fairness import (
    AT_RISK_DAYS,
    CANADIAN_EXPERIENCE_RULE,
    DELAY_GRADES,
    LANGUAGE_TEST_RULE,
    REASONS_RULE,
    RECORDING_LAG_DAYS,
    URGENT_DAYS,
)
from law.road import CLOSED_STATES, Outcome, Requirement
from profiles.models import ApplicantProfile
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


def delay(session: Session, _: Registry, today: date, application_id: int | None) -> list[Finding]:
    """An open stage past its service standard (SPEC 4), not counting a pause begun before due."""
    query = _deadlines(application_id, "delay", growing=True).where(
        col(Deadline.kind) == SERVICE_STANDARD, col(Deadline.status) == "open",
        col(Deadline.due_on) < today,
        or_(col(Deadline.paused_on).is_(None), col(Deadline.paused_on) > col(Deadline.due_on)),
    )
    found = []
    for d, regulator in session.execute(query):
        until = min(today, d.paused_on or today)
        business = d.counting == "project_business"
        over = business_days_between(d.due_on, until) if business else (until - d.due_on).days
        severity = next((s for share, s in DELAY_GRADES if over <= share * d.days), "high")
        evidence = {**_deadline_evidence(d), "days_over": over, "as_of": today.isoformat()}
        found.append(Finding(d.application_id, regulator, "delay", f"deadline:{d.id}", severity,
                             evidence))
    return found


def statutory_limit(
    session: Session, _: Registry, today: date, application_id: int | None
) -> list[Finding]:
    """A statutory window acted on after its last day, or cut short by another party."""
    query = _deadlines(application_id, "statutory_limit").where(
        col(Deadline.kind) == STATUTORY_WINDOW, col(Deadline.status).in_(("late", "cut_short"))
    )
    found = []
    for d, regulator in session.execute(query):
        assert d.closed_on is not None
        what = ("acted on after the window's last day" if d.status == "late"
                else "ended by another party before the window's last day")
        evidence = {**_deadline_evidence(d), "finding": what, "closed_on": d.closed_on.isoformat(),
                    "closed_by_event": d.closed_seq}
        severity = "high" if d.status == "cut_short" else "medium"
        found.append(Finding(d.application_id, regulator, "statutory_limit", f"deadline:{d.id}",
                             severity, evidence))
    return found


def deadline_at_risk(
    session: Session, _: Registry, today: date, application_id: int | None
) -> list[Finding]:
    """An applicant's statutory window still open and closing within AT_RISK_DAYS."""
    query = _deadlines(application_id, "deadline_at_risk", growing=True).where(
        col(Deadline.kind) == STATUTORY_WINDOW, col(Deadline.status) == "open",
        col(Deadline.due_on) >= today, col(Deadline.due_on) <= today + timedelta(days=AT_RISK_DAYS),
    )
    found = []
    for d, regulator in session.execute(query):
        left = (d.due_on - today).days
        evidence = {**_deadline_evidence(d), "days_left": left, "as_of": today.isoformat(),
                    "warning_days": AT_RISK_DAYS}
        found.append(Finding(d.application_id, regulator, "deadline_at_risk", f"deadline:{d.id}",
                             "high" if left <= URGENT_DAYS else "medium", evidence))
    return found


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


def canadian_experience(
    session: Session, registry: Registry, _: date, application_id: int | None
) -> list[Finding]:
    """A decision requiring Canadian work experience; high when the regulator holds no exemption."""
    query = _events(application_id, "canadian_experience").where(
        col(Event.outcome) == Outcome.requirements,
        cast(col(Event.payload), String).like('%"canadian_experience"%'),
    )
    found = []
    for e, regulator in session.execute(query):
        if Requirement.canadian_experience not in (e.payload.get("requirements") or []):
            continue
        rules = registry.regulator(regulator)
        exemption = rules.canadian_experience_exemption if rules else None
        granted = bool(exemption and exemption.granted)
        evidence = {**_event_evidence(e), "requirements": e.payload.get("requirements"),
                    "rule": CANADIAN_EXPERIENCE_RULE, "exemption_granted": granted,
                    "exemption_scope": exemption.scope if exemption else None}
        found.append(Finding(e.application_id, regulator, "canadian_experience", f"event:{e.seq}",
                             "medium" if granted else "high", evidence))
    return found


def no_reasons(session: Session, _: Registry, __: date, application_id: int | None) -> list[Finding]:
    """A refusal, a dismissal or conditions recorded without written reasons."""
    reasons = func.trim(func.coalesce(col(Event.payload)["reasons"].as_string(), literal("")))
    query = _events(application_id, "no_reasons").where(
        col(Event.outcome).in_(tuple(NO_REASONS_SEVERITY)), reasons == ""
    )
    return [
        Finding(e.application_id, regulator, "no_reasons", f"event:{e.seq}",
                NO_REASONS_SEVERITY[e.outcome or ""], {**_event_evidence(e), "rule": REASONS_RULE})
        for e, regulator in session.execute(query)
    ]


def recording_lag(
    session: Session, _: Registry, __: date, application_id: int | None
) -> list[Finding]:
    """An event recorded more than RECORDING_LAG_DAYS business days after it occurred."""
    # 11 business days span at least 15 calendar days: SQL keeps those over 14, Python counts.
    if session.get_bind().dialect.name == "postgresql":
        lagging = col(Event.recorded_at) - col(Event.occurred_at) > timedelta(days=14)
    else:
        lagging = func.julianday(col(Event.recorded_at)) - func.julianday(col(Event.occurred_at)) > 14
    found = []
    for e, regulator in session.execute(_events(application_id, "recording_lag").where(lagging)):
        lag = business_days_between(local_date(e.occurred_at), local_date(e.recorded_at))
        if lag <= RECORDING_LAG_DAYS:
            continue
        evidence = {**_event_evidence(e), "business_days_late": lag,
                    "rule": f"project default: {RECORDING_LAG_DAYS} business days (facts s. 7)"}
        found.append(Finding(e.application_id, regulator, "recording_lag", f"event:{e.seq}",
                             "medium" if lag > 3 * RECORDING_LAG_DAYS else "low", evidence))
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
        if not accepted:  # the registry records no list: nothing to compare with
            continue
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
}
FLAG_KINDS = tuple(RULES)


def _lags(event: Event) -> bool:
    lag = business_days_between(local_date(event.occurred_at), local_date(event.recorded_at))
    return lag > RECORDING_LAG_DAYS


# Rules whose condition only an event of a certain kind can newly make true. On the write path the
# other events skip them: what an earlier event established was flagged when that event was
# recorded, and the scan (which runs every rule) covers data that arrived by other ways. The rules
# on deadlines run after every event: any event may open, close or pause one.
EVENT_CAN_RAISE: dict[str, Callable[[Event], bool]] = {
    "canadian_experience": lambda e: e.outcome == Outcome.requirements
    and Requirement.canadian_experience in (e.payload.get("requirements") or []),
    "no_reasons": lambda e: e.outcome in NO_REASONS_SEVERITY,
    "recording_lag": _lags,
    # The profile's test is checked when the profile is saved; an application, when it is opened.
    "language_test": lambda e: e.seq == 1,
}
