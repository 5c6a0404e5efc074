"""Fairness staff's pages: the oversight dashboard across regulators (timeliness, outcomes, open
flags, each chart with its table and its CSV), the drill-down to one regulator and to one
application (read only), and flag triage (filters refused when unknown, acknowledge, resolve with a
note, each flag's history).

The figures are the JSON API's (oversight.timeliness, oversight.outcomes, flags.service), asked with
the same caller; the pages only draw them (charts.bars) and withhold what the API withholds, and
percentiles of fewer than MINIMUM_CELL cases.
"""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from accounts.actor import Actor
from api.csv_export import csv_response
from api.deps import RegistryDep, SessionDep
from api.pages.application_view import application_page_context
from api.pages.forms import form_text
from api.pages.rendering import CheckedOversight, OversightVisitor, Visitor
from api.pages.staff import refuse_unknown
from casefile.detail import application_file
from casefile.flags import triage as triage_unit
from charts.bars import Chart, bar_chart
from fairtrack.columns import utcnow
from fairtrack.errors import InvalidRequest
from fairtrack.pagination import MAX_ID
from flags.rules import FLAG_KINDS
from flags.schemas import FlagStatus, Severity
from flags.service import FlagStateConflict, flag_with_history, list_flags, open_flag_counts
from i18n import Translator, msg
from oversight.outcomes import MINIMUM_CELL, outcomes
from oversight.rollups import TIMED_STAGES
from oversight.schemas import Outcomes, TimelinessRow
from oversight.sql import PERIODS
from oversight.timeliness import timeliness
from regulators.registry import Registry

router = APIRouter(include_in_schema=False)
Short = Annotated[str, Query(max_length=40)]
FIGURE_FILTERS = frozenset({"period", "since", "until", "stage"})
FLAG_FILTERS = frozenset({"kind", "severity", "regulator", "status", "age", "cursor"})
OUTCOME_DIMENSIONS = ("immigration_status", "country_of_education", "started_before_arrival")
FLAG_AGES = (7, 30, 90, 365)
FLAGS_PAGE = 25
WITHHELD = "<10"


@dataclass(frozen=True)
class Figures:
    """What the dashboard (or one regulator's page) was asked for, checked."""

    period: str
    since: date | None
    until: date | None
    stage: str | None

    def query(self) -> dict[str, str]:
        asked = {"period": self.period, "since": self.since, "until": self.until,
                 "stage": self.stage}
        return {k: str(v) for k, v in asked.items() if v}


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidRequest(msg("{name} is a date such as 2026-03-02", name=name),
                             field=name) from None


def figures_asked(request: Request, period: str, since: str, until: str, stage: str,
                  known: frozenset[str] = FIGURE_FILTERS) -> Figures:
    refuse_unknown(request, known)
    if stage and stage not in TIMED_STAGES:
        raise InvalidRequest(msg("stage is one of {stages}", stages=", ".join(TIMED_STAGES)),
                             field="stage")
    if period not in PERIODS:
        raise InvalidRequest(msg("period is one of {periods}", periods=", ".join(PERIODS)),
                             field="period")
    return Figures(period, _day(since, "since"), _day(until, "until"), stage or None)


def _withheld(row: TimelinessRow, value: float) -> float | None:
    return None if row.count < MINIMUM_CELL else value


def timeliness_rows(t: Translator, rows: Sequence[TimelinessRow],
                    registry: Registry) -> list[tuple[str, ...]]:
    """The timeliness table: percentiles of fewer than MINIMUM_CELL visits withheld."""
    def cell(row: TimelinessRow, value: float | None, percent: bool = False) -> str:
        if value is None:
            return "—"
        if row.count < MINIMUM_CELL:
            return WITHHELD
        return t.percent(value) if percent else t.number(value)

    return [
        (_regulator_name(t, registry, r.regulator), t.label("stage", r.stage), r.period,
         t.number(r.count), cell(r, r.median_business_days), cell(r, r.p80_business_days),
         cell(r, r.p90_business_days),
         t.gettext("%(days)s (%(counting)s)") % {"days": r.standard_days, "counting": t.label(
             "counting", "calendar" if r.standard_counting == "calendar" else "project_business")}
         if r.standard_days is not None else "—",
         cell(r, r.share_over_standard, percent=True), cell(r, r.mean_attributable_business_days))
        for r in rows
    ]


