"""Deadlines turned into what callers see: an application's rows (with the calculator's reasons)
and the public calculator's answer, both from law.windows."""

from datetime import date

from deadlines.models import Deadline
from deadlines.schemas import CountingRuleView, DeadlineCalculation, DeadlineView, HolidayView
from deadlines.service import STATUTORY_WINDOW, law_of
from fairtrack.errors import InvalidRequest
from law.windows import (
    WINDOW_CODES,
    BodyNeeded,
    NoKnownPeriod,
    SentBy,
    UnknownWindow,
    applies_to,
    bodies_with,
    calculate,
    count_from,
)
from regulators.files import Sector
from regulators.registry import Registry

# The dates the calculator counts from: Ontario's calendars are built for any year, but a date
# outside these is no one's deadline (and stays far from what dates can hold).
EARLIEST, LATEST = date(1900, 1, 1), date(2200, 12, 31)


def deadline_view(row: Deadline, regulator: str) -> DeadlineView:
    """One deadline row; a statutory window with what it runs from and the holidays its last day
    stepped over (law.windows.count_from, as the calculator counts)."""
    view = DeadlineView(
        kind=row.kind, code=row.code, stage=row.stage, party=row.party, days=row.days,
        counting=row.counting, due_on=row.due_on, starts_on=row.starts_on, status=row.status,
        legal_basis=row.legal_basis, to_verify=row.to_verify, is_default=row.is_default,
        paused=row.paused_on is not None, receipt_basis=row.receipt_basis,
        acted_on=row.acted_on, original_due_on=row.original_due_on,
    )
    law = law_of(row, regulator) if row.kind == STATUTORY_WINDOW else None
    if law is not None:
        view.runs_from = law.runs_from
        last_day, stepped = count_from(law, row.starts_on)
        if last_day == row.due_on:
            view.holidays_stepped_over = [HolidayView(day=d, name=n) for d, n in stepped]
    return view


def calculation(
    registry: Registry, window: str, start: date, regulator: str | None = None,
    sent_by: SentBy | None = None, received_on: date | None = None,
) -> DeadlineCalculation:
    """The public calculator: the last day of `window` from `start` for a route (a regulator's),
    with the counting rule, the holidays stepped over, the citation and what is to verify."""
    for name, day in (("start", start), ("received_on", received_on)):
        if day is not None and not EARLIEST <= day <= LATEST:
            raise InvalidRequest(f"{name} must be from {EARLIEST} to {LATEST}", field=name)
    if received_on is not None and received_on < start:
        raise InvalidRequest("received_on is before start", field="received_on")
    if regulator is not None:
        rules = registry.regulator(regulator)
        if rules is None:
            raise InvalidRequest(f"unknown regulator '{regulator}'; GET /api/v1/regulators lists "
                                 "them", field="regulator")
    try:
        calc = calculate(window, start, body=regulator, sent_by=sent_by, received_on=received_on)
    except UnknownWindow:
        raise InvalidRequest(f"unknown window '{window}'; known: {list(WINDOW_CODES)}",
                             field="window", known=list(WINDOW_CODES)) from None
    except BodyNeeded:
        raise InvalidRequest(
            f"'{window}' is a body's own window: give regulator= (known for "
            f"{bodies_with(window)}; for others none is known)", field="regulator",
            known=bodies_with(window)) from None
    except NoKnownPeriod:
        return DeadlineCalculation(
            window=window, regulator=regulator, known=False, start=start,
            sent_by=sent_by.value if sent_by else None, runs_from=None, basis=None, days=None,
            last_day=None, party=None, runs_from_in_law=None, counting=None, citation=None,
            to_verify=[f"{regulator}'s {window}: no published period is known to FairTrack"],
            note=f"No period is known for {regulator}'s {window}: none is invented. Read the "
            "body's own Act, regulations or by-laws, or ask the body.",
        )
    law = calc.window
    if regulator is not None:
        rules = registry.regulator(regulator)
        assert rules is not None
        if not applies_to(law, rules.sector is Sector.health, regulator):
            raise InvalidRequest(f"'{window}' is not on {rules.acronym}'s route", field="window")
    counting = calc.counting
    to_verify = [t for t in (law.to_verify, counting.to_verify) if t]
    if "to verify" in calc.basis:
        to_verify.append(calc.basis)
    return DeadlineCalculation(
        window=law.code, regulator=regulator, known=True, start=start,
        sent_by=sent_by.value if sent_by else None, runs_from=calc.runs_from, basis=calc.basis,
        days=law.days, last_day=calc.last_day,
        holidays_stepped_over=[HolidayView(day=d, name=n) for d, n in calc.holidays_stepped_over],
        party=law.party.value, runs_from_in_law=law.runs_from,
        counting=CountingRuleView(rule=counting.rule.value, name=counting.name,
                                  holidays=counting.holidays, counting=counting.counting,
                                  citation=counting.citation, to_verify=counting.to_verify),
        citation=law.citation, to_verify=to_verify,
    )

