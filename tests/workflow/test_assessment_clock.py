"""The assessment clock (issue 9, item 7): the time between submission and the assessor starting
is the assessor's, not the applicant's (SPEC 4: pauses are only the applicant's own time)."""

from datetime import date

from tests.support.histories import Cast, noon, on, window
from tests.support.road import Road


def test_the_wait_for_the_assessor_to_start_is_on_the_assessors_clock(road: Road) -> None:
    cast = Cast(road)
    ref = cast.applicant.opened_on(noon(date(2026, 3, 2)), "cno", "rn", "nnas")
    submitted = on(cast.applicant, ref, "submit", date(2026, 3, 2))
    assert (submitted["state"], submitted["clock"]) == ("assessment_queued", "assessor")
    # The assessment standard (project default: 35 business days) runs from submission.
    standard = window(road, ref, "assessment")
    assert (standard.starts_on, standard.party, standard.paused_on) == (
        date(2026, 3, 2), "assessor", None)
    on(cast.nnas, ref, "start_assessment", date(2026, 3, 16))  # two weeks later
    on(cast.nnas, ref, "request_documents", date(2026, 3, 23))
    on(cast.nnas, ref, "start_assessment", date(2026, 3, 30))  # the applicant's week
    on(cast.nnas, ref, "complete_assessment", date(2026, 4, 2))
    clock = next(c for c in cast.applicant.get(f"/applications/{ref}").json()["stage_clocks"]
                 if c["stage"] == "assessment")
    # 2 Mar to 2 Apr 2026: 23 business days; 5 of them (23 to 30 Mar) the applicant's.
    assert (clock["business_days"], clock["paused_business_days"],
            clock["attributable_business_days"]) == (23, 5, 18)