def timeliness_headers(t: Translator) -> tuple[str, ...]:
    return (t.gettext("Regulator"), t.gettext("Stage"), t.gettext("Period"), t.gettext("Cases"),
            t.gettext("Median (business days)"), t.gettext("80th percentile"),
            t.gettext("90th percentile"), t.gettext("Service standard (days)"),
            t.gettext("Share over the standard"), t.gettext("Attributable days (mean)"))


def _regulator_name(t: Translator, registry: Registry, slug: str) -> str:
    regulator = registry.regulator(slug)
    return regulator.acronym if regulator else slug


def _latest(rows: Sequence[TimelinessRow], key: Any) -> list[TimelinessRow]:
    """Each group's most recent period (rows come ordered by regulator, stage, period)."""
    latest: dict[Any, TimelinessRow] = {}
    for row in rows:
        latest[key(row)] = row
    return list(latest.values())


def timeliness_chart(t: Translator, rows: list[TimelinessRow], labels: list[str], ident: str,
                     title: str, label_header: str) -> Chart:
    return bar_chart(
        title, labels,
        [(t.gettext("Median"), [_withheld(r, r.median_business_days) for r in rows]),
         (t.gettext("80th percentile"), [_withheld(r, r.p80_business_days) for r in rows]),
         (t.gettext("90th percentile"), [_withheld(r, r.p90_business_days) for r in rows])],
        label_header=label_header, missing=WITHHELD, ident=ident,
    )


def _group_label(t: Translator, by: str, group: str) -> str:
    if group == "unknown":
        return t.gettext("Not known")
    if by == "immigration_status":
        return t.label("immigration_status", group)
    if by == "started_before_arrival":
        return t.gettext("Yes") if group == "yes" else t.gettext("No")
    return group


def outcome_table(t: Translator, figures: Outcomes) -> tuple[Chart, list[tuple[str, ...]]]:
    title = {"immigration_status": t.gettext("Outcomes by immigration status"),
             "country_of_education": t.gettext("Outcomes by country of education"),
             "started_before_arrival": t.gettext("Outcomes by pre-arrival start")}[figures.by]
    labels = [_group_label(t, figures.by, r.group) for r in figures.rows]
    chart = bar_chart(
        title, labels,
        [(t.gettext("Success rate (%)"),
          [None if r.success_rate is None else r.success_rate * 100 for r in figures.rows])],
        label_header=t.gettext("Group"), missing=WITHHELD, ident=f"outcomes-{figures.by}")
    rows = [
        (label, *(WITHHELD if r.suppressed else t.number(v) if v is not None else "—" for v in (
            r.people, r.applications, r.licensed)),
         WITHHELD if r.suppressed else t.percent(r.success_rate) if r.success_rate is not None
         else "—",
         WITHHELD if r.suppressed else t.number(r.median_days_to_licence)
         if r.median_days_to_licence is not None else "—")
        for label, r in zip(labels, figures.rows, strict=True)
    ]
    return chart, rows


def outcome_headers(t: Translator) -> tuple[str, ...]:
    return (t.gettext("Group"), t.gettext("People"), t.gettext("Applications"),
            t.gettext("Licensed"), t.gettext("Success rate"),
            t.gettext("Median days to licence"))


