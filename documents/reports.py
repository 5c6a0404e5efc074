"""The printed reports: a regulator's timeliness audit for a period, and the cross-regulator annual
report. Their figures come from oversight (the same functions as GET /api/v1/oversight/...), their
charts from charts.bars, their words from the catalogs; nothing here counts anything itself.

Each footer carries the log's chain head (workflow.heads: the head of the last closed UTC day, over
every event up to it, as auditors receive it), so that a printed report can be tied to the log.
"""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from accounts.actor import Actor
from charts.bars import Chart, bar_chart
from documents.render import Stamp, render_pdf
from fairtrack.columns import utcnow
from fairtrack.errors import InvalidRequest
from flags.rules import FLAG_KINDS
from flags.schemas import FlagStatus
from i18n import Language, translator
from oversight.outcomes import MINIMUM_CELL, outcomes
from oversight.reports import flag_counts, longest_open, pauses
from oversight.rollups import TIMED_STAGES
from oversight.schemas import TimelinessRow
from oversight.scope import regulator_in_scope
from oversight.sql import WHOLE_WINDOW
from oversight.timeliness import EARLIEST, LATEST, timeliness
from regulators.registry import Registry
from workflow.heads import last_closed_head

Progress = Callable[[str], None]
SMALL = f"<{MINIMUM_CELL}"
# The groupings of the annual report's outcomes (oversight.outcomes.DIMENSIONS).
ANNUAL_OUTCOMES = ("immigration_status", "country_of_education", "started_before_arrival")


def _quiet(_: str) -> None:
    return None


@dataclass(frozen=True)
class FlagTable:
    kinds: list[str]
    statuses: list[str]
    counts: dict[tuple[str, str], int]

    def total(self, kind: str) -> int:
        return sum(self.counts.get((kind, s), 0) for s in self.statuses)


def chain_head(session: Session, lang: Language = "en") -> str:
    """The head of the last closed UTC day, as `fairtrack verify --export-heads` writes it for
    auditors: 'YYYY-MM-DD (N events): <sha256>'. Today's events are not under it yet."""
    last = last_closed_head(session)
    if last is None:
        return translator(lang).gettext("none yet: no UTC day with events has ended")
    return f"{last.day} ({last.total} events): {last.head}"


def _check_window(since: date, until: date) -> None:
    for name, day in (("since", since), ("until", until)):
        if not EARLIEST <= day <= LATEST:
            raise InvalidRequest(f"{name} must be from {EARLIEST} to {LATEST}", field=name)
    if since > until:
        raise InvalidRequest("since must be on or before until", field="since")


def _flag_table(session: Session, regulator: str | None, since: date, until: date) -> FlagTable:
    counts = {(c.kind, c.status): c.count for c in flag_counts(session, regulator, since, until)}
    return FlagTable(kinds=list(FLAG_KINDS), statuses=[s.value for s in FlagStatus], counts=counts)


def _stage_charts(rows: list[TimelinessRow], lang: Language) -> dict[str, Chart]:
    """Per stage, median and 90th percentile business days by quarter."""
    t = translator(lang)
    by_stage: dict[str, list[TimelinessRow]] = defaultdict(list)
    for row in rows:
        by_stage[row.stage].append(row)
    return {
        stage: bar_chart(
            t.gettext("{stage}: business days by quarter", stage=t.label("stage", stage)),
            [r.period for r in stage_rows],
            [(t.gettext("Median"), [r.median_business_days for r in stage_rows]),
             (t.gettext("90th percentile"), [r.p90_business_days for r in stage_rows])],
            label_header=t.gettext("Quarter"), ident=f"chart-{stage}", titled=False,
        )
        for stage, stage_rows in by_stage.items()
    }


