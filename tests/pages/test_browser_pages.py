"""The pages in a real browser: Debian's headless Chromium, driven by Playwright, against the app
served by uvicorn on a free local port.

What only a browser shows: that the pages work under their own Content-Security-Policy (no inline
script or style), that the forms carry their CSRF token by themselves, that labels, the document
language and headings are there for assistive technology, and that nothing errs in the console.

Chromium comes from Debian's package (`apt-get install chromium`), never from `playwright install`.
Without /usr/bin/chromium (or the `playwright` package) these tests are skipped with the reason;
with FAIRTRACK_REQUIRE_BROWSER=1 (CI, `.ci/run`) they fail instead.

They run on both database backends like every other database test (about 5 s a backend).
FAIRTRACK_CHROMIUM points them at another Chromium binary.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from api.middleware import PAGE_POLICY
from fairtrack.settings import Settings
from tests.support.live import serving
from tests.support.road import PASSWORD, Road

CHROMIUM = os.environ.get("FAIRTRACK_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("FAIRTRACK_REQUIRE_BROWSER") == "1"
# As root on a machine with no network but the package registries (docs of the CI machine):
# no sandbox, no GPU, and none of Chromium's own connections to Google's services.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# Every securitypolicyviolation event is passed to Python through an exposed binding; the counter of
# reports still on their way lets a test wait until all have arrived before asserting.
WATCH_CSP = """
window.__cspSeen = 0;
window.__cspPending = 0;
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspSeen += 1;
  window.__cspPending += 1;
  window.fairtrackCspViolation({
    directive: event.violatedDirective, blocked: event.blockedURI, source: event.sourceFile,
    line: event.lineNumber,
  }).finally(() => { window.__cspPending -= 1; });
});
"""


def _unavailable(reason: str) -> None:
    message = f"browser tests need {reason} (see README, 'Browser tests')"
    if REQUIRE_BROWSER:
        pytest.fail(f"FAIRTRACK_REQUIRE_BROWSER=1 but {message}")
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the module; each test gets its own context (cookies)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the Python package playwright (pip install -e '.[dev]')")
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        _unavailable(f"Chromium at {CHROMIUM} (Debian: apt-get install chromium)")
    with sync_playwright() as playwright:
        # Playwright gives every launch a new, empty --user-data-dir of its own, deleted at close.
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def site(settings: Settings, sessions: sessionmaker[Session]) -> Iterator[str]:
    """The real app on 127.0.0.1 and a free port, on the test database; its base URL."""
    with serving(create_app(settings)) as base:
        yield base


@dataclass
class Watched:
    """A page, and everything the browser complained about while it was open."""

    page: Any
    console_errors: list[str] = field(default_factory=list)
    csp_violations: list[dict[str, Any]] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    failed_responses: list[str] = field(default_factory=list)

    def settled(self) -> "Watched":
        """Wait until every CSP report in flight has reached Python."""
        self.page.wait_for_function("() => window.__cspPending === 0")
        return self

    def assert_clean(self) -> None:
        self.settled()
        assert self.csp_violations == []
        assert self.console_errors == []
        assert self.page_errors == []
        assert self.failed_responses == []


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context()
    page = context.new_page()
    seen = Watched(page)
    page.on("console", lambda message: seen.console_errors.append(
        f"{message.text} ({message.location['url']})") if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("response", lambda answer: seen.failed_responses.append(f"{answer.status} {answer.url}")
            if answer.status >= 400 else None)
    page.expose_function("fairtrackCspViolation", lambda violation: seen.csp_violations.append(violation))
    page.add_init_script(WATCH_CSP)
    page.set_default_timeout(10_000)
    try:
        yield seen
    finally:
        context.close()


def _unlabelled_fields(page: Any) -> list[str]:
    return list(page.evaluate(
        """() => [...document.querySelectorAll("input:not([type=hidden]), select, textarea")]
                   .filter((field) => field.labels.length === 0)
                   .map((field) => field.name || field.outerHTML)"""
    ))


def _definitions(page: Any) -> dict[str, str]:
    """The page's description list, term by term."""
    return dict(page.evaluate(
        """() => Object.fromEntries([...document.querySelectorAll("dt")]
                   .map((term) => [term.textContent, term.nextElementSibling.textContent]))"""
    ))


