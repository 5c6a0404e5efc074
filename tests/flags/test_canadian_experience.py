"""Canadian experience, right (issue 9, item 8; facts/ontario.md s. 4).

FARPACTA s. 10.2: a Canadian experience requirement is void for decisions from 2 December 2023
unless an exemption is obtained; s. 10.2(1.1) and O. Reg. 378/23: a requirement that also accepts
international alternatives is not a violation. For health colleges the Code's rule and date are to
verify: the flag says so and is never high. Exemptions are dated records with their source; an
unknown status needs review and is never assumed absent.
"""

from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlmodel import col

from fairtrack.columns import utcnow
from flags.models import Flag, FlagAction
from flags.rules import canadian_experience
from law.fairness import CANADIAN_EXPERIENCE_BAN_FROM
from regulators.files import ExemptionRecord, ExemptionStatus
from regulators.registry import Registry
from tests.support.histories import Cast, flags, on
from tests.support.road import Road
from workflow.models import Application
from workflow.service import parse_reference

REQUIRES_IT = {"outcome": "requirements", "reasons": "One year of work in Canada.",
               "requirements": ["canadian_experience"]}


def peo_decides(cast: Cast, day: date, **fields: object) -> str:
    ref = cast.peo_submitted(day)
    on(cast.peo, ref, "begin_review", day)
    on(cast.peo, ref, "issue_decision", day, **REQUIRES_IT, **fields)  # type: ignore[arg-type]
    return ref


def with_exemptions(registry: Registry, slug: str, *records: ExemptionRecord) -> Registry:
    rules = registry.regulators[slug].model_copy(
        update={"canadian_experience_exemptions": list(records)})
    return Registry({**registry.regulators, slug: rules}, registry.assessors)


def findings(road: Road, registry: Registry, ref: str) -> list[tuple[str, dict[str, object]]]:
    """What the rule finds on the application's decision against another registry's records (its
    flag raised on the write path set aside, and put back: the session is rolled back)."""
    app_id = parse_reference(ref)
    with road.sessions() as session:
        flag_ids = select(col(Flag.id)).where(col(Flag.application_id) == app_id)
        session.execute(delete(FlagAction).where(col(FlagAction.flag_id).in_(flag_ids)))
        session.execute(delete(Flag).where(col(Flag.application_id) == app_id))
        found = canadian_experience(session, registry, utcnow().date(), app_id)
        session.rollback()
    return [(f.severity, f.evidence) for f in found]


def test_the_decision_form_must_say_whether_alternatives_are_accepted(road: Road) -> None:
    """O. Reg. 378/23: the form records which it is, so the flag can tell a violation from not."""
    cast = Cast(road)
    ref = cast.peo_submitted(date(2026, 11, 30))
    cast.peo.step(ref, "begin_review")
    body = cast.peo.refused(ref, "issue_decision", 422, "invalid_request", **REQUIRES_IT)
    assert body["field"] == "alternatives_accepted" and "O. Reg. 378/23" in body["message"]


def test_accepting_international_alternatives_is_not_a_violation(road: Road) -> None:
    ref = peo_decides(Cast(road), date(2026, 3, 2), alternatives_accepted=True)
    road.scan(road.registry)
    assert flags(road, ref, "canadian_experience") == []


def test_a_farpacta_decision_before_2_december_2023_is_not_flagged(road: Road) -> None:
    """FARPACTA s. 10.2: the ban applies to decisions from 2 December 2023."""
    cast = Cast(road)
    before = peo_decides(cast, CANADIAN_EXPERIENCE_BAN_FROM - timedelta(days=1),
                         alternatives_accepted=False)
    after = peo_decides(cast, CANADIAN_EXPERIENCE_BAN_FROM, alternatives_accepted=False)
    road.scan(road.registry)
    assert flags(road, before, "canadian_experience") == []
    (flag,) = flags(road, after, "canadian_experience")
    assert flag.evidence["ban_from"] == "2023-12-02"


def test_an_unknown_exemption_status_needs_review_and_is_never_assumed_absent(road: Road) -> None:
    assert road.registry.regulators["peo"].canadian_experience_exemptions == []
    ref = peo_decides(Cast(road), date(2026, 3, 2), alternatives_accepted=False)
    (flag,) = flags(road, ref, "canadian_experience")
    assert flag.severity == "medium"
    assert flag.evidence["exemption_status"] == ExemptionStatus.unknown
    assert "no dated record" in flag.evidence["needs_review"]


def test_a_dated_record_of_no_exemption_makes_it_high_and_a_grant_from_its_day_low(
    road: Road,
) -> None:
    ref = peo_decides(Cast(road), date(2026, 3, 2), alternatives_accepted=False)
    none = ExemptionRecord(status="none", on=date(2025, 1, 15),
                           source="OFC exemption list read for a test")
    [(severity, evidence)] = findings(road, with_exemptions(road.registry, "peo", none), ref)
    assert severity == "high" and evidence["exemption_source"] == none.source
    granted_later = ExemptionRecord(status="granted", on=date(2026, 6, 1), scope="field work",
                                    source="Minister's order read for a test")
    later = with_exemptions(road.registry, "peo", none, granted_later)
    assert findings(road, later, ref)[0][0] == "high"  # the grant came after the decision
    granted_before = granted_later.model_copy(update={"on": date(2026, 2, 1)})
    earlier = with_exemptions(road.registry, "peo", none, granted_before)
    [(severity, evidence)] = findings(road, earlier, ref)
    assert severity == "low" and evidence["exemption_scope"] == "field work"


def test_a_health_college_requirement_cites_the_rule_to_verify_and_is_never_high(
    road: Road,
) -> None:
    """The RHPA defines Canadian experience; the Code's ban and its date are to verify."""
    cast = Cast(road)
    ref = cast.cno_referred(date(2026, 3, 2), date(2026, 3, 2))
    on(cast.applicant, ref, "waive_submissions", date(2026, 3, 3), note="No submissions.")
    on(cast.cno, ref, "issue_decision", date(2026, 3, 4), alternatives_accepted=False,
       **REQUIRES_IT)
    (flag,) = flags(road, ref, "canadian_experience")
    assert flag.severity == "medium" and flag.evidence["to_verify"] is True
    assert "to verify" in flag.evidence["rule"]
    none = ExemptionRecord(status="none", on=date(2020, 1, 1), source="read for a test")
    assert findings(road, with_exemptions(road.registry, "cno", none), ref)[0][0] == "medium"
    with road.sessions() as session:
        health = session.scalar(select(col(Application.health_route))
                                .where(col(Application.id) == parse_reference(ref)))
    assert health is True
