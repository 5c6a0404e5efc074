"""The hash chain over events and the durations of stage visits: pure functions, no database."""

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from law.calendar import business_days_between, calendar_days_between, local_date

GENESIS_HASH = "0" * 64
# The event columns the hash covers: every one but the hashes themselves and the row id.
HASHED_FIELDS = (
    "application_id", "seq", "trigger", "outcome", "from_state", "to_state",
    "actor_id", "actor_role", "actor_org", "occurred_at", "recorded_at", "payload", "changes",
)
# The application's own facts, which its log states: all of them in the first event's `changes`
# (what it was opened with), and any later change in the `changes` of the event that made it.
APPLICATION_FACTS = (
    "applicant_id", "regulator", "licence_class", "assessor", "health_route", "rules_version",
)
# The payload key of a decision's letter: the SHA-256 of the PDF sent (workflow.models.DecisionLetter
# keeps its bytes), so the letter is under the event's hash and `verify` hashes the bytes again.
LETTER_HASH = "letter_sha256"
# The facts a later step may change, and the step that does (the rules in force at submission).
LATER_CHANGES = frozenset({"rules_version"})


def canonical_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_content(
    *,
    application_id: int,
    seq: int,
    trigger: str,
    outcome: str | None,
    from_state: str | None,
    to_state: str,
    actor_id: int | None,
    actor_role: str,
    actor_org: str | None,
    occurred_at: datetime,
    recorded_at: datetime,
    payload: dict[str, Any],
    changes: dict[str, Any],
) -> dict[str, Any]:
    """Everything an event says, in the form the hash covers: the step, who took it and when, what
    was said, and the application's facts it set."""
    return {
        "application_id": application_id,
        "seq": seq,
        "trigger": trigger,
        "outcome": outcome,
        "from_state": from_state,
        "to_state": to_state,
        "actor": {"id": actor_id, "role": actor_role, "organization": actor_org},
        "occurred_at": canonical_time(occurred_at),
        "recorded_at": canonical_time(recorded_at),
        "payload": payload,
        "changes": changes,
    }


def chain_hash(prev_hash: str, content: dict[str, Any]) -> str:
    """SHA-256 over the previous hash and the canonical JSON of this event's content."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def recorded_business_days(entered_recorded_at: datetime, exited_recorded_at: datetime) -> int:
    """Ontario business days between the recordings of the events that entered and ended a visit."""
    return business_days_between(local_date(entered_recorded_at), local_date(exited_recorded_at))


def visit_durations(entered_at: datetime, exited_at: datetime) -> tuple[int, int]:
    """(calendar days, Ontario business days) of a visit, counted on Ontario dates."""
    start, end = local_date(entered_at), local_date(exited_at)
    return calendar_days_between(start, end), business_days_between(start, end)