def _log_in(page: Any, email: str, password: str) -> None:
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def test_log_in_see_your_account_and_log_out_in_a_real_browser(
    watched: Watched, site: str, road: Road, tmp_path: Path
) -> None:
    from playwright.sync_api import expect

    page = watched.page
    nurse = road.applicant()

    response = page.goto(f"{site}/login")
    assert response is not None and response.status == 200
    assert response.headers["content-security-policy"] == PAGE_POLICY
    assert "'unsafe-inline'" not in PAGE_POLICY
    # Accessible form: a document language, a title, one main heading, every field labelled.
    assert page.evaluate("() => document.documentElement.lang") == "en"
    expect(page).to_have_title("Log in · FairTrack")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    assert _unlabelled_fields(page) == []
    expect(page.get_by_label("Email")).to_have_attribute("type", "email")
    expect(page.get_by_label("Password")).to_have_attribute("type", "password")
    # The token is the page's own: the browser only types the email and password.
    assert page.locator("form input[name=csrf_token]").input_value()

    _log_in(page, nurse.email, PASSWORD)
    page.wait_for_url(f"{site}/me")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert _definitions(page) == {"Email": nurse.email, "Role": "applicant", "Language": "en"}
    assert page.evaluate("() => document.documentElement.lang") == "en"
    assert _unlabelled_fields(page) == []

    shot = tmp_path / "me.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes().startswith(PNG_SIGNATURE) and shot.stat().st_size > len(PNG_SIGNATURE)

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(f"{site}/login")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    # Logged out for real: the account page sends the browser back to the login form.
    page.goto(f"{site}/me")
    page.wait_for_url(f"{site}/login")

    watched.assert_clean()


def test_a_wrong_password_shows_a_clear_error_in_a_real_browser(
    watched: Watched, site: str, road: Road
) -> None:
    from playwright.sync_api import expect

    page = watched.page
    nurse = road.applicant()
    page.goto(f"{site}/login")
    with page.expect_response(f"{site}/login") as answer:
        _log_in(page, nurse.email, "not the password")
    assert answer.value.request.method == "POST" and answer.value.status == 401

    alert = page.get_by_role("alert")
    expect(alert).to_have_text("wrong email or password")
    # The message is announced with the field it is about, and the form is there to try again.
    expect(page.get_by_label("Email")).to_have_attribute("aria-describedby", "login-error")
    assert page.url == f"{site}/login"
    assert _unlabelled_fields(page) == []

    _log_in(page, nurse.email, PASSWORD)  # the new form's token works
    page.wait_for_url(f"{site}/me")
    watched.settled()
    assert watched.csp_violations == [] and watched.page_errors == []
    # Chromium reports the 401 answer to the form as a failed load: that one line, nothing else.
    assert watched.failed_responses == [f"401 {site}/login"]
    assert watched.console_errors == [
        f"Failed to load resource: the server responded with a status of 401 (Unauthorized) ({site}/login)"
    ]


def test_the_watch_for_csp_violations_sees_one(watched: Watched, site: str) -> None:
    """The violation listener really reports: an inline style, forbidden by the policy, is caught
    (so the empty lists asserted above mean something)."""
    page = watched.page
    page.goto(f"{site}/login")
    page.evaluate("""() => {
        const style = document.createElement("style");
        style.textContent = "body { color: red }";
        document.head.append(style);
    }""")
    page.wait_for_function("() => window.__cspSeen > 0")
    assert page.evaluate("() => getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
    watched.settled()
    assert [violation["directive"] for violation in watched.csp_violations] == ["style-src-elem"]
    with pytest.raises(AssertionError):
        watched.assert_clean()
