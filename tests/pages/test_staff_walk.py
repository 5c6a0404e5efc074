"""Staff and fairness staff walk their pages in a real browser (Debian's headless Chromium), in
English and in French (issue 13): CNO's registrar finds an application in the work queue and refers
it to the Registration Committee with reasons; the committee refuses with reasons (after a first
try without them, which the law refuses beside the field); HPARB's registrar records a dismissal
with reasons; fairness staff see the timeliness chart and table for CNO, open the flag the file's
delay raised and resolve it with a note; an administrator makes an API key and sees CNO's accounts.

Every page is checked with axe-core (WCAG 2.0 and 2.1, A and AA) at 320 px and at desktop width
and photographed into build/screenshots/staff-<language>/ (tests/pages/test_portal_walk.py's
Walk). One walk per language, on SQLite only: the route-level tests run both databases.
"""

import shutil
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from accounts.models import User
from fairtrack.columns import utcnow
from law.road import Role
from tests.pages.conftest import watch
from tests.pages.test_portal_walk import LOCALES, SCREENSHOTS, Walk
from tests.support.road import PASSWORD, Person, Road

REASONS = {"refer": "Doubts about the supervised clinical hours.",
           "refuse": "The clinical hours do not meet the entry-to-practice standard.",
           "dismiss": "The committee's order was reasonable; the appeal is dismissed.",
           "resolve": "Asked CNO for its plan to meet the standard."}


def a_late_file(road: Road) -> tuple[Person, str]:
    """A nurse's file whose review at CNO began long ago and ran past its standard (a delay flag)."""
    nurse, nnas, cno = road.applicant(), road.assessor("nnas"), road.regulator("cno")
    start = utcnow() - timedelta(days=300)
    reference = nurse.opened_on(start, "cno", "rn", assessor="nnas")
    why = {"backdated_because": "Recorded from the paper file."}
    for person, trigger, days, extra in (
        (nurse, "submit", 290, {"documents": ["Diploma"]}), (nnas, "start_assessment", 280, {}),
        (nnas, "complete_assessment", 250, {"documents": ["NNAS advisory report"]}),
        (cno, "begin_review", 240, {}),
    ):
        person.step(reference, trigger, occurred_at=(utcnow() - timedelta(days=days)).isoformat(),
                    **why, **extra)
    return nurse, reference


def speaks(road: Road, people: list[Person], lang: str) -> None:
    with road.sessions() as session:
        session.execute(update(User).where(User.id.in_([p.user_id for p in people]))  # type: ignore[union-attr]
                        .values(preferred_language=lang))
        session.commit()


