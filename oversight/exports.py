"""CSV exports for fairness staff (every regulator) and regulators (their own): applications,
events, stage intervals and flags, for a filter, read in batches from a server-side cursor so that
an export of any size keeps memory flat (fairtrack.csvstream writes them as they come).

No personal data: applications are named by reference, never by applicant; event payloads (free
text a person wrote) are left out; the columns are described in docs/exports.md.
"""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, cast

from sqlalchemy import Select, select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.errors import InvalidRequest
from flags.models import Flag
from law.calendar import TORONTO, local_date
from oversight.scope import regulator_in_scope
from oversight.timeliness import EARLIEST, LATEST
from regulators.registry import Registry
from workflow.models import Application, Event, StageInterval

BATCH = 5_000


def reference(application_id: int, created_at: datetime) -> str:
    """An application's public reference (workflow.models.Application.reference), from its row."""
    return f"FT-{local_date(created_at).year}-{application_id:06d}"


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


@dataclass(frozen=True)
class Export:
    kind: str
    header: tuple[str, ...]
    query: Select[Any]
    row: Callable[[Sequence[Any]], Sequence[Any]]


def _applications(query: Select[Any]) -> Export:
    header = ("reference", "regulator", "licence_class", "assessor", "health_route", "rules_version",
              "state", "version", "created_at", "updated_at")
    return Export("applications", header, query.add_columns(
        col(Application.regulator), col(Application.licence_class), col(Application.assessor),
        col(Application.health_route), col(Application.rules_version), col(Application.state),
        col(Application.version), col(Application.updated_at)).order_by(col(Application.id)),
        lambda r: (reference(r[0], r[1]), *r[2:8], r[8], _time(r[1]), _time(r[9])))


def _events(query: Select[Any]) -> Export:
    header = ("reference", "seq", "trigger", "outcome", "from_state", "to_state", "actor_role",
              "actor_organization", "occurred_at", "recorded_at", "prev_hash", "hash")
    return Export("events", header, query.join(Event, col(Event.application_id) == col(Application.id))
                  .add_columns(col(Event.seq), col(Event.trigger), col(Event.outcome),
                               col(Event.from_state), col(Event.to_state), col(Event.actor_role),
                               col(Event.actor_org), col(Event.occurred_at), col(Event.recorded_at),
                               col(Event.prev_hash), col(Event.hash))
                  .order_by(col(Event.id)),
                  lambda r: (reference(r[0], r[1]), *r[2:9], _time(r[9]), _time(r[10]), r[11], r[12]))


def _intervals(query: Select[Any]) -> Export:
    header = ("reference", "seq", "state", "stage", "clock", "entered_at", "exited_at",
              "calendar_days", "business_days")
    return Export("stage_intervals", header, query.join(
        StageInterval, col(StageInterval.application_id) == col(Application.id)).add_columns(
        col(StageInterval.seq), col(StageInterval.state), col(StageInterval.stage),
        col(StageInterval.clock), col(StageInterval.entered_at), col(StageInterval.exited_at),
        col(StageInterval.calendar_days), col(StageInterval.business_days),
    ).order_by(col(StageInterval.id)),
        lambda r: (reference(r[0], r[1]), *r[2:6], _time(r[6]), _time(r[7]), r[8], r[9]))


def _flags(query: Select[Any]) -> Export:
    header = ("flag_id", "reference", "kind", "severity", "status", "occurrence", "raised_at",
              "acknowledged_at", "resolved_at")
    return Export("flags", header, query.join(Flag, col(Flag.application_id) == col(Application.id))
                  .add_columns(col(Flag.id), col(Flag.kind), col(Flag.severity), col(Flag.status),
                               col(Flag.occurrence), col(Flag.raised_at), col(Flag.acknowledged_at),
                               col(Flag.resolved_at))
                  .order_by(col(Flag.id)),
                  lambda r: (r[2], reference(r[0], r[1]), *r[3:7], _time(r[7]), _time(r[8]),
                             _time(r[9])))


EXPORTS: dict[str, Callable[[Select[Any]], Export]] = {
    "applications": _applications, "events": _events, "stage_intervals": _intervals,
    "flags": _flags,
}


def export(
    actor: Actor, registry: Registry, kind: str, *, regulator: str | None,
    since: date | None = None, until: date | None = None, state: str | None = None,
) -> Export:
    """The export of `kind` for the applications of `regulator` (fairness staff: None for all)
    opened from `since` to `until` (Ontario dates, included), optionally in one state."""
    if kind not in EXPORTS:
        raise InvalidRequest(f"kind is one of {list(EXPORTS)}", field="kind")
    for name, day in (("since", since), ("until", until)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise InvalidRequest(f"{name} must be from {EARLIEST} to {LATEST}", field=name)
    if since and until and since > until:
        raise InvalidRequest("since must be on or before until", field="since")
    scope = regulator_in_scope(actor, registry, regulator)
    query = cast(Select[Any], select(col(Application.id), col(Application.created_at)))
    if scope is not None:
        query = query.where(col(Application.regulator) == scope)
    if since is not None:
        query = query.where(col(Application.created_at) >= datetime.combine(since, time(0), TORONTO))
    if until is not None:
        query = query.where(col(Application.created_at)
                            < datetime.combine(until, time(0), TORONTO) + timedelta(days=1))
    if state is not None:
        query = query.where(col(Application.state) == state)
    return EXPORTS[kind](query)


def export_rows(session: Session, plan: Export) -> Iterator[Sequence[Any]]:
    """The rows, read BATCH at a time (a server-side cursor on PostgreSQL)."""
    result = session.execute(plan.query.execution_options(yield_per=BATCH, stream_results=True))
    for row in result:
        yield plan.row(row)
