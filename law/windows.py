"""The windows a party has to act, as data a lawyer can read: days, counting rule, party, what the
window runs from, where on the road it runs, its citation and what is still to verify.

The one source of truth for them: the deadlines, the public calculator (GET
/api/v1/deadlines/calculate, `fairtrack deadline`), the application detail and GET
/api/v1/regulators/{slug} all read here. A window the law gives every body on a route applies to
all of them; a window a body publishes for itself (its internal review, facts/ontario.md s. 4) names
that body. Nothing is invented: a body whose window is not known has none here, and the calculator
says so.

Sources: facts/ontario.md s. 3 (health route), s. 4 (non-health route), s. 5 (counting time and
receipt). Facts marked "to verify" there stay marked here, so that a correction is a one-line change.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from law.calendar import COUNTING_RULES, CountingRule, DayRule, holiday_name, period_end
from law.road import Clock, Fact, State, Trigger


class WindowKind(StrEnum):
    """A time limit a party has, named by what it is for."""

    committee_submissions = "committee_submissions"  # written submissions after a referral
    appeal_board_request = "appeal_board_request"  # require HPARB to review or hear
    divisional_court_appeal = "divisional_court_appeal"  # the applicant appeals the board's order
    college_court_appeal = "college_court_appeal"  # the college appeals the board's order
    internal_review_request = "internal_review_request"  # ask a FARPACTA body's internal review
    internal_review_submissions = "internal_review_submissions"  # submissions to that review


class SentBy(StrEnum):
    """How a notice or decision was sent to the applicant."""

    in_person = "in_person"
    email = "email"
    regular_mail = "regular_mail"


# Statutory Powers Procedure Act s. 18 (to verify): regular mail is deemed received on the fifth
# day after mailing.
MAIL_DEEMED_DAYS = 5
RECEIPT_RULE = ("Statutory Powers Procedure Act s. 18 (to verify): a notice sent by regular mail "
                "is deemed received on the fifth day after mailing")


class ReceiptBasis(StrEnum):
    """Why a window runs from the day it does: each basis `receipt` and `start_of` write."""

    actual = "actual"  # the applicant recorded the day it reached them
    deemed_by_mail = "deemed_by_mail"  # regular mail: deemed received five days after mailing
    in_person = "in_person"
    email = "email"
    sent = "sent"  # sent that day, how not recorded
    decision_day = "decision_day"  # no sending recorded: the day of the decision
    order_made = "order_made"  # a court window: the making of the order, not its receipt
    given_day = "given_day"  # the calculator: the day given taken as the day of receipt


# How each basis is written (the stored text starts so; `basis_of` reads it back).
BASIS_WORDS: dict[ReceiptBasis, str] = {
    ReceiptBasis.actual: "actual receipt recorded",
    ReceiptBasis.deemed_by_mail: "deemed receipt",
    ReceiptBasis.in_person: "handed over in person",
    ReceiptBasis.email: "sent by email",
    ReceiptBasis.sent: "sent on",
    ReceiptBasis.decision_day: "no sending recorded",
    ReceiptBasis.order_made: "the day the order was made",
    ReceiptBasis.given_day: "the day given",
}


def basis_of(text: str | None) -> ReceiptBasis | None:
    """The basis a stored `receipt_basis` states (None: none stated)."""
    if not text:
        return None
    return next((basis for basis, words in BASIS_WORDS.items() if text.startswith(words)), None)


def receipt(
    decided_on: date, sent_on: date | None = None, sent_by: SentBy | None = None,
    received_on: date | None = None,
) -> tuple[date, str]:
    """The day a notice or decision counts as received, and why: the actual receipt when recorded,
    else the receipt the law deems for how it was sent, else the day it was sent (or made)."""
    if received_on is not None:
        return received_on, f"{BASIS_WORDS[ReceiptBasis.actual]}: {received_on.isoformat()}"
    sent = sent_on or decided_on
    day = sent.isoformat()
    if sent_by is SentBy.regular_mail:
        deemed = sent + timedelta(days=MAIL_DEEMED_DAYS)
        return deemed, (f"{BASIS_WORDS[ReceiptBasis.deemed_by_mail]}: sent by regular mail on "
                        f"{day}, deemed received on the fifth day after mailing ({RECEIPT_RULE})")
    if sent_by is SentBy.in_person:
        return sent, f"{BASIS_WORDS[ReceiptBasis.in_person]} on {day}"
    if sent_by is SentBy.email:
        return sent, (f"{BASIS_WORDS[ReceiptBasis.email]} on {day}: taken as received that day "
                      "(no deemed receipt for email is encoded; to verify)")
    if sent_on is not None:
        return sent, (f"{BASIS_WORDS[ReceiptBasis.sent]} {day}, how not recorded: taken as "
                      "received that day (to verify)")
    return sent, (f"{BASIS_WORDS[ReceiptBasis.decision_day]}: the day of the decision, {day}, is "
                  "taken as the day of receipt (to verify)")


@dataclass(frozen=True)
class WindowLaw:
    """A period a party has to act, and where on the road it runs."""

    kind: WindowKind
    days: int
    counting: DayRule
    party: Clock
    runs_from: str
    from_receipt: bool  # runs from receipt (deemed or actual), not from the making of the order
    citation: str
    source: str  # a key of law.sources.SOURCES
    to_verify: str | None
    # The states the window opens in, each with the route facts it needs there; empty: no step
    # of the road opens it (the calculator answers for it all the same).
    opens_in: dict[str, frozenset[Fact]]
    # The states it stays open in (besides those it opens in): a submissions window runs to its
    # last day even when the committee takes the file up early.
    also_runs_in: frozenset[str] = frozenset()
    # The party's acts that use it: they close it as met (or late).
    used_by: frozenset[str] = frozenset()
    # The party's acts that use it and leave it open to its last day (submissions, more may come).
    marked_by: frozenset[str] = frozenset()
    # The party's acts that give it up before its last day (a written waiver).
    waived_by: frozenset[str] = frozenset()
    # The step that may lengthen it or reopen it once lapsed (None: no extension is encoded).
    extended_by: Trigger | None = None
    # None: every body on the route; else only these regulators (a body's published window).
    bodies: frozenset[str] | None = None

    @property
    def code(self) -> str:
        return self.kind.value

    @property
    def runs_in(self) -> frozenset[str]:
        return frozenset(self.opens_in) | self.also_runs_in

    @property
    def rule(self) -> CountingRule:
        return COUNTING_RULES[self.counting]


HEALTH = frozenset({Fact.health})
COMMITTEE_ORDER = frozenset({Fact.health, Fact.decided_by_committee})
ANY_ROUTE: frozenset[Fact] = frozenset()
S, T = State, Trigger
COURT_USE = frozenset({T.file_court_appeal, T.record_court_filing})

WINDOWS: tuple[WindowLaw, ...] = (
    WindowLaw(
        kind=WindowKind.committee_submissions, days=30, counting=DayRule.legislation_act,
        party=Clock.applicant,
        runs_from="receipt of the written notice of referral to the Registration Committee",
        from_receipt=True,
        citation="Health Professions Procedural Code (RHPA 1991, Sch. 2), s. 15(3); "
        "Legislation Act, 2006 s. 89 (last day a holiday)",
        source="Code",
        to_verify="Code section number to verify (30 days confirmed on RCDSO and CRTO pages); "
        "s. 89 wording to verify",
        opens_in={S.referred_to_committee: HEALTH},
        also_runs_in=frozenset({S.committee_review}),
        marked_by=frozenset({T.make_submissions}),
        waived_by=frozenset({T.waive_submissions}),
    ),
    WindowLaw(
        kind=WindowKind.appeal_board_request, days=30, counting=DayRule.legislation_act,
        party=Clock.applicant,
        runs_from="receipt of the Registration Committee's order and reasons",
        from_receipt=True,
        citation="Health Professions Procedural Code (RHPA 1991, Sch. 2), s. 19 or s. 21 "
        "(require an HPARB review or hearing); Legislation Act, 2006 s. 89",
        source="Code",
        to_verify="Code section (19 or 21) to verify (30 days confirmed on COKO and CRTO pages); "
        "HPARB's power to extend the time to verify",
        # Every committee order but a plain registration: a refusal, registration with terms,
        # conditions or limitations, an order to complete requirements.
        opens_in={S.refused_appealable: COMMITTEE_ORDER,
                  S.requirements_outstanding: COMMITTEE_ORDER,
                  S.conditions_appealable: COMMITTEE_ORDER},
        used_by=frozenset({T.request_appeal}),
        extended_by=T.extend_appeal_time,
    ),
    WindowLaw(
        kind=WindowKind.divisional_court_appeal, days=30, counting=DayRule.civil_procedure,
        party=Clock.applicant,
        runs_from="the making of HPARB's order (not its receipt)",
        from_receipt=False,
        citation="Health Professions Procedural Code, s. 70 (appeal to the Divisional Court); "
        "Rules of Civil Procedure, r. 61.04(1) (serve the notice of appeal within 30 days), "
        "counted under r. 1.03 and r. 3.01",
        source="Rules of Civil Procedure",
        to_verify="Code s. 70 and r. 61.04(1) to verify; r. 1.03 wording to verify",
        opens_in={S.appeal_dismissed: HEALTH, S.appeal_board_ordered: HEALTH},
        used_by=COURT_USE,
        extended_by=T.extend_court_time,
    ),
    WindowLaw(
        kind=WindowKind.college_court_appeal, days=30, counting=DayRule.civil_procedure,
        party=Clock.regulator,
        runs_from="the making of HPARB's order (not its receipt)",
        from_receipt=False,
        citation="Health Professions Procedural Code, s. 70 (a party may appeal to the "
        "Divisional Court); Rules of Civil Procedure, r. 61.04(1), r. 1.03 and r. 3.01",
        source="Rules of Civil Procedure",
        to_verify="Code s. 70 and r. 61.04(1) to verify; r. 1.03 wording to verify",
        opens_in={S.appeal_board_ordered: HEALTH},
        used_by=frozenset({T.college_court_appeal}),
        extended_by=T.extend_court_time,
    ),
    WindowLaw(
        kind=WindowKind.internal_review_request, days=60, counting=DayRule.legislation_act,
        party=Clock.applicant,
        runs_from="receipt of the registration decision",
        from_receipt=True,
        citation="OCSWSSW: 60 days to request a review by its Registration Appeals Committee "
        "(Social Work and Social Service Work Act, 1998; FARPACTA s. 9)",
        source="OCSWSSW review",
        to_verify="60 days confirmed on OCSWSSW's page (facts s. 4); the section of the Act, that "
        "it runs from receipt, and its counting under the Legislation Act, 2006 to verify",
        opens_in={S.refused_appealable: ANY_ROUTE, S.requirements_outstanding: ANY_ROUTE,
                  S.conditions_appealable: ANY_ROUTE},
        used_by=frozenset({T.request_appeal}),
        extended_by=T.extend_appeal_time,
        bodies=frozenset({"ocswssw"}),
    ),
    WindowLaw(
        kind=WindowKind.internal_review_submissions, days=35, counting=DayRule.legislation_act,
        party=Clock.applicant,
        runs_from="receipt of the file summary from the Registration Appeals Committee",
        from_receipt=True,
        citation="CECE: 35 days to make submissions after the file summary; a written decision "
        "within 60 days (Early Childhood Educators Act, 2007; FARPACTA s. 9)",
        source="CECE review",
        to_verify="35 days confirmed on CECE's page (facts s. 4); the section of the Act and its "
        "counting under the Legislation Act, 2006 to verify. FairTrack records no file summary, "
        "so no file opens this window: the calculator answers for it. The 60 days for the "
        "decision (from when: to verify) are not encoded as a service standard",
        opens_in={},
        bodies=frozenset({"cece"}),
    ),
)
WINDOW_CODES: tuple[str, ...] = tuple(dict.fromkeys(w.code for w in WINDOWS))


class UnknownWindow(KeyError):
    """No window has this code."""


class BodyNeeded(LookupError):
    """The window is a body's own: which body must be said."""


