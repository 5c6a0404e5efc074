"""Outcomes in SQL: time to licence and success rate by stage, immigration status, country of
education and pre-arrival start, over closed applications. Cells under MINIMUM_CELL people are
withheld, with their complements (oversight.suppression) so that none can be worked out from the
rest; totals are published rounded to the nearest TOTAL_ROUNDING.

The closed applications are read from the outcome rollup (oversight.outcome_rollups: a narrow row
per closed application, those changed since its last refresh computed on the fly) and joined to the
applicants' profiles as they are now; `recount` counts them from the applications and their stage
intervals instead, the definition the rollup replaces (tests/oversight/test_outcome_rollups.py
proves them equal). Either way the same aggregate SQL computes the figures from the same rows."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from fairtrack.errors import InvalidRequest
from law.road import CLOSED_STATES
from oversight.outcome_rollups import REACHED, facts, watermark
from oversight.schemas import OutcomeRow, Outcomes, OutcomeTotals
from oversight.scope import regulator_in_scope
from oversight.sql import days_between, percentile
from oversight.suppression import round_to, suppress
from regulators.registry import Registry

# Small cells could identify people: fewer than 10 people and the figures are withheld (the issue).
MINIMUM_CELL = 10
TOTAL_ROUNDING = 5
DIMENSIONS = {
    "immigration_status": "COALESCE(p.immigration_status, 'unknown')",
    "country_of_education": "COALESCE(p.country_of_education, 'unknown')",
    "started_before_arrival": "CASE WHEN p.started_before_arrival IS NULL THEN 'unknown' "
    "WHEN p.started_before_arrival THEN 'yes' ELSE 'no' END",
    "stage": "reached.stage",
}
# The row of the figures table that holds every regulator together (no regulator has this slug).
EVERY_REGULATOR = "*"


def _recounted(dialect: str, by: str, one_regulator: bool) -> str:
    """The CTE `closed` counted from the rows themselves (the definition the rollup replaces, kept
    to prove it): one row per closed application (per stage reached, by stage), with its group,
    regulator, applicant, whether licensed and its days to licence. Composed of constants from
    oversight.sql and validated choices; input goes only in binds."""
    reached = ("JOIN (SELECT DISTINCT application_id, stage FROM stage_intervals "
               "WHERE stage <> 'closed') AS reached ON reached.application_id = a.id"
               if by == "stage" else "")
    return f"""
        closed AS (
        SELECT {DIMENSIONS[by]} AS grp, a.regulator, a.applicant_id,
               CASE WHEN a.state = 'licensed' THEN 1 ELSE 0 END AS licensed,
               CASE WHEN a.state = 'licensed'
                    THEN {days_between(dialect, 'a.created_at', 'l.entered_at')} END AS days
        FROM applications AS a
        LEFT JOIN applicant_profiles AS p ON p.user_id = a.applicant_id
        LEFT JOIN stage_intervals AS l ON l.application_id = a.id AND l.state = 'licensed'
        {reached}
        WHERE a.state IN :closed {"AND a.regulator = :regulator" if one_regulator else ""}
        )
    """  # noqa: S608


def _rolled_up(dialect: str, by: str, one_regulator: bool) -> str:
    """The same CTE `closed` from the outcome rollup (oversight.outcome_rollups: its rows, and the
    applications changed since its watermark computed on the fly), joined to the profiles now."""
    mine = "AND {}.regulator = :regulator" if one_regulator else ""
    joined = (f"JOIN {REACHED} AS reached ON (f.stages & reached.bit) <> 0" if by == "stage"
              # a profile per applicant at most (its key): the join adds no row
              else "LEFT JOIN applicant_profiles AS p ON p.user_id = f.applicant_id")
    return f"""
        {facts(dialect, mine.format("r"), mine.format("a"))},
        closed AS (
            SELECT {DIMENSIONS[by]} AS grp, f.regulator, f.applicant_id, f.licensed, f.days
            FROM facts AS f {joined}
        )
    """  # noqa: S608


def _closed(dialect: str, by: str, one_regulator: bool, recount: bool) -> str:
    return (_recounted if recount else _rolled_up)(dialect, by, one_regulator)


def _run(session: Session, sql: str, regulator: str | None, mark: int | None) -> list[Any]:
    params: dict[str, object] = {"closed": sorted(CLOSED_STATES)}
    if regulator:
        params["regulator"] = regulator
    if mark is not None:
        params["mark"] = mark
    statement = text(sql).bindparams(bindparam("closed", expanding=True))
    return list(session.execute(statement, params))


def _figures(session: Session, dialect: str, by: str, regulator: str | None,
             mark: int | None) -> list[Any]:
    """Per group of the scope: people, applications, licensed, and days to licence p50 and p80."""
    ranked = ""
    if dialect != "postgresql":
        ranked = (", ROW_NUMBER() OVER (PARTITION BY grp, days IS NULL ORDER BY days) AS rn, "
                  "COUNT(days) OVER (PARTITION BY grp) AS n")
    sql = f"""
        WITH {_closed(dialect, by, regulator is not None, mark is None)},
        ranked AS (SELECT *{ranked} FROM closed)
        SELECT grp, COUNT(DISTINCT applicant_id) AS people, COUNT(*) AS applications,
               SUM(licensed) AS licensed,
               {percentile(dialect, 0.5, 'days')} AS p50, {percentile(dialect, 0.8, 'days')} AS p80
        FROM ranked
        GROUP BY grp
        ORDER BY grp
    """  # noqa: S608
    return _run(session, sql, regulator, mark)


def _people_by_regulator(session: Session, dialect: str, by: str, mark: int | None) -> list[Any]:
    sql = f"""
        WITH {_closed(dialect, by, False, mark is None)}
        SELECT regulator, grp, COUNT(DISTINCT applicant_id) AS people FROM closed
        GROUP BY regulator, grp
    """  # noqa: S608
    return _run(session, sql, None, mark)


def _totals(session: Session, dialect: str, regulator: str | None,
            mark: int | None) -> OutcomeTotals:
    if mark is None:  # counted from the applications
        sql = f"""
            SELECT COUNT(DISTINCT applicant_id) AS people, COUNT(*) AS applications,
                   COALESCE(SUM(CASE WHEN state = 'licensed' THEN 1 ELSE 0 END), 0) AS licensed
            FROM applications
            WHERE state IN :closed {"AND regulator = :regulator" if regulator else ""}
        """  # noqa: S608
    else:
        mine = "AND {}.regulator = :regulator" if regulator else ""
        sql = f"""
            WITH {facts(dialect, mine.format("r"), mine.format("a"))}
            SELECT COUNT(DISTINCT applicant_id) AS people, COUNT(*) AS applications,
                   COALESCE(SUM(licensed), 0) AS licensed
            FROM facts
        """  # noqa: S608
    (row,) = _run(session, sql, regulator, mark)
    return _published(row)


def _published(row: Any) -> OutcomeTotals:
    """Totals (people, applications, licensed) as published: rounded to TOTAL_ROUNDING."""
    return OutcomeTotals(people=round_to(row.people, TOTAL_ROUNDING),
                         applications=round_to(row.applications, TOTAL_ROUNDING),
                         licensed=round_to(row.licensed, TOTAL_ROUNDING), rounded_to=TOTAL_ROUNDING)


def withheld_cells(counted: "Counted") -> set[tuple[str, str]]:
    """The cells withheld in the whole table (every regulator, and all together), whoever asks."""
    people = {(r.regulator, r.grp): r.people for r in counted.people}
    people.update({(EVERY_REGULATOR, r.grp): r.people for r in counted.everyone})
    rows = {row for row, _ in people}
    columns = {column for _, column in people}
    return {(str(r), str(c)) for r, c in suppress(people, rows, columns, MINIMUM_CELL)}


@dataclass(frozen=True)
class Counted:
    """What the figures are made of: per group of the scope, per group of every regulator, the
    people per (regulator, group) for the withholding, and the scope's totals."""

    figures: list[Any]
    everyone: list[Any]
    people: list[Any]
    totals: OutcomeTotals