def _dashboard(visitor: Visitor, session: SessionDep, registry: Registry, asked: Figures,
               regulator: str | None) -> dict[str, Any]:
    """Everything the dashboard or one regulator's page shows: a constant number of queries."""
    t, actor = visitor.t, visitor.actor
    stage = asked.stage or (None if regulator else "regulator_review")
    figures = timeliness(session, actor, registry, regulator=regulator, stage=stage,
                         unit=asked.period, since=asked.since, until=asked.until)
    if regulator:
        latest = _latest(figures.rows, lambda r: r.stage)
        labels = [t.label("stage", r.stage) for r in latest]
        chart = timeliness_chart(t, latest, labels, "timeliness", t.gettext(
            "Business days per stage, {regulator}, latest period",
            regulator=_regulator_name(t, registry, regulator)), t.gettext("Stage"))
    else:
        latest = _latest(figures.rows, lambda r: r.regulator)
        labels = [_regulator_name(t, registry, r.regulator) for r in latest]
        chart = timeliness_chart(t, latest, labels, "timeliness", t.gettext(
            "Business days at the stage {stage}, latest period, by regulator",
            stage=t.label("stage", stage or "")), t.gettext("Regulator"))
    outcome_tables = [outcome_table(t, outcomes(session, actor, registry, by=by,
                                                regulator=regulator))
                      for by in OUTCOME_DIMENSIONS]
    counts = open_flag_counts(session, actor, regulator)
    by_kind: dict[str, int] = {}
    for _, kind, number in counts:
        by_kind[kind] = by_kind.get(kind, 0) + number
    flag_chart = bar_chart(
        t.gettext("Open fairness flags by kind"), [t.label("flag", k) for k in by_kind],
        [(t.gettext("Open flags"), [float(n) for n in by_kind.values()])],
        label_header=t.gettext("Kind"), digits=0, ident="flags-by-kind")
    return {
        "asked": asked, "regulator_slug": regulator, "stage": stage, "figures": figures,
        "chart": chart, "timeliness_headers": timeliness_headers(t),
        "timeliness_rows": timeliness_rows(t, figures.rows, registry),
        "outcome_tables": outcome_tables, "outcome_headers": outcome_headers(t),
        "flag_chart": flag_chart,
        "flag_counts": [(_regulator_name(t, registry, r), r, t.label("flag", k), k, n)
                        for r, k, n in counts],
        "periods": PERIODS, "stages": TIMED_STAGES,
        "period_names": {"month": t.gettext("Month"), "quarter": t.gettext("Quarter"),
                         "year": t.gettext("Year")}, "minimum_cell": MINIMUM_CELL,
        "query": asked.query(), "dimensions": OUTCOME_DIMENSIONS,
    }


def _crumbs(visitor: Visitor, *more: tuple[str, str]) -> list[tuple[str, str]]:
    t = visitor.t
    return [(t.gettext("Home"), "/"), (t.gettext("Oversight"), "/oversight"), *more]


@router.get("/oversight", response_class=HTMLResponse)
def dashboard_page(
    request: Request, visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    period: Short = "quarter", since: Short = "", until: Short = "", stage: Short = "",
) -> Response:
    asked = figures_asked(request, period, since, until, stage)
    return visitor.render("pages/oversight_dashboard.html", registry=registry,
                          breadcrumbs=[(visitor.t.gettext("Home"), "/")],
                          **_dashboard(visitor, session, registry, asked, None))


def _known_regulator(registry: Registry, slug: str) -> str:
    if slug not in registry.regulators:
        raise InvalidRequest(msg("unknown regulator '{slug}'", slug=slug), field="regulator")
    return slug


@router.get("/oversight/regulators/{slug}", response_class=HTMLResponse)
def regulator_page(
    request: Request, visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    slug: Annotated[str, Path(max_length=80)],
    period: Short = "quarter", since: Short = "", until: Short = "", stage: Short = "",
) -> Response:
    asked = figures_asked(request, period, since, until, stage)
    regulator = registry.regulators[_known_regulator(registry, slug)]
    flags, _ = list_flags(session, visitor.actor, kind=None, severity=None, status="open",
                          regulator=slug, limit=FLAGS_PAGE, cursor=None)
    return visitor.render(
        "pages/oversight_regulator.html", registry=registry, regulator=regulator, flags=flags,
        breadcrumbs=_crumbs(visitor), **_dashboard(visitor, session, registry, asked, slug))


@router.get("/oversight/applications/{reference}", response_class=HTMLResponse)
def oversight_application(
    visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    reference: Annotated[str, Path(min_length=1, max_length=40)],
) -> Response:
    """One application, read only (fairness staff never change state)."""
    from flags.service import flags_of_application

    file = application_file(session, visitor.actor, registry, reference)
    context = application_page_context(file, registry, visitor.t, staff=True)
    context["staff_steps"] = []
    context["flags"] = flags_of_application(session, visitor.actor, reference)
    context["documents"] = [(entry.what, document) for entry in context["timeline"]
                            for document in entry.documents]
    regulator = file.detail.regulator
    return visitor.render("pages/staff_application.html", read_only=True, breadcrumbs=_crumbs(
        visitor, (_regulator_name(visitor.t, registry, regulator), f"/oversight/regulators/{regulator}")),
        **context)