class NoKnownPeriod(LookupError):
    """The body's window of this kind is not known: none is invented."""


def bodies_with(code: str) -> list[str]:
    """The bodies that publish a window of this kind (empty: it is the same for every body)."""
    return sorted(b for w in WINDOWS if w.code == code and w.bodies for b in w.bodies)


def window_law(code: str, body: str | None = None) -> WindowLaw:
    """The window `code` as it applies to `body` (a regulator's slug)."""
    laws = [w for w in WINDOWS if w.code == code]
    if not laws:
        raise UnknownWindow(code)
    general = [w for w in laws if w.bodies is None]
    if general:
        return general[0]
    if body is None:
        raise BodyNeeded(code)
    mine = [w for w in laws if w.bodies is not None and body in w.bodies]
    if not mine:
        raise NoKnownPeriod(code)
    return mine[0]


def applies_to(window: WindowLaw, health: bool, body: str | None) -> bool:
    """Whether the window is on this route (a health college's, or another body's)."""
    if window.bodies is not None:
        return body is not None and body in window.bodies
    possible = set(Fact) if health else set(Fact) - {Fact.health}
    return not window.opens_in or any(need <= possible for need in window.opens_in.values())


def windows_on_route(health: bool, body: str | None = None) -> list[WindowLaw]:
    """The windows an application may meet on a health college's route, or on another body's
    (with `body`, that body's published windows as well)."""
    return [w for w in WINDOWS if applies_to(w, health, body)]