def regulator_report(
    session: Session, actor: Actor, registry: Registry, regulator: str, since: date, until: date,
    lang: Language, progress: Progress = _quiet,
) -> bytes:
    """The timeliness audit of one regulator from `since` to `until` (Ontario dates, included)."""
    _check_window(since, until)
    scope = regulator_in_scope(actor, registry, regulator)
    assert scope is not None
    t = translator(lang)
    progress(t.gettext("Timeliness per stage"))
    whole = timeliness(session, actor, registry, regulator=scope, stage=None, unit=WHOLE_WINDOW,
                       since=since, until=until)
    quarters = timeliness(session, actor, registry, regulator=scope, stage=None, unit="quarter",
                          since=since, until=until)
    progress(t.gettext("Pauses and flags"))
    paused = {p.stage: p for p in pauses(session, scope, since, until)}
    flags = _flag_table(session, scope, since, until)
    progress(t.gettext("Longest open applications"))
    oldest = longest_open(session, scope, until)
    progress(t.gettext("Chain head"))
    head = chain_head(session, lang)
    progress(t.gettext("Charts"))
    charts = _stage_charts(quarters.rows, lang)
    body = registry.regulator(scope)
    name = t.names(body.name) if body else scope
    generated = utcnow()
    stamp = Stamp(generated_at=generated, chain_head=head, parameters=[
        (t.gettext("Regulator"), name),
        (t.gettext("From"), t.date(since)), (t.gettext("To"), t.date(until)),
        (t.gettext("Stages"), ", ".join(t.label("stage", s) for s in TIMED_STAGES)),
    ])
    context: dict[str, Any] = {
        "name": name, "since": since, "until": until, "rows": {r.stage: r for r in whole.rows},
        "stages": TIMED_STAGES, "paused": paused, "flags": flags, "oldest": oldest,
        "charts": charts, "canadian": [(s, flags.counts.get(("canadian_experience", s), 0))
                                       for s in flags.statuses],
    }
    progress(t.gettext("Rendering the PDF"))
    title = t.gettext("Timeliness audit: {name}", name=name)
    return render_pdf("documents/regulator_report.html", lang, context, title=title, stamp=stamp,
                      identifier=f"regulator {scope} {since} {until} {generated.isoformat()}")


def _small(row: TimelinessRow) -> bool:
    return row.count < MINIMUM_CELL


def annual_report(
    session: Session, actor: Actor, registry: Registry, year: int, lang: Language,
    progress: Progress = _quiet,
) -> bytes:
    """Every regulator side by side for a calendar year, with outcomes by group; cells of fewer
    than MINIMUM_CELL are shown as '<10' (oversight.outcomes withholds their complements too)."""
    since, until = date(year, 1, 1), date(year, 12, 31)
    _check_window(since, until)
    regulator_in_scope(actor, registry, None)  # fairness staff only: every regulator
    t = translator(lang)
    progress(t.gettext("Timeliness per stage"))
    whole = timeliness(session, actor, registry, regulator=None, stage=None, unit=WHOLE_WINDOW,
                       since=since, until=until)
    by_stage: dict[str, list[TimelinessRow]] = defaultdict(list)
    for row in whole.rows:
        by_stage[row.stage].append(row)
    progress(t.gettext("Outcomes"))
    grouped = {by: outcomes(session, actor, registry, by=by, regulator=None) for by in ANNUAL_OUTCOMES}
    progress(t.gettext("Pauses and flags"))
    flags = _flag_table(session, None, since, until)
    progress(t.gettext("Chain head"))
    head = chain_head(session, lang)
    progress(t.gettext("Charts"))
    status = grouped["immigration_status"]
    chart = bar_chart(
        t.gettext("Share licensed by immigration status"),
        [t.label("immigration_status", r.group) if t.has_label("immigration_status", r.group)
         else r.group for r in status.rows],
        [(t.gettext("Share licensed (%)"),
          [None if r.success_rate is None else round(100 * r.success_rate, 1) for r in status.rows])],
        label_header=t.gettext("Immigration status"), missing=SMALL, ident="chart-status",
        titled=False,
    )
    names = {slug: t.names(r.name) for slug, r in registry.regulators.items()}
    generated = utcnow()
    stamp = Stamp(generated_at=generated, chain_head=head, parameters=[
        (t.gettext("Year"), str(year)), (t.gettext("From"), t.date(since)),
        (t.gettext("To"), t.date(until)),
        (t.gettext("Smallest cell shown"), str(MINIMUM_CELL)),
    ])
    context: dict[str, Any] = {
        "year": year, "by_stage": by_stage, "stages": TIMED_STAGES, "names": names,
        "small": _small, "small_text": SMALL, "grouped": grouped, "flags": flags, "chart": chart,
        "minimum": MINIMUM_CELL,
        "grouping_titles": {
            "immigration_status": t.gettext("By immigration status"),
            "country_of_education": t.gettext("By country of education"),
            "started_before_arrival": t.gettext("By whether the application began before arrival"),
        },
        "answers": {"yes": t.gettext("Yes"), "no": t.gettext("No"), "unknown": t.gettext("Not stated")},
    }
    progress(t.gettext("Rendering the PDF"))
    title = t.gettext("Annual report on registration timeliness and outcomes, {year}", year=year)
    return render_pdf("documents/annual_report.html", lang, context, title=title, stamp=stamp,
                      identifier=f"annual {year} {generated.isoformat()}")


