"""The applicant's statutory windows, as data a lawyer can read: days, counting rule, party, citation.

The one source of truth for them: they are law, the same for every regulator on a route, so the
regulators' files do not carry them; the deadlines and GET /api/v1/regulators/{slug} both read here.

Source: ../shared/facts/ontario.md s. 3 (health route) and s. 5 (counting time). Facts marked "to
verify" there stay marked here, so that a correction is a one-line change. The non-health route has
no window here: facts s. 4 gives no period for a FARPACTA body's internal review or the appeal after
it (set by each profession's own Act), so none is invented.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from law.calendar import DayRule, holiday_name, period_end
from law.road import Clock, Fact, State


class WindowKind(StrEnum):
    """A time limit the law gives the applicant, named by what it is for."""

    committee_submissions = "committee_submissions"  # written submissions after a referral
    appeal_board_request = "appeal_board_request"  # require the appeal board to review or hear
    divisional_court_appeal = "divisional_court_appeal"  # appeal the appeal board's decision


@dataclass(frozen=True)
class WindowLaw:
    """A period the law gives a party to act, and where on the road it runs."""

    kind: WindowKind
    days: int
    counting: DayRule
    party: Clock
    runs_from: str
    citation: str
    to_verify: str | None
    # The states the window runs in, each with the route facts it needs there.
    opens_in: dict[str, frozenset[Fact]]


HEALTH = frozenset({Fact.health})
COMMITTEE_ORDER = frozenset({Fact.health, Fact.decided_by_committee})
# The day of the event is taken as the day of receipt. A notice sent by regular mail is deemed
# received on the fifth day after mailing (Statutory Powers Procedure Act s. 18, to verify): FairTrack
# records no mailing, so that deeming is not applied.
RECEIPT = "receipt is taken as the event's date; SPPA s. 18 deemed receipt by mail not applied"

WINDOWS: tuple[WindowLaw, ...] = (
    WindowLaw(
        kind=WindowKind.committee_submissions,
        days=30,
        counting=DayRule.legislation_act,
        party=Clock.applicant,
        runs_from="receipt of the written notice of referral to the Registration Committee",
        citation="Health Professions Procedural Code (RHPA 1991, Sch. 2), s. 15(3); "
        "Legislation Act, 2006 s. 89 (last day a holiday)",
        to_verify=f"Code section number to verify (30 days confirmed on RCDSO and CRTO pages); "
        f"s. 89 wording to verify; {RECEIPT}",
        opens_in={State.referred_to_committee: HEALTH},
    ),
    WindowLaw(
        kind=WindowKind.appeal_board_request,
        days=30,
        counting=DayRule.legislation_act,
        party=Clock.applicant,
        runs_from="receipt of the Registration Committee's order and reasons",
        citation="Health Professions Procedural Code (RHPA 1991, Sch. 2), s. 19 or s. 21 "
        "(require an HPARB review or hearing); Legislation Act, 2006 s. 89",
        to_verify=f"Code section (19 or 21) to verify (30 days confirmed on COKO and CRTO pages); "
        f"{RECEIPT}",
        # A refusal, or the committee's order to complete requirements, both go to HPARB.
        opens_in={State.refused_appealable: COMMITTEE_ORDER,
                  State.requirements_outstanding: COMMITTEE_ORDER},
    ),
    WindowLaw(
        kind=WindowKind.divisional_court_appeal,
        days=30,
        counting=DayRule.civil_procedure,
        party=Clock.applicant,
        runs_from="the making of HPARB's order",
        citation="Health Professions Procedural Code, s. 70 (appeal to the Divisional Court); "
        "Rules of Civil Procedure, r. 61.04(1) (30 days), counted under the Rules",
        to_verify="Code s. 70 and r. 61.04(1) to verify; the Rules' counting (Saturdays are "
        "holidays) to verify",
        opens_in={State.appeal_dismissed: HEALTH},
    ),
)


def windows_on_route(health: bool) -> list[WindowLaw]:
    """The windows an application may meet on a health college's route, or on another body's: those
    some state opens with facts that route can have."""
    possible = set(Fact) if health else set(Fact) - {Fact.health}
    return [w for w in WINDOWS if any(need <= possible for need in w.opens_in.values())]


def windows_opening(state: str, facts: set[Fact]) -> list[WindowLaw]:
    """The windows that start running when an application enters `state` on this route."""
    return [w for w in WINDOWS if state in w.opens_in and w.opens_in[state] <= facts]



@dataclass(frozen=True)
class Calculation:
    """A window's last day from a start date, as the law counts it, with the reasons."""

    window: WindowLaw
    start: date
    last_day: date
    # Days the count stepped over at its end because the law does not let a period end on them.
    holidays_stepped_over: tuple[tuple[date, str], ...]


WINDOW_BY_CODE: dict[str, WindowLaw] = {w.kind.value: w for w in WINDOWS}


def calculate(code: str, start: date) -> Calculation:
    """The last day of window `code` running from `start` (the day of receipt): the first day is
    excluded and the last included; a last day that is a holiday under the window's counting rule
    moves to the next day that is not one. KeyError for an unknown window."""
    window = WINDOW_BY_CODE[code]
    nominal = start + timedelta(days=window.days)
    last_day = period_end(start, window.days, window.counting)
    stepped = []
    day = nominal
    while day < last_day:
        stepped.append((day, holiday_name(day, window.counting) or ""))
        day += timedelta(days=1)
    return Calculation(window, start, last_day, tuple(stepped))