# CSV of the dashboard's tables, with the filters applied: the same figures, as numbers.

@router.get("/oversight/timeliness.csv")
def timeliness_csv(
    request: Request, visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    regulator: Short = "", period: Short = "quarter", since: Short = "", until: Short = "",
    stage: Short = "",
) -> Response:
    asked = figures_asked(request, period, since, until, stage, FIGURE_FILTERS | {"regulator"})
    figures = timeliness(session, visitor.actor, registry,
                         regulator=_known_regulator(registry, regulator) if regulator else None,
                         stage=asked.stage, unit=asked.period, since=asked.since, until=asked.until)

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in figures.rows:
            small = r.count < MINIMUM_CELL
            yield (r.regulator, r.stage, r.period, r.count,
                   *((WITHHELD if small else v) for v in (
                       r.median_business_days, r.p80_business_days, r.p90_business_days)),
                   r.standard_days, r.standard_counting,
                   WITHHELD if small else r.share_over_standard,
                   WITHHELD if small else r.mean_attributable_business_days)

    header = ("regulator", "stage", "period", "count", "median_business_days",
              "p80_business_days", "p90_business_days", "standard_days", "standard_counting",
              "share_over_standard", "mean_attributable_business_days")
    return visitor.finish(csv_response("timeliness.csv", header, rows()))


@router.get("/oversight/outcomes.csv")
def outcomes_csv(
    request: Request, visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    by: Short = "immigration_status", regulator: Short = "",
) -> Response:
    refuse_unknown(request, frozenset({"by", "regulator"}))
    figures = outcomes(session, visitor.actor, registry, by=by,
                       regulator=_known_regulator(registry, regulator) if regulator else None)
    rows = ((r.group, *((WITHHELD if r.suppressed else v) for v in (
        r.people, r.applications, r.licensed, r.success_rate, r.median_days_to_licence,
        r.p80_days_to_licence))) for r in figures.rows)
    header = (by, "people", "applications", "licensed", "success_rate",
              "median_days_to_licence", "p80_days_to_licence")
    return visitor.finish(csv_response(f"outcomes-{by}.csv", header, rows))


@router.get("/oversight/flag-counts.csv")
def flag_counts_csv(
    request: Request, visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    regulator: Short = "",
) -> Response:
    refuse_unknown(request, frozenset({"regulator"}))
    counts = open_flag_counts(session, visitor.actor,
                              _known_regulator(registry, regulator) if regulator else None)
    return visitor.finish(csv_response("open-flags.csv", ("regulator", "kind", "open_flags"),
                                       counts))


# Flag triage.

@dataclass(frozen=True)
class FlagFilter:
    kind: str | None
    severity: str | None
    regulator: str | None
    status: str | None
    age: int | None

    def query(self) -> dict[str, str]:
        return {k: str(v) for k, v in vars(self).items() if v}


def _choice(value: str, choices: Sequence[str], name: str) -> str | None:
    if value and value not in choices:
        raise InvalidRequest(msg("{name} is one of {choices}", name=name,
                                 choices=", ".join(choices)), field=name)
    return value or None


def flag_filter(request: Request, registry: Registry, kind: str, severity: str, regulator: str,
                status: str, age: str) -> FlagFilter:
    refuse_unknown(request, FLAG_FILTERS)
    ages = [str(a) for a in FLAG_AGES]
    return FlagFilter(
        kind=_choice(kind, FLAG_KINDS, "kind"),
        severity=_choice(severity, [s.value for s in Severity], "severity"),
        regulator=_known_regulator(registry, regulator) if regulator else None,
        status=_choice(status, [s.value for s in FlagStatus], "status"),
        age=int(age) if _choice(age, ages, "age") else None,
    )


def _flags(session: SessionDep, actor: Actor, asked: FlagFilter, limit: int,
           cursor: str | None) -> tuple[list[Any], str | None]:
    raised_before = utcnow() - timedelta(days=asked.age) if asked.age else None
    return list_flags(session, actor, kind=asked.kind, severity=asked.severity,
                      status=asked.status, regulator=asked.regulator, limit=limit, cursor=cursor,
                      raised_before=raised_before)