def windows_opening(state: str, facts: set[Fact], body: str | None = None) -> list[WindowLaw]:
    """The windows that start running when an application enters `state` on this route."""
    return [
        w for w in WINDOWS
        if state in w.opens_in and w.opens_in[state] <= facts
        and (w.bodies is None or (body is not None and body in w.bodies))
    ]


@dataclass(frozen=True)
class Calculation:
    """A window's last day from a date, as the law counts it, with the reasons."""

    window: WindowLaw
    start: date  # the date given: the decision's (or the sending's), or the order's
    last_day: date
    # Days the count stepped over at its end because the law does not let a period end on them.
    holidays_stepped_over: tuple[tuple[date, str], ...]
    runs_from: date  # the day the period runs from: receipt, deemed or actual, or the order
    basis: str  # why it runs from that day

    @property
    def counting(self) -> CountingRule:
        return self.window.rule


def count_from(window: WindowLaw, runs_from: date) -> tuple[date, tuple[tuple[date, str], ...]]:
    """The last day of `window` running from `runs_from`, and the holidays stepped over."""
    nominal = runs_from + timedelta(days=window.days)
    last_day = period_end(runs_from, window.days, window.counting)
    stepped = []
    day = nominal
    while day < last_day:
        stepped.append((day, holiday_name(day, window.counting) or ""))
        day += timedelta(days=1)
    return last_day, tuple(stepped)


