"""The applicant's walk through the portal in a real browser (Debian's headless Chromium), in English
and in French: find a regulator for "infirmière", sign up, open a nursing application, submit it,
see the stage, who holds the file and the deadline; after the registrar refers the file to the
Registration Committee (recorded through the API, as the regulator's own system would), send written
submissions and give up the rest of the time in writing; after the committee refuses, request an
appeal (a hearing: the law asks which) and see the new deadline.

Every page of the walk is checked with axe-core (the copy bundled in axe-playwright-python; WCAG 2.0
and 2.1, levels A and AA) at 320 px and at desktop width, and photographed into
build/screenshots/<language>/ (git-ignored; README). The count of violations is printed per page.
axe runs once per page, language and width: on the SQLite run; the PostgreSQL run walks the same
pages (the same HTML) for what the database changes, without axe. The walk also checks what only a
browser shows: no Content-Security-Policy violation, no console error, every field labelled.
"""

import shutil
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fairtrack.columns import utcnow
from i18n import Translator, msg, translator
from law.calendar import local_date
from tests.pages.conftest import Watched, watch
from tests.support.road import Road

SCREENSHOTS = Path(__file__).resolve().parents[2] / "build" / "screenshots"
WIDTHS = {"320": {"width": 320, "height": 800}, "desktop": {"width": 1280, "height": 900}}
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
PASSPHRASE = "a long enough passphrase 7"
LOCALES = {"en": "en-CA", "fr": "fr-CA"}
HPARB = {"en": "Health Professions Appeal and Review Board",
         "fr": "Commission d'appel et de révision des professions de la santé"}


@dataclass
class Walk:
    """One browser walking the portal, checking and photographing every page it stops at."""

    watched: Watched
    lang: str
    site: str
    audit: bool
    seen: list[str] = field(default_factory=list)
    violations: dict[str, list[str]] = field(default_factory=dict)
    folder: str | None = None  # under build/screenshots/; default: the language

    @property
    def page(self) -> Any:
        return self.watched.page

    @property
    def t(self) -> Translator:
        return translator(self.lang)  # type: ignore[arg-type]

    def stop(self, name: str) -> None:
        """A page of the walk: the document's language, labelled fields, no error in the browser;
        then axe and a screenshot at each width."""
        page = self.page
        assert page.evaluate("() => document.documentElement.lang") == self.lang, name
        unlabelled = page.evaluate(
            """() => [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
                       .filter((f) => f.labels.length === 0).map((f) => f.name)""")
        assert unlabelled == [], f"{name}: unlabelled fields {unlabelled}"
        self.seen.append(name)
        if not self.audit:
            return
        from axe_playwright_python.sync_playwright import Axe

        number = len(self.seen)
        folder = SCREENSHOTS / (self.folder or self.lang)
        folder.mkdir(parents=True, exist_ok=True)
        for width, size in WIDTHS.items():
            page.set_viewport_size(size)
            results = Axe().run(page, options=AXE_OPTIONS)
            found = [
                f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
                f" {[n.get('failureSummary', '') for n in v['nodes']][:1]}"
                for v in results.response["violations"]
            ]
            print(f"axe {self.lang} {width:>7} {name:<28} {len(found)} violations")
            if found:
                self.violations[f"{name} @ {width}"] = found
            page.screenshot(path=str(folder / f"{number:02d}-{name}-{width}.png"), full_page=True)
        page.set_viewport_size(WIDTHS["desktop"])

    def button(self, text: str) -> None:
        self.page.get_by_role("button", name=text, exact=True).click()

    def link(self, text: str) -> None:
        self.page.get_by_role("link", name=text, exact=True).first.click()

    def heading(self) -> str:
        return str(self.page.get_by_role("heading", level=1).inner_text())


