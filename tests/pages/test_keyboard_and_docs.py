"""In a real browser: the portal with a keyboard alone (skip link, visible focus on everything that
takes it, a form sent with Enter, the language toggle), and the API documentation working offline
under its own Content-Security-Policy."""

from typing import Any

from tests.pages.conftest import Watched
from tests.support.road import PASSWORD, Road

FOCUS = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const box = element.getBoundingClientRect();
  return {
    tag: element.tagName, name: element.getAttribute("name") || element.textContent.trim().slice(0, 30),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
    shadow: style.boxShadow !== "none",
    visible: box.width > 0 && box.height > 0 && box.bottom > 0,
  };
}"""


def _tab(page: Any, times: int = 1, back: bool = False) -> dict[str, Any]:
    for _ in range(times):
        page.keyboard.press("Shift+Tab" if back else "Tab")
    return dict(page.evaluate(FOCUS))


def _every_stop_shows_focus(page: Any, limit: int = 40) -> list[str]:
    """Tab through the page from the top; the stops whose focus cannot be seen."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.evaluate("() => window.scrollTo(0, 0)")
    unseen, seen_names = [], []
    for _ in range(limit):
        focus = _tab(page)
        if focus["tag"] == "BODY" or (seen_names and focus["name"] == seen_names[0]):
            break
        seen_names.append(focus["name"])
        if not (focus["visible"] and (focus["outline"] or focus["shadow"])):
            unseen.append(f"{focus['tag']} {focus['name']}")
    assert len(seen_names) > 3
    return unseen


def test_the_portal_with_a_keyboard_alone(watched: Watched, site: str, road: Road) -> None:
    from playwright.sync_api import expect

    page = watched.page
    nurse = road.applicant()
    page.goto(f"{site}/login")
    # The first stop is the skip link, shown when focused; it takes focus to the main content.
    first = _tab(page)
    assert first["tag"] == "A" and first["name"] == "Skip to main content" and first["visible"]
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"
    # From the main content, the form: email, password, Enter.
    while page.evaluate("() => document.activeElement.id") != "email":
        _tab(page)
    page.keyboard.type(nurse.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/applications")
    assert _every_stop_shows_focus(page) == []

    # The language toggle, reached and pressed from the keyboard.
    page.evaluate("() => window.scrollTo(0, 0)")
    page.locator(".ft-language-toggle").focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{site}/applications")
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos demandes")
    assert page.evaluate("() => document.documentElement.lang") == "fr"

    page.goto(f"{site}/regulators/cno")
    assert _every_stop_shows_focus(page, limit=60) == []
    watched.assert_clean()


def test_the_api_documentation_works_offline(watched: Watched, site: str) -> None:
    from playwright.sync_api import expect

    page = watched.page
    page.goto(f"{site}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("FairTrack", timeout=20_000)
    expect(page.locator(".opblock").first).to_be_visible()
    page.goto(f"{site}/redoc")
    expect(page.locator("redoc h1").first).to_contain_text("FairTrack", timeout=20_000)
    watched.settled()
    # ReDoc's bundle names one image on its own CDN (its "API docs by Redocly" badge): the page's
    # policy blocks it, so nothing is fetched from elsewhere; that one report is the only one.
    assert [(v["directive"], v["blocked"]) for v in watched.csp_violations] == [
        ("img-src", "https://cdn.redoc.ly/redoc/logo-mini.svg")]
    assert watched.failed_responses == [] and watched.page_errors == []
    elsewhere = [url for url in watched.requests if not url.startswith((site, "data:", "blob:"))]
    assert elsewhere == ["https://cdn.redoc.ly/redoc/logo-mini.svg"]  # asked for, and blocked
