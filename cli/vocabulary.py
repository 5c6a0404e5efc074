"""The domain's vocabulary people read, kind by kind: every state, stage, trigger, outcome, flag...
read from the enums that define them, so that a new one is in the catalogs' to-do list at once.

Each word is a catalog entry in a context named after its kind (`msgctxt "state"`, `msgid
"under_review"`); `i18n.Translator.label(kind, code)` reads it. Some kinds have a second entry, a
sentence: what happens next in a state (`state_next`), what an applicant's step does (`step_help`).
`make messages` extracts them all (i18n/babel.cfg); tests/i18n fails while any lacks English or
French, naming the lines to add.
"""

from collections.abc import Iterable, Iterator
from typing import Any

from deadlines.schemas import DeadlineKind, DeadlineStatus
from flags.rules import FLAG_KINDS
from flags.schemas import FlagActionKind, FlagStatus, Severity
from law.calendar import DayRule
from law.road import (
    CREATE_TRIGGER,
    STATES,
    TRIGGER_ROLES,
    Clock,
    Outcome,
    Requirement,
    Role,
    Stage,
    Trigger,
)
from law.standards import DayCount
from law.windows import ReceiptBasis, SentBy, WindowKind
from profiles.schemas import IRCC_LANGUAGE_TESTS, ImmigrationStatus
from regulators.files import Sector
from workflow.schemas import REVIEW_OR_HEARING


def _codes(values: Iterable[Any]) -> tuple[str, ...]:
    return tuple(str(value) for value in values)


APPLICANT_TRIGGERS = tuple(t for t, role in TRIGGER_ROLES.items() if role is Role.applicant)

VOCABULARY: dict[str, tuple[str, ...]] = {
    # A state's short name, and what happens next there (who must act).
    "state": _codes(s.name for s in STATES),
    "state_next": _codes(s.name for s in STATES),
    "stage": _codes(Stage),
    # A step as the timeline records it ("Application submitted"); the applicant's own steps also
    # as a button says them ("Submit the application") and what each does.
    "trigger": (CREATE_TRIGGER, *_codes(Trigger)),
    "step": _codes(APPLICANT_TRIGGERS),
    "step_help": _codes(APPLICANT_TRIGGERS),
    "outcome": _codes(Outcome),
    "requirement": _codes(Requirement),
    # Whose clock runs (who must act).
    "clock": _codes(Clock),
    "role": _codes(Role),
    "window": _codes(WindowKind),
    "counting": (*_codes(DayRule), *_codes(DayCount)),
    "sector": _codes(Sector),
    "immigration_status": _codes(ImmigrationStatus),
    "language_test": IRCC_LANGUAGE_TESTS,
    "flag": FLAG_KINDS,
    "severity": _codes(Severity),
    "flag_status": _codes(FlagStatus),
    "flag_action": _codes(FlagActionKind),
    "deadline_kind": _codes(DeadlineKind),
    "deadline_status": _codes(DeadlineStatus),
    # Why a window runs from its first day, as the end of a sentence ("Counted from March 2: ..."),
    # how a notice was sent, and what an applicant requires of HPARB.
    "receipt_basis": _codes(ReceiptBasis),
    "sent_by": _codes(SentBy),
    "review_or_hearing": REVIEW_OR_HEARING,
}


def vocabulary() -> Iterator[tuple[str, str]]:
    """(kind, code) of every word, kind by kind."""
    for kind, codes in VOCABULARY.items():
        for code in dict.fromkeys(codes):
            yield kind, code


def extract_vocabulary(
    fileobj: Any, keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extraction method (i18n/babel.cfg): the vocabulary as pgettext(kind, code) calls."""
    for line, (kind, code) in enumerate(vocabulary(), start=1):
        yield line, "pgettext", (kind, code), []