def log_in(walk: Walk, site: str, person: Person) -> None:
    page, t = walk.page, walk.t
    page.context.clear_cookies()
    page.goto(f"{site}/login")
    page.get_by_label(t.gettext("Email")).fill(person.email)
    page.get_by_label(t.gettext("Password")).fill(PASSWORD)
    walk.button(t.gettext("Log in"))


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_staff_and_fairness_staff_walk_their_pages_in_a_real_browser(
    browser: Any, site: str, road: Road, backend: str, lang: str
) -> None:
    from playwright.sync_api import expect

    if backend != "sqlite":
        pytest.skip("one browser walk per language; tests/pages/test_staff_pages.py covers PostgreSQL")
    nurse, reference = a_late_file(road)
    registrar, committee = road.regulator("cno"), road.regulator("cno")
    hparb, fairness = road.tribunal("hparb"), road.oversight()
    admin = road.person(Role.admin)
    speaks(road, [registrar, committee, hparb, fairness, admin], lang)
    context = browser.new_context(locale=LOCALES[lang])
    walk = Walk(watch(context), lang, site, audit=True, folder=f"staff-{lang}")
    shutil.rmtree(SCREENSHOTS / f"staff-{lang}", ignore_errors=True)  # this run's pictures only
    t, page = walk.t, walk.page
    try:
        # CNO's registrar: the queue, flagged first; the filters; the file; the referral.
        log_in(walk, site, registrar)
        page.wait_for_url(f"{site}/staff/queue")
        expect(page.get_by_role("heading", level=1)).to_have_text(t.gettext("Work queue"))
        walk.stop("staff-queue")
        page.get_by_label(t.gettext("State")).select_option("under_review")
        page.locator("label[for=flagged]").click()
        walk.button(t.gettext("Apply the filters"))
        expect(page.locator("table.ft-table--stack")).to_contain_text(t.gettext("Flagged"))
        walk.stop("staff-queue-filtered")
        walk.link(reference)
        expect(page.get_by_role("heading", level=1)).to_contain_text(reference)
        expect(page.locator("main")).to_contain_text("NNAS advisory report")
        walk.stop("staff-application")
        walk.link(t.label("trigger", "refer_to_committee"))
        page.get_by_label(t.gettext("Written reasons")).fill(REASONS["refer"])
        walk.stop("staff-refer")
        walk.button(t.gettext("Continue"))
        walk.stop("staff-refer-check")
        walk.button(t.gettext("Confirm: %(step)s") % {"step": t.label("trigger", "refer_to_committee")})
        expect(page.locator("main")).to_contain_text(REASONS["refer"])
        expect(page.locator("main")).to_contain_text(t.gettext("What the applicant is told"))
        walk.stop("staff-referred")

        # The applicant gives up the rest of the 30 days in writing (through the API).
        nurse.step(reference, "waive_submissions", note="Nothing to add.")

        # The committee refuses: first without reasons (refused beside the field), then with them.
        log_in(walk, site, committee)
        page.goto(f"{site}/staff/applications/{reference}")
        walk.link(t.label("trigger", "issue_decision"))
        page.locator("label.ontario-radios__label", has_text=t.label("outcome", "refused")).click()
        walk.button(t.gettext("Continue"))
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text(
            t.gettext("Write the reasons: the law requires them for this outcome"))
        walk.stop("staff-decision-error")
        page.get_by_label(t.gettext("Written reasons")).fill(REASONS["refuse"])
        walk.button(t.gettext("Continue"))
        walk.stop("staff-decision-check")
        walk.button(t.gettext("Confirm: %(step)s") % {"step": t.label("trigger", "issue_decision")})
        expect(page.locator("main")).to_contain_text(t.label("state", "refused_appealable"))
        walk.stop("staff-refused")

        # The applicant asks HPARB for a review (through the API); HPARB's registrar dismisses.
        nurse.step(reference, "request_appeal", review_or_hearing="review")
        log_in(walk, site, hparb)
        page.wait_for_url(f"{site}/staff/queue")
        walk.link(reference)
        walk.link(t.label("trigger", "decide_appeal"))
        page.locator("label.ontario-radios__label", has_text=t.label("outcome", "dismissed")).click()
        page.get_by_label(t.gettext("Written reasons")).fill(REASONS["dismiss"])
        walk.stop("tribunal-decision")
        walk.button(t.gettext("Continue"))
        walk.button(t.gettext("Confirm: %(step)s") % {"step": t.label("trigger", "decide_appeal")})
        expect(page.locator("main")).to_contain_text(t.label("state", "appeal_dismissed"))
        walk.stop("tribunal-dismissed")

        # Fairness staff: the dashboard, CNO's timeliness chart and table, the delay flag.
        log_in(walk, site, fairness)
        page.wait_for_url(f"{site}/oversight")
        expect(page.locator("svg[role=img]").first).to_be_visible()
        walk.stop("oversight-dashboard")
        page.goto(f"{site}/oversight/regulators/cno")
        expect(page.locator("#timeliness-title")).to_be_visible()
        expect(page.locator("figure.ft-chart svg").first).to_be_visible()
        expect(page.locator("table").first).to_contain_text(t.gettext("Median"))
        walk.stop("oversight-cno")
        page.locator("main a", has_text=t.label("flag", "delay")).first.click()
        expect(page.get_by_role("heading", level=1)).to_have_text(t.label("flag", "delay"))
        expect(page.locator("main")).to_contain_text(reference)
        walk.stop("oversight-flag")
        page.get_by_label(t.gettext("What was done")).fill(REASONS["resolve"])
        walk.button(t.gettext("Resolve"))
        expect(page.locator("main")).to_contain_text(t.label("flag_status", "resolved"))
        expect(page.locator("main")).to_contain_text(REASONS["resolve"])
        # Its history: raised by FairTrack, resolved by fairness staff with the note (axe below).
        history = page.locator("table", has=page.locator("#history-caption"))
        expect(history.locator("tbody tr")).to_have_count(2)
        expect(history.locator("tbody tr").last).to_contain_text(REASONS["resolve"])
        expect(history.locator("tbody tr").last).to_contain_text(t.label("role", "oversight"))
        walk.stop("oversight-flag-resolved")
        page.goto(f"{site}/oversight/flags?regulator=cno")
        walk.stop("oversight-flags")
        page.goto(f"{site}/oversight/applications/{reference}")
        expect(page.locator("main")).to_contain_text(REASONS["dismiss"])
        walk.stop("oversight-application")

        # An administrator: the keys (one made, shown once) and CNO's accounts.
        log_in(walk, site, admin)
        page.wait_for_url(f"{site}/admin/keys")
        page.get_by_label(t.gettext("Name")).fill("CNO case system")
        page.locator("label.ontario-radios__label", has_text=t.label("role", "regulator")).click()
        page.locator("select#organization").select_option("cno")
        walk.stop("admin-keys")
        walk.button(t.gettext("Make the key"))
        expect(page.locator("code")).to_contain_text("ft_")
        walk.stop("admin-key-made")
        page.goto(f"{site}/admin/users?organization=cno")
        expect(page.locator("main")).to_contain_text(registrar.email)
        walk.stop("admin-users")

        watched = walk.watched.settled()
        assert watched.csp_violations == [] and watched.page_errors == []
        assert watched.failed_responses == [
            f"422 {site}/staff/applications/{reference}/steps/issue_decision/check"]
    finally:
        context.close()
    assert walk.violations == {}, "\n".join(
        f"{where}:\n  " + "\n  ".join(found) for where, found in walk.violations.items())
