"""Outcomes in SQL: time to licence and success rate by stage, immigration status, country of
education and pre-arrival start, over closed applications; cells under MINIMUM_CELL people withheld."""

from sqlalchemy import bindparam, text
from sqlalchemy.orm import Session

from accounts.actor import Actor
from fairtrack.errors import InvalidRequest
from law.road import CLOSED_STATES
from oversight.schemas import OutcomeRow, Outcomes
from oversight.scope import regulator_in_scope
from oversight.sql import days_between, percentile
from regulators.registry import Registry

# Small cells could identify people: fewer than 10 people and the figures are withheld (the issue).
MINIMUM_CELL = 10
DIMENSIONS = {
    "immigration_status": "COALESCE(p.immigration_status, 'unknown')",
    "country_of_education": "COALESCE(p.country_of_education, 'unknown')",
    "started_before_arrival": "CASE WHEN p.started_before_arrival IS NULL THEN 'unknown' "
    "WHEN p.started_before_arrival THEN 'yes' ELSE 'no' END",
    "stage": "reached.stage",
}


def outcomes(
    session: Session, actor: Actor, registry: Registry, *, by: str, regulator: str | None
) -> Outcomes:
    if by not in DIMENSIONS:
        raise InvalidRequest(f"by is one of {list(DIMENSIONS)}", field="by")
    regulator = regulator_in_scope(actor, registry, regulator)
    dialect = session.get_bind().dialect.name
    # By stage: each closed application counts once in every stage it reached.
    reached = ("JOIN (SELECT DISTINCT application_id, stage FROM stage_intervals "
               "WHERE stage <> 'closed') AS reached ON reached.application_id = a.id"
               if by == "stage" else "")
    licensed_at = ("LEFT JOIN stage_intervals AS l ON l.application_id = a.id "
                   "AND l.state = 'licensed'")
    ranked = ""
    if dialect != "postgresql":
        ranked = (", ROW_NUMBER() OVER (PARTITION BY grp, days IS NULL ORDER BY days) AS rn, "
                  "COUNT(days) OVER (PARTITION BY grp) AS n")
    # Composed of constants from oversight.sql and validated choices; input goes only in binds.
    sql = f"""
        WITH closed AS (
            SELECT {DIMENSIONS[by]} AS grp, a.applicant_id,
                   CASE WHEN a.state = 'licensed' THEN 1 ELSE 0 END AS licensed,
                   CASE WHEN a.state = 'licensed'
                        THEN {days_between(dialect, 'a.created_at', 'l.entered_at')} END AS days
            FROM applications AS a
            LEFT JOIN applicant_profiles AS p ON p.user_id = a.applicant_id
            {licensed_at}
            {reached}
            WHERE a.state IN :closed {"AND a.regulator = :regulator" if regulator else ""}
        ),
        ranked AS (SELECT *{ranked} FROM closed)
        SELECT grp, COUNT(DISTINCT applicant_id) AS people, COUNT(*) AS applications,
               SUM(licensed) AS licensed,
               {percentile(dialect, 0.5, 'days')} AS p50, {percentile(dialect, 0.8, 'days')} AS p80
        FROM ranked
        GROUP BY grp
        ORDER BY grp
    """  # noqa: S608
    params: dict[str, object] = {"closed": sorted(CLOSED_STATES)}
    if regulator:
        params["regulator"] = regulator
    statement = text(sql).bindparams(bindparam("closed", expanding=True))
    rows = []
    for r in session.execute(statement, params):
        if r.people < MINIMUM_CELL:
            rows.append(OutcomeRow(group=r.grp, suppressed=True, people=None, applications=None,
                                   licensed=None, success_rate=None, median_days_to_licence=None,
                                   p80_days_to_licence=None))
            continue
        none_licensed = not r.licensed
        rows.append(OutcomeRow(
            group=r.grp, suppressed=False, people=r.people, applications=r.applications,
            licensed=r.licensed, success_rate=round(r.licensed / r.applications, 4),
            median_days_to_licence=None if none_licensed else round(float(r.p50), 1),
            p80_days_to_licence=None if none_licensed else round(float(r.p80), 1),
        ))
    return Outcomes(by=by, minimum_cell=MINIMUM_CELL, rows=rows)
