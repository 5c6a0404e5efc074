"""The non-health route under FARPACTA (issue 9, item 6; facts/ontario.md s. 4).

An internal review is available from every registration decision that is not a plain
registration (s. 9); a body's published review window is data (OCSWSSW: 60 days), none is invented
for the others; a referral puts the file with the body's committee, on its clock and standard;
O. Reg. 479/24's written decision with reasons within 10 business days is a flag rule.
"""

from datetime import date

import pytest

from tests.support.histories import Cast, deadlines, flags, on, window
from tests.support.road import Road


@pytest.mark.parametrize(
    ("outcome", "fields", "state"),
    [("refused", {}, "refused_appealable"),
     ("registered_with_conditions", {}, "conditions_appealable"),
     ("requirements", {"requirements": ["examination"]}, "requirements_outstanding")],
)
def test_every_decision_but_a_plain_registration_may_be_reviewed(
    road: Road, outcome: str, fields: dict[str, object], state: str
) -> None:
    """FARPACTA s. 9: refusal, terms, requirements: the body's internal review or appeal."""
    cast = Cast(road)
    ref = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    on(cast.peo, ref, "issue_decision", date(2026, 3, 4), outcome=outcome, reasons="Reasons.",
       **fields)
    assert road.snapshot(ref).state == state
    asked = on(cast.applicant, ref, "request_appeal", date(2026, 3, 10))
    assert asked["state"] == "appeal_filed"


def test_a_plain_registration_is_final(road: Road) -> None:
    cast = Cast(road)
    ref = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    assert on(cast.peo, ref, "issue_decision", date(2026, 3, 4),
              outcome="registered")["state"] == "licensed"


def test_a_bodys_published_review_window_opens_and_none_is_invented_for_others(
    road: Road,
) -> None:
    """OCSWSSW: 60 days to ask its Registration Appeals Committee (the body's page, facts s. 4);
    PEO publishes none known to FairTrack: no window, and so no lapse closes the file."""
    cast = Cast(road)
    social = cast.under_review("ocswssw", "rsw", date(2026, 3, 2))
    ocswssw = road.regulator("ocswssw")
    on(ocswssw, social, "issue_decision", date(2026, 3, 4), outcome="refused", reasons="No.",
       sent_by="regular_mail")
    review = window(road, social, "internal_review_request")
    assert (review.starts_on, review.due_on) == (date(2026, 3, 9), date(2026, 5, 8))
    engineer = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    on(cast.peo, engineer, "issue_decision", date(2026, 3, 4), outcome="refused", reasons="No.")
    assert [d.kind for d in deadlines(road, engineer)] == ["service_standard"]
    assert road.scan(road.registry).lapsed == [social]
    assert road.snapshot(engineer).state == "refused_appealable"


def test_a_referral_puts_the_file_with_the_committee_on_its_clock_and_standard(
    road: Road,
) -> None:
    """The referral stage has a clock owner (the body) and a standard (its committee's, else the
    project default of 60 business days, facts s. 7): not the applicant's open-ended time."""
    cast = Cast(road)
    ref = cast.under_review("peo", "p-eng", date(2026, 3, 2))
    referred = on(cast.peo, ref, "refer_to_committee", date(2026, 3, 4), reasons="Experience.")
    assert (referred["state"], referred["clock"]) == ("committee_review", "regulator")
    standard = window(road, ref, "internal_committee")
    assert (standard.kind, standard.party, standard.days) == ("service_standard", "regulator", 60)


def test_a_written_decision_sent_after_ten_business_days_is_flagged(road: Road) -> None:
    """O. Reg. 479/24 (section and in-force date to verify): decided Mon 2 Mar 2026, sent Thu 19
    Mar: 13 business days. Sent Mon 16 Mar: 10, in time."""
    cast = Cast(road)
    late = cast.under_review("peo", "p-eng", date(2026, 2, 27))
    on(cast.peo, late, "issue_decision", date(2026, 3, 2), outcome="registered",
       sent_on="2026-03-19", sent_by="email")
    (flag,) = flags(road, late, "written_decision_late")
    assert flag.severity == "medium" and flag.evidence["business_days_to_send"] == 13
    assert "O. Reg. 479/24" in flag.evidence["rule"]
    prompt = cast.under_review("peo", "p-eng", date(2026, 2, 27))
    on(cast.peo, prompt, "issue_decision", date(2026, 3, 2), outcome="registered",
       sent_on="2026-03-16")
    before = cast.under_review("peo", "p-eng", date(2024, 11, 1))
    on(cast.peo, before, "issue_decision", date(2024, 11, 4), outcome="registered",
       sent_on="2024-12-20")  # decided before O. Reg. 479/24 was filed
    nurse = cast.cno_referred(date(2026, 3, 2), date(2026, 3, 2))
    on(cast.applicant, nurse, "waive_submissions", date(2026, 3, 2), note="No submissions.")
    on(cast.cno, nurse, "issue_decision", date(2026, 3, 2), outcome="registered",
       sent_on="2026-03-30")  # a health college: FARPACTA's regulation does not apply
    road.scan(road.registry)
    for ref in (prompt, before, nurse):
        assert flags(road, ref, "written_decision_late") == [], ref
