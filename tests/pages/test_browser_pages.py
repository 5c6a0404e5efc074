"""The pages in a real browser: Debian's headless Chromium, driven by Playwright, against the app
served by uvicorn on a free local port.

What only a browser shows: that the pages work under their own Content-Security-Policy (no inline
script or style), that the forms carry their CSRF token by themselves, that labels, the document
language and headings are there for assistive technology, and that nothing errs in the console.

Chromium comes from Debian's package (`apt-get install chromium`), never from `playwright install`.
Without /usr/bin/chromium (or the `playwright` package) these tests are skipped with the reason;
with FAIRTRACK_REQUIRE_BROWSER=1 (CI, `.ci/run`) they fail instead.

They run on both database backends like every other database test (about 5 s a backend). The
browser, the live server and the watch are fixtures of tests/pages/conftest.py.
"""

from pathlib import Path
from typing import Any

import pytest

from api.middleware import PAGE_POLICY
from tests.pages.conftest import Watched
from tests.support.road import PASSWORD, Road

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


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
    assert page.locator("main form input[name=csrf_token]").input_value()

    _log_in(page, nurse.email, PASSWORD)
    # An applicant lands on their applications; the account page is a link away.
    page.wait_for_url(f"{site}/applications")
    page.goto(f"{site}/me")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert _definitions(page) == {"Email": nurse.email, "Role": "Applicant", "Language": "English"}
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
    expect(alert).to_contain_text("The email or the password is wrong.")
    # The summary links to the field; the message is announced with the field it is about, and
    # the form is there to try again.
    expect(alert.get_by_role("link")).to_have_attribute("href", "#email")
    expect(page.get_by_label("Email")).to_have_attribute("aria-describedby", "email-error")
    assert page.url == f"{site}/login"
    assert _unlabelled_fields(page) == []

    _log_in(page, nurse.email, PASSWORD)  # the new form's token works
    page.wait_for_url(f"{site}/applications")
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
