"""Browser fixtures for the pages: one headless Debian Chromium per test process (each test gets its
own context: cookies, storage), the real app served by uvicorn on a free local port, and a watch on
everything the browser complains about.

Chromium comes from Debian's package (`apt-get install chromium`), never from `playwright install`.
Without /usr/bin/chromium (or the `playwright` package) browser tests are skipped with the reason;
with FAIRTRACK_REQUIRE_BROWSER=1 (CI, `.ci/run`) they fail instead. FAIRTRACK_CHROMIUM points them
at another Chromium binary.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy.orm import Session, sessionmaker

from api.app import create_app
from fairtrack.settings import Settings
from tests.support.live import serving

CHROMIUM = os.environ.get("FAIRTRACK_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("FAIRTRACK_REQUIRE_BROWSER") == "1"
# As root on a machine with no network but the package registries (docs of the CI machine):
# no sandbox, no GPU, and none of Chromium's own connections to Google's services.
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]

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


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Debian Chromium for the test process; each test gets its own context."""
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
    requests: list[str] = field(default_factory=list)

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


def watch(context: Any) -> Watched:
    page = context.new_page()
    seen = Watched(page)
    page.on("console", lambda message: seen.console_errors.append(
        f"{message.text} ({message.location['url']})") if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.page_errors.append(str(error)))
    page.on("response", lambda answer: seen.failed_responses.append(f"{answer.status} {answer.url}")
            if answer.status >= 400 else None)
    page.on("request", lambda request: seen.requests.append(request.url))
    page.expose_function("fairtrackCspViolation", lambda violation: seen.csp_violations.append(violation))
    page.add_init_script(WATCH_CSP)
    page.set_default_timeout(10_000)
    return seen


@pytest.fixture
def watched(browser: Any) -> Iterator[Watched]:
    context = browser.new_context()
    try:
        yield watch(context)
    finally:
        context.close()