def _three_queries(session: Session, dialect: str, by: str, regulator: str | None,
                   mark: int | None) -> Counted:
    figures = _figures(session, dialect, by, regulator, mark)
    everyone = figures if regulator is None else _figures(session, dialect, by, None, mark)
    return Counted(figures, everyone, _people_by_regulator(session, dialect, by, mark),
                   _totals(session, dialect, regulator, mark))


@dataclass(frozen=True)
class _Cell:
    grp: str
    people: int
    applications: int
    licensed: int
    p50: float | None
    p80: float | None


@dataclass(frozen=True)
class _People:
    regulator: str
    grp: str
    people: int


def _one_pass(session: Session, by: str, regulator: str | None, mark: int | None) -> Counted:
    """The same as _three_queries in one statement on PostgreSQL: ROLLUP (group, regulator) reads
    the closed applications and joins the profiles once, and one sort by group and regulator gives
    the (group, regulator) cells, the (group) cells of every regulator and, but by stage (where an
    application has a row per stage it reached), the totals of every regulator. At a million
    applications each of the three queries read 733,730 rows, joined the profiles and sorted."""
    sql = f"""
        WITH {_closed("postgresql", by, False, mark is None)}
        SELECT grp, regulator, GROUPING(grp, regulator) AS level,
               COUNT(DISTINCT applicant_id) AS people, COUNT(*) AS applications,
               COALESCE(SUM(licensed), 0) AS licensed,
               {percentile("postgresql", 0.5, 'days')} AS p50,
               {percentile("postgresql", 0.8, 'days')} AS p80
        FROM closed
        GROUP BY ROLLUP (grp, regulator)
    """  # noqa: S608
    rows = _run(session, sql, None, mark)
    cells = sorted((r for r in rows if r.level == 0), key=lambda r: r.grp)

    def cell(r: Any) -> _Cell:
        return _Cell(r.grp, r.people, r.applications, r.licensed, r.p50, r.p80)

    everyone = [cell(r) for r in sorted((r for r in rows if r.level == 1), key=lambda r: r.grp)]
    figures = everyone if regulator is None else [cell(r) for r in cells if r.regulator == regulator]
    people = [_People(r.regulator, r.grp, r.people) for r in cells]
    every = [r for r in rows if r.level == 3]
    if by == "stage" or regulator is not None or not every:
        totals = _totals(session, "postgresql", regulator, mark)
    else:
        (total,) = every
        totals = _published(total)
    return Counted(figures, everyone, people, totals)