@router.get("/oversight/flags", response_class=HTMLResponse)
def flags_page(
    request: Request, visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    kind: Short = "", severity: Short = "", regulator: Short = "", status: Short = "",
    age: Short = "", cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    asked = flag_filter(request, registry, kind, severity, regulator, status, age)
    rows, next_cursor = _flags(session, visitor.actor, asked, FLAGS_PAGE, cursor)
    return visitor.render(
        "pages/oversight_flags.html", rows=rows, next_cursor=next_cursor, asked=asked,
        query=asked.query(), kinds=FLAG_KINDS, severities=[s.value for s in Severity],
        statuses=[s.value for s in FlagStatus], ages=FLAG_AGES,
        regulators=sorted(registry.regulators.values(), key=lambda r: r.acronym),
        registry=registry, breadcrumbs=_crumbs(visitor))


@router.get("/oversight/flags.csv")
def flags_csv(
    request: Request, visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
    kind: Short = "", severity: Short = "", regulator: Short = "", status: Short = "",
    age: Short = "",
) -> Response:
    asked = flag_filter(request, registry, kind, severity, regulator, status, age)
    actor = visitor.actor

    def rows() -> Iterator[tuple[Any, ...]]:
        cursor = None
        while True:
            page, cursor = _flags(session, actor, asked, 100, cursor)
            for flag, reference in page:
                yield (flag.id, reference, flag.regulator, flag.kind, flag.severity, flag.status,
                       flag.raised_at.isoformat(),
                       flag.acknowledged_at.isoformat() if flag.acknowledged_at else None,
                       flag.resolved_at.isoformat() if flag.resolved_at else None, flag.note)
            if cursor is None:
                return

    header = ("id", "application", "regulator", "kind", "severity", "status", "raised_at",
              "acknowledged_at", "resolved_at", "note")
    return visitor.finish(csv_response("flags.csv", header, rows()))


FlagId = Annotated[int, Path(ge=1, le=MAX_ID)]


def _flag_page(visitor: Visitor, session: SessionDep, registry: Registry, flag_id: int,
               status: int = 200, errors: dict[str, str] | None = None, note: str = "") -> Response:
    flag, reference, history = flag_with_history(session, visitor.actor, flag_id)
    return visitor.render(
        "pages/oversight_flag.html", status=status, flag=flag, reference=reference,
        history=history,
        regulator=registry.regulator(flag.regulator), errors=errors or {}, note=note,
        evidence=sorted((k, v) for k, v in flag.evidence.items() if v not in (None, "", [])),
        breadcrumbs=_crumbs(visitor, (visitor.t.gettext("Fairness flags"), "/oversight/flags")))


@router.get("/oversight/flags/{flag_id}", response_class=HTMLResponse)
def flag_page(visitor: OversightVisitor, session: SessionDep, registry: RegistryDep,
              flag_id: FlagId) -> Response:
    return _flag_page(visitor, session, registry, flag_id)


@router.get("/oversight/flags/{flag_id}/history.csv")
def flag_history_csv(visitor: OversightVisitor, session: SessionDep, flag_id: FlagId) -> Response:
    """The flag page's history table, one row per step (docs/data-dictionary.md)."""
    flag, reference, history = flag_with_history(session, visitor.actor, flag_id)
    rows = ((flag.id, reference, action.at.isoformat(), action.action, role or "system",
             action.from_status, action.to_status, action.from_severity, action.to_severity,
             action.note) for action, role in history)
    header = ("flag", "application", "at", "action", "by", "from_status", "to_status",
              "from_severity", "to_severity", "note")
    return visitor.finish(csv_response(f"flag-{flag.id}-history.csv", header, rows))


@router.post("/oversight/flags/{flag_id}", response_class=HTMLResponse)
def triage_flag_form(
    visitor: CheckedOversight, session: SessionDep, registry: RegistryDep, flag_id: FlagId,
    action: Annotated[str, Form(max_length=20)] = "",
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    """Acknowledge, or resolve with a note: the same unit of work as the API's PATCH."""
    try:
        triage_unit(session, visitor.actor, flag_id, form_text(action), form_text(note) or None)
    except (InvalidRequest, FlagStateConflict) as exc:
        field = exc.details.get("field")
        return _flag_page(visitor, session, registry, flag_id, status=exc.status_code,
                          errors={field if field == "note" else "_form": visitor.t.say(exc.message)},
                          note=note)
    return visitor.redirect(f"/oversight/flags/{flag_id}")