def _open_deadline(road: Road, person: Any, reference: str) -> date:
    """The application's one open deadline, as the API tells its applicant."""
    body = person.get(f"/applications/{reference}").json()
    [due] = [d["due_on"] for d in body["deadlines"] if d["status"] == "open"]
    return date.fromisoformat(due)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_applicant_walks_the_portal_in_a_real_browser(
    browser: Any, site: str, road: Road, backend: str, lang: str
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(locale=LOCALES[lang])
    walk = Walk(watch(context), lang, site, audit=backend == "sqlite")
    if walk.audit:  # this run's pictures only
        shutil.rmtree(SCREENSHOTS / lang, ignore_errors=True)
    t, page = walk.t, walk.page
    try:
        # The browser's language is offered first (Accept-Language), before any account exists.
        page.goto(f"{site}/")
        walk.stop("home")

        # Find your regulator, in French words whatever the page's language.
        walk.link(t.gettext("Find your regulator"))
        page.get_by_label(t.gettext("Profession or trade")).fill("infirmière")
        walk.button(t.gettext("Search"))
        first = page.locator(".ft-result").first
        expect(first).to_contain_text(t.names({"en": "College of Nurses of Ontario",
                                               "fr": "Ordre des infirmières et infirmiers de l'Ontario"}))
        expect(first).to_contain_text("National Nursing Assessment Service" if lang == "en"
                                      else "Service national d'évaluation infirmière")
        expect(first).to_contain_text(t.names(HPARB))
        walk.stop("find-your-regulator")
        first.get_by_role("heading").get_by_role("link").click()
        expect(page.locator("svg.ft-route-diagram")).to_be_visible()
        walk.stop("regulator-cno")

        page.goto(f"{site}/deadlines/calculator")
        page.locator("label[for=window]").click()
        page.get_by_label(t.gettext("The date"), exact=True).fill("2026-03-02")
        walk.button(t.gettext("Work out the last day"))
        expect(page.locator("#result-title")).to_be_visible()
        # Counted from the day the notice reached the applicant, the default (issue 9: receipt).
        expect(page.locator(".ft-panel")).to_contain_text(t.label("receipt_basis", "actual"))
        walk.stop("deadline-calculator")

        # Sign up: the account takes the language of the page.
        walk.link(t.gettext("Create an account"))
        email = f"walk-{lang}-{backend}@example.org"
        page.get_by_label(t.gettext("Email")).fill(email)
        page.get_by_label(t.gettext("Password"), exact=True).fill("too short")
        page.get_by_label(t.gettext("Password again")).fill("too short")
        walk.button(t.gettext("Create an account"))
        # The error summary names the problem in the page's language and links to the field.
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text(t.say(msg("password needs at least {minimum} characters",
                                                  minimum=12)))
        summary.get_by_role("link").click()
        assert page.evaluate("() => document.activeElement.id") == "password"
        walk.stop("sign-up-error")
        page.get_by_label(t.gettext("Password"), exact=True).fill(PASSPHRASE)
        page.get_by_label(t.gettext("Password again")).fill(PASSPHRASE)
        walk.stop("sign-up")
        walk.button(t.gettext("Create an account"))
        page.wait_for_url(f"{site}/applications?welcome=1")
        walk.stop("dashboard-empty")

        # Open a nursing application: the assessor (NNAS, the only one) comes with the route.
        walk.link(t.gettext("Open an application"))
        page.get_by_label(t.gettext("Licence or certificate")).select_option("cno/rn")
        walk.stop("open-application")
        walk.button(t.gettext("Continue"))
        expect(page.get_by_role("heading", level=1)).to_have_text(t.gettext("Check your answers"))
        walk.stop("open-application-check")
        walk.button(t.gettext("Open the application"))
        expect(page.get_by_role("heading", level=1)).to_have_text(t.label("trigger", "create"))
        reference = page.locator(".ft-confirmation__reference").inner_text()
        walk.stop("application-opened")

        # Submit it, with a check step, and see where it stands.
        walk.link(t.gettext("See your application"))
        walk.stop("application-draft")
        walk.link(t.label("step", "submit"))
        page.get_by_label(t.gettext("Documents you sent")).fill("Diploma\nTranscript")
        walk.stop("submit")
        walk.button(t.gettext("Continue"))
        walk.stop("submit-check")
        walk.button(t.gettext("Confirm: %(step)s") % {"step": t.label("step", "submit")})
        expect(page.get_by_role("heading", level=1)).to_have_text(t.label("trigger", "submit"))
        status = page.locator(".ft-status")
        # The law (issue 9): submitted to the assessor, the wait is the assessor's (who must act),
        # not the applicant's, from the day of submission.
        expect(status).to_contain_text(t.label("state", "assessment_queued"))
        expect(status).to_contain_text(t.label("stage", "assessment"))
        expect(status).to_contain_text("National Nursing Assessment Service" if lang == "en"
                                       else "Service national d'évaluation infirmière")
        walk.stop("submitted")
        # NNAS starts the assessment (through the API, as its own system would): its service
        # standard runs, and the applicant sees it as a date with the days left.
        nnas, cno = road.assessor("nnas"), road.regulator("cno")
        nnas.step(reference, "start_assessment")
        walk.link(t.gettext("See your application"))
        applicant = _person(road, email)
        standard_due = _open_deadline(road, applicant, reference)
        expect(page.locator(".ft-status")).to_contain_text(t.label("state", "assessment_in_progress"))
        expect(page.locator(".ft-deadlines")).to_contain_text(t.date(standard_due))
        expect(page.locator(".ft-route-words__current")).to_contain_text(t.label("stage", "assessment"))
        walk.stop("application-in-assessment")

        # Then, through the API: NNAS reports; CNO's registrar refers the file to the
        # Registration Committee, which opens the applicant's 30 days for written submissions.
        nnas.step(reference, "complete_assessment")
        cno.step(reference, "begin_review")
        cno.step(reference, "refer_to_committee", sent_by="in_person")
        page.reload()
        submissions_due = _open_deadline(road, applicant, reference)
        expect(page.locator(".ft-deadlines")).to_contain_text(t.label("window", "committee_submissions"))
        expect(page.locator(".ft-deadlines")).to_contain_text(t.date(submissions_due))
        expect(page.locator(".ft-deadlines")).to_contain_text(t.label("receipt_basis", "in_person"))
        walk.stop("application-referred")

        # The applicant sends written submissions (the window stays open), then gives up the rest
        # of the time in writing, so that the committee may decide before the last day.
        walk.link(t.label("step", "make_submissions"))
        page.get_by_label(t.gettext("Your written submissions")).fill(
            "My clinical hours in Manila were supervised; the attached logbook shows 1,200 hours.")
        walk.stop("make-submissions")
        walk.button(t.gettext("Continue"))
        walk.button(t.gettext("Confirm: %(step)s") % {"step": t.label("step", "make_submissions")})
        expect(page.get_by_role("heading", level=1)).to_have_text(t.label("trigger", "make_submissions"))
        walk.link(t.gettext("See your application"))
        walk.link(t.label("step", "waive_submissions"))
        page.get_by_label(t.gettext("Your waiver, in writing")).fill(
            "I have nothing to add and ask the committee to decide now.")
        walk.stop("waive-submissions")
        walk.button(t.gettext("Continue"))
        walk.button(t.gettext("Confirm: %(step)s") % {"step": t.label("step", "waive_submissions")})
        expect(page.locator(".ft-status")).to_contain_text(t.label("state", "committee_review"))
        walk.link(t.gettext("See your application"))

        # The committee refuses, with reasons (through the API).
        cno.step(reference, "issue_decision", outcome="refused",
                 reasons="The clinical hours do not meet the entry-to-practice standard.")

        page.reload()
        window_due = _open_deadline(road, applicant, reference)
        expect(page.locator(".ft-status")).to_contain_text(t.label("state", "refused_appealable"))
        deadlines = page.locator(".ft-deadlines")
        expect(deadlines).to_contain_text(t.label("window", "appeal_board_request"))
        expect(deadlines).to_contain_text(t.date(window_due))
        walk.stop("application-refused")

        walk.link(t.label("step", "request_appeal"))
        walk.stop("request-appeal")
        # On the health route the notice must say: a review or a hearing (RHPA Code).
        walk.button(t.gettext("Continue"))
        summary = page.get_by_role("alert")
        expect(summary).to_contain_text(t.gettext("Choose a review or a hearing"))
        summary.get_by_role("link").click()
        assert page.evaluate("() => document.activeElement.name") == "review_or_hearing"
        walk.stop("request-appeal-error")
        page.locator("label.ontario-radios__label", has_text=t.label("review_or_hearing", "hearing")).click()
        expect(page.get_by_label(t.label("review_or_hearing", "hearing"))).to_be_checked()
        walk.button(t.gettext("Continue"))
        expect(page.locator(".ft-summary-list")).to_contain_text(t.label("review_or_hearing", "hearing"))
        walk.stop("request-appeal-check")
        walk.button(t.gettext("Confirm: %(step)s") % {"step": t.label("step", "request_appeal")})
        expect(page.get_by_role("heading", level=1)).to_have_text(t.label("trigger", "request_appeal"))
        appeal_due = _open_deadline(road, applicant, reference)
        assert appeal_due > local_date(utcnow())
        expect(page.locator(".ft-status")).to_contain_text(t.names(HPARB))
        expect(page.locator("main")).to_contain_text(t.date(appeal_due))
        walk.stop("appeal-requested")
        walk.link(t.gettext("See your application"))
        timeline = page.locator(".ft-timeline")
        expect(timeline).to_contain_text(t.label("trigger", "waive_submissions"))
        expect(timeline).to_contain_text(t.label("review_or_hearing", "hearing"))

        walk.link(t.gettext("Your applications"))
        expect(page.locator(".ft-card")).to_contain_text(reference)
        walk.stop("dashboard")
        walk.link(t.gettext("Your profile"))
        walk.stop("profile")

        # Nothing went wrong in the browser but the two refused forms (422 answers, by design).
        watched = walk.watched.settled()
        assert watched.csp_violations == [] and watched.page_errors == []
        assert watched.failed_responses == [
            f"422 {site}/signup", f"422 {site}/applications/{reference}/steps/request_appeal/check"]
        assert [e for e in watched.console_errors if "status of 422" not in e] == []
    finally:
        context.close()
    assert walk.violations == {}, "\n".join(
        f"{where}:\n  " + "\n  ".join(found) for where, found in walk.violations.items())


def _person(road: Road, email: str) -> Any:
    """The walker as the API knows them (a bearer token for the account made in the browser)."""
    from sqlalchemy import select

    from accounts.models import User
    from accounts.security import issue_token
    from law.road import Role
    from tests.support.road import Person

    with road.sessions() as session:
        user = session.scalars(select(User).where(User.email == email)).one()
        assert user.id is not None
        user_id = user.id
    secret = road.client.app.state.settings.secret_key.get_secret_value()  # type: ignore[attr-defined]
    return Person(road, user_id, email, Role.applicant, None, issue_token(user_id, secret, 30))