def _withheld_row(group: str) -> OutcomeRow:
    return OutcomeRow(group=group, suppressed=True, people=None, applications=None, licensed=None,
                      success_rate=None, median_days_to_licence=None, p80_days_to_licence=None)


def outcomes(
    session: Session, actor: Actor, registry: Registry, *, by: str, regulator: str | None,
    recount: bool = False,
) -> Outcomes:
    """The figures by `by` for one regulator or all in the actor's scope, from the outcome rollup;
    `recount` counts them from the applications and their intervals instead (the definition the
    rollup replaces: the same answer, slower)."""
    if by not in DIMENSIONS:
        raise InvalidRequest(f"by is one of {list(DIMENSIONS)}", field="by")
    regulator = regulator_in_scope(actor, registry, regulator)
    dialect = session.get_bind().dialect.name
    mark = None if recount else watermark(session)
    counted = (_one_pass(session, by, regulator, mark) if dialect == "postgresql"
               else _three_queries(session, dialect, by, regulator, mark))
    figures = counted.figures
    withheld = withheld_cells(counted)
    scope = regulator or EVERY_REGULATOR
    rows: dict[str, OutcomeRow] = {}
    for r in figures:
        if (scope, r.grp) in withheld:
            rows[r.grp] = _withheld_row(r.grp)
            continue
        none_licensed = not r.licensed
        rows[r.grp] = OutcomeRow(
            group=r.grp, suppressed=False, people=r.people, applications=r.applications,
            licensed=r.licensed, success_rate=round(r.licensed / r.applications, 4),
            median_days_to_licence=None if none_licensed else round(float(r.p50), 1),
            p80_days_to_licence=None if none_licensed else round(float(r.p80), 1),
        )
    for row, group in withheld:  # an empty cell withheld as a complement is shown as withheld
        if row == scope and group not in rows:
            rows[group] = _withheld_row(group)
    return Outcomes(by=by, minimum_cell=MINIMUM_CELL, rows=[rows[g] for g in sorted(rows)],
                    totals=counted.totals)
