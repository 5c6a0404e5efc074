"""Daily chain heads over the whole event log, for auditors to keep outside the database.

The head of UTC day D is SHA-256 over the previous day's head, the day, and the hashes of every
event recorded that day in (recorded_at, id) order. Someone with write access to the database can
rewrite an event and recompute its application's chain so that `verify` alone agrees; the day's
head then changes, and so does every later one, which a copy exported earlier shows.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from workflow.ledger import GENESIS_HASH
from workflow.models import Event

STREAM_BATCH = 5_000


@dataclass(frozen=True)
class DayHead:
    day: str  # ISO date, UTC
    events: int  # events recorded that day
    total: int  # events recorded up to the end of that day
    head: str


def _day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()


def day_heads(session: Session, through: date | None = None) -> Iterator[DayHead]:
    """Each day's head, oldest first, up to and including `through` (default: every day)."""
    query = select(col(Event.recorded_at), col(Event.hash)).order_by(
        col(Event.recorded_at), col(Event.id)
    )
    digest, current, head, count, total = None, None, GENESIS_HASH, 0, 0
    for recorded_at, event_hash in session.execute(
        query.execution_options(yield_per=STREAM_BATCH)
    ):
        day = _day(recorded_at)
        if through is not None and day > through:
            break
        if day != current:
            if digest is not None and current is not None:
                head = digest.hexdigest()
                yield DayHead(current.isoformat(), count, total, head)
            digest, current, count = hashlib.sha256(f"{head}\n{day.isoformat()}".encode()), day, 0
        assert digest is not None
        digest.update(f"\n{event_hash}".encode())
        count += 1
        total += 1
    if digest is not None and current is not None:
        yield DayHead(current.isoformat(), count, total, digest.hexdigest())


def closed_day_heads(session: Session, today: date | None = None) -> list[DayHead]:
    """Heads of the days that are over (UTC): only these are final and worth handing out."""
    today = today or datetime.now(UTC).date()
    return [h for h in day_heads(session) if date.fromisoformat(h.day) < today]


def dump_heads(heads: Iterable[DayHead]) -> str:
    return "".join(json.dumps(asdict(h), sort_keys=True) + "\n" for h in heads)


class HeadsFileError(ValueError):
    """An exported heads file that cannot be read; the message says where."""


def load_heads(text: str) -> list[DayHead]:
    heads = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            head = DayHead(str(data["day"]), int(data["events"]), int(data["total"]), str(data["head"]))
            date.fromisoformat(head.day)
        except (ValueError, KeyError, TypeError) as exc:
            raise HeadsFileError(f"line {number}: not a day head ({exc})") from exc
        heads.append(head)
    return heads


def compare_heads(session: Session, kept: list[DayHead]) -> list[str]:
    """What differs between heads exported earlier and the log as it is now (empty: none)."""
    if not kept:
        return []
    last = max(date.fromisoformat(h.day) for h in kept)
    now = {h.day: h for h in day_heads(session, through=last)}
    problems = []
    for old in kept:
        new = now.get(old.day)
        if new is None:
            problems.append(f"{old.day}: {old.events} events exported, none in the log now")
        elif new != old:
            problems.append(
                f"{old.day}: exported head {old.head[:16]}… over {old.events} events "
                f"({old.total} in all), the log now gives {new.head[:16]}… over {new.events} "
                f"({new.total} in all)"
            )
    kept_days = {h.day for h in kept}
    problems.extend(
        f"{day}: {h.events} events recorded on a day the export has no head for"
        for day, h in now.items() if day not in kept_days
    )
    return sorted(problems)


# Closed days' heads are final (an event is recorded at the time it is written): the last one is
# kept per database with the newest event under it (its id and hash), so that a second report that
# day does not walk the whole log again. Finding that event reads the primary key backwards over
# today's events only, not the whole log. Events added since with a time before the day ended (a
# demo or an import of old history) or another log in the same database (a restore) change it,
# and the log is walked again. An old event edited or deleted in place is tampering, which
# `fairtrack verify --heads` is for: the kept head stays the one the log had when it was walked,
# until the process restarts or the day ends.
@dataclass(frozen=True)
class _Kept:
    end: datetime  # the start of the UTC day the head is kept for (events before it are under it)
    newest: tuple[int, str]  # the id and hash of the newest event under the head
    head: DayHead


_LAST_CLOSED: dict[str, _Kept] = {}


def _newest_before(session: Session, end: datetime) -> tuple[int, str] | None:
    row = session.execute(
        select(col(Event.id), col(Event.hash)).where(col(Event.recorded_at) < end)
        .order_by(col(Event.id).desc()).limit(1)
    ).first()
    return None if row is None or row[0] is None else (row[0], str(row[1]))


def last_closed_head(session: Session, today: date | None = None) -> DayHead | None:
    """The head of the last UTC day before `today` with events (None: no such day)."""
    today = today or datetime.now(UTC).date()
    end = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    database = str(session.get_bind().engine.url)
    newest = _newest_before(session, end)
    if newest is None:
        return None
    kept = _LAST_CLOSED.get(database)
    if kept is not None and kept.end == end and kept.newest == newest:
        return kept.head
    last = None
    for last in day_heads(session, through=today - timedelta(days=1)):  # noqa: B007 - the last
        pass
    if last is None:
        return None
    _LAST_CLOSED.clear()  # one database's head at a time
    _LAST_CLOSED[database] = _Kept(end, newest, last)
    return last
