"""Raising flags (idempotently) and triaging them: acknowledge, resolve with a note. Oversight only.

Every step on a flag writes its row in `flag_actions` in the same transaction (its history): the
raise and a grown severity (by FairTrack, no actor), an acknowledgement and a resolution (by the
fairness staff member)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, bindparam, func, insert, select, true, tuple_, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from accounts.models import User
from deadlines.models import Deadline
from deadlines.service import OPEN
from fairtrack.columns import utcnow
from fairtrack.errors import DomainError, InvalidRequest, NotFound
from fairtrack.pagination import cut, id_cursor
from flags.models import Flag, FlagAction
from flags.rules import DEADLINE_OCCURRENCE, DEADLINE_RULES, EVENT_CAN_RAISE, RULES, Finding
from i18n import msg
from law.calendar import local_date
from law.road import Role
from regulators.registry import Registry
from workflow.models import Application, Event
from workflow.service import parse_reference

SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2}
CHUNK = 1000


class FlagStateConflict(DomainError):
    """The flag is not in a status that allows this step (e.g. resolving it twice)."""

    status_code = 409
    code = "flag_state_conflict"


# Built once (the write path runs them after most events): the flags these findings would repeat,
# by their unique key, and the insert that leaves a flag raised meanwhile alone.
_EXISTING = select(Flag).where(
    tuple_(col(Flag.application_id), col(Flag.kind), col(Flag.occurrence)).in_(
        bindparam("keys", expanding=True)))
_INSERTS = {
    name: make(Flag).on_conflict_do_nothing(index_elements=["application_id", "kind", "occurrence"])
    .returning(col(Flag.id), col(Flag.application_id), col(Flag.kind), col(Flag.occurrence),
               col(Flag.severity))
    for name, make in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


FlagKey = tuple[int, str, str]


@dataclass(frozen=True)
class KnownFlags:
    """Every flag raised on some occurrences (e.g. an application's open deadlines), read with
    them: findings about those need no read of the flags."""

    occurrences: frozenset[tuple[int, str]]  # (application id, occurrence)
    flags: dict[FlagKey, Flag]


_OPEN_DEADLINES_AND_FLAGS = (
    select(Deadline, Flag)
    .outerjoin(Flag, and_(col(Flag.application_id) == col(Deadline.application_id),
                          col(Flag.occurrence) == DEADLINE_OCCURRENCE))
    .where(col(Deadline.application_id) == bindparam("application_id"),
           col(Deadline.status) == OPEN)
    .order_by(col(Deadline.id), col(Flag.id))
)


def open_deadlines_and_flags(
    session: Session, application_id: int
) -> tuple[list[Deadline], KnownFlags]:
    """The application's open deadlines (as deadlines.service.open_deadlines) and every flag raised
    on them, in one read: the write path's checks, its follow and its deadline flag rules share it."""
    rows: list[Deadline] = []
    flags: dict[FlagKey, Flag] = {}
    for deadline, flag in session.execute(_OPEN_DEADLINES_AND_FLAGS,
                                          {"application_id": application_id}):
        if not rows or rows[-1] is not deadline:
            rows.append(deadline)
        if flag is not None:
            flags[(flag.application_id, flag.kind, flag.occurrence)] = flag
    occurrences = frozenset((application_id, f"deadline:{row.id}") for row in rows)
    return rows, KnownFlags(occurrences, flags)


def _action(flag_id: int, action: str, actor_id: int | None, at: datetime,
            from_status: str | None, to_status: str, from_severity: str | None, to_severity: str,
            note: str | None = None) -> dict[str, Any]:
    return {"flag_id": flag_id, "action": action, "actor_id": actor_id, "at": at,
            "from_status": from_status, "to_status": to_status, "from_severity": from_severity,
            "to_severity": to_severity, "note": note}


def store_findings(
    session: Session, findings: list[Finding], now: datetime, known: KnownFlags | None = None,
) -> list[Finding]:
    """Insert the findings not raised before; raise an unresolved flag's severity if it grew.

    Returns the new ones. The unique occurrence key keeps a concurrent scan from raising twice.
    `known`: the flags of some occurrences, read already (not read again).
    """
    new: list[Finding] = []
    if not findings:
        return new
    for start in range(0, len(findings), CHUNK):
        chunk = findings[start : start + CHUNK]
        # Only the flags these findings would repeat, by the unique key: not every flag the
        # applications ever had.
        keys = sorted({(f.application_id, f.kind, f.occurrence) for f in chunk
                       if known is None or (f.application_id, f.occurrence) not in known.occurrences})
        existing = dict(known.flags) if known is not None else {}
        if keys:
            existing |= {
                (flag.application_id, flag.kind, flag.occurrence): flag
                for flag in session.scalars(_EXISTING, {"keys": keys})
            }
        rows, actions = [], []
        for finding in chunk:
            flag = existing.get((finding.application_id, finding.kind, finding.occurrence))
            if flag is None:
                rows.append({
                    "application_id": finding.application_id, "regulator": finding.regulator,
                    "kind": finding.kind, "occurrence": finding.occurrence,
                    "severity": finding.severity, "status": "open", "evidence": finding.evidence,
                    "raised_at": now,
                })
            elif flag.status != "resolved" and (
                SEVERITY_RANK[finding.severity] > SEVERITY_RANK[flag.severity]
            ):
                assert flag.id is not None
                actions.append(_action(flag.id, "severity_raised", None, now, flag.status,
                                       flag.status, flag.severity, finding.severity))
                flag.severity, flag.evidence = finding.severity, finding.evidence
        if rows:
            # RETURNING gives the flags this statement inserted (not those a concurrent scan
            # raised first): their `raised` rows join the one insert of the history below.
            raised: dict[tuple[Any, ...], tuple[Any, Any]] = {
                (a, k, o): (i, s) for i, a, k, o, s
                in session.execute(_INSERTS[session.get_bind().dialect.name], rows)}
            for finding in chunk:
                occurrence = (finding.application_id, finding.kind, finding.occurrence)
                if occurrence in raised:
                    flag_id, severity = raised.pop(occurrence)
                    actions.append(_action(flag_id, "raised", None, now, None, "open", None,
                                           severity))
                    new.append(finding)
        if actions:
            session.execute(insert(FlagAction), actions)
    session.flush()
    return new


def raise_flags(
    session: Session,
    registry: Registry,
    today: date,
    application_id: int | None = None,
    now: datetime | None = None,
) -> list[Finding]:
    """Every rule, for one application (the write path) or all (the scan); returns what is new."""
    findings = [f for rule in RULES.values() for f in rule(session, registry, today, application_id)]
    return store_findings(session, findings, now or utcnow())


def _any_event(_: Event) -> bool:
    return True


def raise_flags_after(
    session: Session, registry: Registry, application: Application, event: Event,
    deadlines: Sequence[Deadline] | None = None, known: KnownFlags | None = None,
    now: datetime | None = None,
) -> list[Finding]:
    """The write path: the rules this event can make true, for its application only.

    `deadlines` are the application's rows the event has just loaded, closed, paused or opened
    (every open one among them): the deadline rules then decide on them in memory, without a
    query. A deadline rule can only newly hold on such a row: a window ends late or cut short when
    an event closes it, and only open rows are overdue or at risk. Without them (None) the rules
    run as SQL, as the scan runs them. `known`: the flags on the open deadlines, read with them
    (open_deadlines_and_flags); a deadline the event opened has none yet.
    """
    assert application.id is not None
    today = local_date(event.recorded_at)
    findings: list[Finding] = []
    for kind, rule in RULES.items():
        if not EVENT_CAN_RAISE.get(kind, _any_event)(event):
            continue
        in_memory = DEADLINE_RULES.get(kind) if deadlines is not None else None
        if in_memory is None:
            findings += rule(session, registry, today, application.id)
            continue
        assert deadlines is not None
        for row in deadlines:
            finding = in_memory(row, application.regulator, today)
            if finding is not None:
                findings.append(finding)
    if known is not None and deadlines is not None:
        opened = {(application.id, f"deadline:{row.id}") for row in deadlines} - known.occurrences
        known = KnownFlags(known.occurrences | opened, known.flags)
    return store_findings(session, findings, now or utcnow(), known)


def _scope(actor: Actor) -> ColumnElement[bool]:
    """Oversight sees every flag; a regulator only its own (read only)."""
    if actor.role is Role.oversight:
        return true()
    if actor.role is Role.regulator and actor.organization:
        return col(Flag.regulator) == actor.organization
    raise NotFound("no flags for this caller")


def list_flags(
    session: Session,
    actor: Actor,
    *,
    kind: str | None,
    severity: str | None,
    status: str | None,
    regulator: str | None,
    limit: int,
    cursor: str | None,
    raised_before: datetime | None = None,
) -> tuple[list[tuple[Flag, str]], str | None]:
    """A page of flags in id order, each with its application's public reference (one query: the
    join, not a lookup per flag), and the cursor of the next page."""
    query = select(Flag, Application).join(
        Application, col(Application.id) == col(Flag.application_id)
    ).where(_scope(actor))
    for column, value in ((Flag.kind, kind), (Flag.severity, severity), (Flag.status, status),
                          (Flag.regulator, regulator)):
        if value is not None:
            query = query.where(col(column) == value)
    if raised_before is not None:
        query = query.where(col(Flag.raised_at) <= raised_before)
    last = id_cursor(cursor)
    if last is not None:
        query = query.where(col(Flag.id) > last)
    rows = [
        (flag, application.reference)
        for flag, application in session.execute(query.order_by(col(Flag.id)).limit(limit + 1))
    ]
    return cut(rows, limit, lambda row: row[0].id)


def triage_flag(
    session: Session, actor: Actor, flag_id: int, action: str, note: str | None,
    now: datetime | None = None,
) -> Flag:
    """open -> acknowledged -> resolved (a note required); oversight only. Never touches the
    application: a flag is a finding about it, not a step on its road."""
    flag = session.scalars(
        select(Flag).where(col(Flag.id) == flag_id, _scope(actor)).with_for_update()
    ).one_or_none()
    if flag is None:
        raise NotFound(f"no flag {flag_id}")
    now = now or utcnow()
    note = (note or "").strip() or None
    if action == "acknowledge":
        if flag.status != "open":
            raise FlagStateConflict(msg("flag {flag_id} is {status}; only an open flag is "
                                        "acknowledged", flag_id=flag_id, status=flag.status),
                                    status=flag.status)
        values: dict[str, Any] = {"status": "acknowledged", "acknowledged_at": now,
                                  "acknowledged_by": actor.user_id}
        if note:
            values["note"] = note
    elif action == "resolve":
        if flag.status == "resolved":
            raise FlagStateConflict(msg("flag {flag_id} is resolved already", flag_id=flag_id),
                                    status=flag.status)
        if note is None:
            raise InvalidRequest(msg("resolving a flag needs a note saying what was done"),
                                 field="note")
        values = {"status": "resolved", "resolved_at": now, "resolved_by": actor.user_id,
                  "note": note}
    else:
        raise InvalidRequest("action is 'acknowledge' or 'resolve'", field="action")
    step = _action(flag_id, values["status"], actor.user_id, now, flag.status, values["status"],
                   flag.severity, flag.severity, note)  # read before the update refreshes `flag`
    session.execute(update(Flag).where(col(Flag.id) == flag_id).values(**values))
    session.execute(insert(FlagAction), [step])
    session.refresh(flag)
    return flag


def flags_of_application(session: Session, actor: Actor, reference: str) -> list[Flag]:
    """The flags raised on one application (read by the caller already) that this caller may read
    (fairness staff, and its regulator); none for anyone else: flags are findings about the
    regulator's handling."""
    if actor.role not in (Role.oversight, Role.regulator):
        return []
    return list(session.scalars(
        select(Flag).where(col(Flag.application_id) == parse_reference(reference), _scope(actor))
        .order_by(col(Flag.id))))


def open_flag_counts(
    session: Session, actor: Actor, regulator: str | None = None
) -> list[tuple[str, str, int]]:
    """(regulator, kind, flags not yet resolved), one grouped query, in that order."""
    query = select(col(Flag.regulator), col(Flag.kind), func.count()).where(
        _scope(actor), col(Flag.status) != "resolved")
    if regulator is not None:
        query = query.where(col(Flag.regulator) == regulator)
    return [(r, k, n) for r, k, n in session.execute(
        query.group_by(col(Flag.regulator), col(Flag.kind))
        .order_by(col(Flag.regulator), col(Flag.kind)))]


def get_flag(session: Session, actor: Actor, flag_id: int) -> tuple[Flag, str]:
    """One flag the caller may read, with its application's public reference."""
    found = session.execute(
        select(Flag, Application).join(Application, col(Application.id) == col(Flag.application_id))
        .where(col(Flag.id) == flag_id, _scope(actor))
    ).one_or_none()
    if found is None:
        raise NotFound(f"no flag {flag_id}")
    return found[0], found[1].reference


def flag_history(session: Session, actor: Actor, flag_id: int) -> list[tuple[FlagAction, str | None]]:
    """A flag's steps in the order taken, each with its actor's role (None: FairTrack itself), for
    a caller who may read the flag (one query, however long the history). The actor's account is
    not given out: the role says who acted, as the application's timeline does."""
    query = (
        select(FlagAction, col(User.role))
        .join(Flag, col(Flag.id) == col(FlagAction.flag_id))
        .outerjoin(User, col(User.id) == col(FlagAction.actor_id))
        .where(col(FlagAction.flag_id) == flag_id, _scope(actor))
        .order_by(col(FlagAction.at), col(FlagAction.id))
    )
    return [(action, role) for action, role in session.execute(query)]


def flag_with_history(
    session: Session, actor: Actor, flag_id: int
) -> tuple[Flag, str, list[tuple[FlagAction, str | None]]]:
    """One flag the caller may read, its application's public reference and its history."""
    flag, reference = get_flag(session, actor, flag_id)
    return flag, reference, flag_history(session, actor, flag_id)