def start_of(
    window: WindowLaw, decided_on: date, sent_on: date | None = None,
    sent_by: SentBy | None = None, received_on: date | None = None,
) -> tuple[date, str]:
    """The day `window` runs from, and why: receipt for a window running from receipt, else the
    day the order was made."""
    if not window.from_receipt:
        return decided_on, (f"{BASIS_WORDS[ReceiptBasis.order_made]}, {decided_on.isoformat()}: "
                            f"{window.runs_from}")
    return receipt(decided_on, sent_on, sent_by, received_on)


def calculate(
    code: str, start: date, *, body: str | None = None, sent_by: SentBy | None = None,
    received_on: date | None = None,
) -> Calculation:
    """The last day of window `code` from `start`: the day the decision (or the order) was made
    or the notice sent; `sent_by` applies the receipt the law deems for how it was sent, and
    `received_on` an actual receipt. The first day is excluded and the last included; a last day
    that is a holiday under the window's counting rule moves to the next day that is not one.

    UnknownWindow for an unknown code; BodyNeeded or NoKnownPeriod for a body's own window.
    """
    window = window_law(code, body)
    sent_on = start if sent_by is not None else None
    runs_from, basis = start_of(window, start, sent_on, sent_by, received_on)
    if sent_by is None and received_on is None and window.from_receipt:
        basis = (f"{BASIS_WORDS[ReceiptBasis.given_day]}, {start.isoformat()}, is taken as the day "
                 "of receipt")
    last_day, stepped = count_from(window, runs_from)
    return Calculation(window, start, last_day, stepped, runs_from, basis)
