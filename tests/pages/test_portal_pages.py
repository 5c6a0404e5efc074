"""The portal's pages without a browser: the language a visitor reads, the forms' checks and
refusals as pages, the profile changed one answer at a time, the warning before a second application,
and the assets served from this origin with their cache headers."""

import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.app import create_app
from api.pages.application_view import application_page_context
from api.pages.assets import STATIC_DIR, asset_url
from casefile.detail import application_file
from fairtrack.columns import utcnow
from fairtrack.settings import Settings
from i18n import translator
from i18n.templating import environment
from law.calendar import local_date
from oversight.schemas import Expectation
from regulators.registry import Registry
from tests.support.road import PASSWORD, Person, Road


@pytest.fixture(autouse=True)
def fresh_limits(app: FastAPI) -> Iterator[None]:
    app.state.limiter.reset()
    yield


def _csrf(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "the page has no form token"
    return match.group(1)


def _log_in(client: TestClient, person: Person) -> None:
    form = client.get("/login")
    answer = client.post("/login", data={"email": person.email, "password": PASSWORD,
                                         "csrf_token": _csrf(form.text)}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def _h1(html: str) -> str:
    match = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL)
    assert match
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def test_a_visitor_reads_the_browsers_language_until_they_choose(client: TestClient) -> None:
    french = client.get("/", headers={"Accept-Language": "fr-CA,fr;q=0.9,en;q=0.5"})
    assert '<html lang="fr">' in french.text and "Votre parcours" in _h1(french.text)
    english = client.get("/", headers={"Accept-Language": "de, en;q=0.3"})
    assert '<html lang="en">' in english.text
    # The toggle (a form on every page) keeps the choice in this browser and comes back here.
    switched = client.post("/language", data={"to": "fr", "next": "/deadlines/calculator",
                                              "csrf_token": _csrf(english.text)},
                           follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == "/deadlines/calculator"
    assert '<html lang="fr">' in client.get("/", headers={"Accept-Language": "en"}).text


def test_the_language_toggle_never_sends_anyone_to_another_site(client: TestClient) -> None:
    page = client.get("/")
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"):
        answer = client.post("/language", data={"to": "fr", "next": target,
                                                "csrf_token": _csrf(page.text)},
                             follow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_an_account_keeps_its_language_and_the_toggle_changes_it(
    client: TestClient, road: Road
) -> None:
    nurse = road.applicant()
    _log_in(client, nurse)
    assert '<html lang="en">' in client.get("/applications",
                                            headers={"Accept-Language": "fr"}).text
    page = client.get("/applications")
    client.post("/language", data={"to": "fr", "next": "/applications",
                                   "csrf_token": _csrf(page.text)})
    client.cookies.clear()  # another browser: the account's language still holds after login
    _log_in(client, nurse)
    dashboard = client.get("/applications", headers={"Accept-Language": "en"})
    assert '<html lang="fr">' in dashboard.text and _h1(dashboard.text) == "Vos demandes"


def test_sign_up_refusals_are_shown_by_their_field_in_french(client: TestClient) -> None:
    form = client.get("/signup", headers={"Accept-Language": "fr"})
    answer = client.post("/signup", headers={"Accept-Language": "fr"}, data={
        "email": "amara@example.org", "password": "short", "password_again": "short",
        "csrf_token": _csrf(form.text)})
    assert answer.status_code == 422
    assert 'href="#password"' in answer.text
    assert "Votre mot de passe doit avoir au moins 12 caractères." in answer.text
    assert 'aria-describedby="password-hint password-error"' in answer.text
    assert "<title>Erreur :" in answer.text


def test_too_many_logins_is_a_page_not_json(settings: Settings, road: Road) -> None:
    nurse = road.applicant()
    # The first delay outlasts the test: the correct password arrives while it runs.
    slow = settings.model_copy(update={"login_delay_seconds": 60.0})
    app = create_app(slow)
    try:
        with TestClient(app, raise_server_exceptions=False) as client:
            form = client.get("/login", headers={"Accept-Language": "fr"})
            failures = [client.post("/login", data={
                "email": nurse.email, "password": "wrong password 1",
                "csrf_token": _csrf(form.text)}).status_code
                for _ in range(slow.login_free_failures + 1)]
            assert failures == [401] * (slow.login_free_failures + 1)
            refused = client.post("/login", headers={"Accept-Language": "fr"}, data={
                "email": nurse.email, "password": PASSWORD, "csrf_token": _csrf(form.text)})
            assert refused.status_code == 429
            assert refused.headers["content-type"].startswith("text/html")
            assert int(refused.headers["retry-after"]) > 0
            assert _h1(refused.text) == "Trop de tentatives" and "Réessayez dans" in refused.text
            assert "frame-ancestors 'none'" in refused.headers["content-security-policy"]
            # The API's answer to the same throttle stays JSON.
            api = client.post("/api/v1/auth/token",
                              data={"username": nurse.email, "password": PASSWORD})
            assert api.status_code == 429 and api.json()["error"] == "rate_limited"
    finally:
        app.state.engine.dispose()


def test_unknown_pages_and_others_applications_are_pages_that_say_not_found(
    client: TestClient, road: Road
) -> None:
    assert client.get("/no-such-page").status_code == 404
    assert _h1(client.get("/no-such-page").text) == "Page not found"
    assert client.get("/api/v1/no-such-route").json()["error"] == "not_found"
    owner, other = road.applicant(), road.applicant()
    reference = owner.open("cno", "rn", "nnas")
    _log_in(client, other)
    answer = client.get(f"/applications/{reference}")
    assert answer.status_code == 404 and reference not in answer.text


def test_staff_are_not_shown_the_applicant_pages(client: TestClient, road: Road) -> None:
    _log_in(client, road.regulator("cno"))
    answer = client.get("/applications")
    assert answer.status_code == 403 and _h1(answer.text) == "You cannot do this"


def test_a_second_application_for_the_same_licence_is_warned_about(
    client: TestClient, road: Road
) -> None:
    nurse = road.applicant()
    first = nurse.open("cno", "rn", "nnas")
    _log_in(client, nurse)
    check = client.get("/applications/new/check", params={"licence": "cno/rn"})
    assert "You already have an open application for this licence" in check.text
    assert f'href="/applications/{first}"' in check.text
    other = client.get("/applications/new/check", params={"licence": "cno/rpn"})
    assert "already have an open application" not in other.text


def test_a_step_is_checked_then_recorded_once_even_if_sent_twice(
    client: TestClient, road: Road
) -> None:
    nurse = road.applicant()
    reference = nurse.open("peo", "p-eng")
    _log_in(client, nurse)
    form = client.get(f"/applications/{reference}/steps/submit")
    check = client.post(f"/applications/{reference}/steps/submit/check", data={
        "documents": "Degree\n\nTranscript ", "note": "Sent by courier", "csrf_token": _csrf(form.text)})
    assert check.status_code == 200 and "Check your answers" in check.text
    assert road.snapshot(reference).events == 1  # the check step changes nothing
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', check.text))
    for _ in range(2):  # a double click: the same key, one event
        done = client.post(f"/applications/{reference}/steps/submit", data=fields,
                           follow_redirects=False)
        assert done.status_code == 303
    assert road.snapshot(reference).events == 2
    event = nurse.get(f"/applications/{reference}/timeline").json()["events"][-1]
    assert event["payload"] == {"documents": ["Degree", "Transcript"], "note": "Sent by courier"}
    confirmation = client.get(done.headers["location"])
    assert _h1(confirmation.text) == "Application submitted"
    # A step the road does not allow from here is a page saying so.
    refused = client.get(f"/applications/{reference}/steps/request_appeal")
    assert refused.status_code == 409 and _h1(refused.text) == "This step is not possible now"


def test_the_application_page_says_who_holds_the_file_and_that_an_assessment_is_not_a_licence(
    client: TestClient, road: Road
) -> None:
    nurse = road.applicant()
    reference = nurse.open("cno", "rn", "nnas")
    nurse.step(reference, "submit")
    road.assessor("nnas").step(reference, "start_assessment")
    _log_in(client, nurse)
    page = client.get(f"/applications/{reference}").text
    assert "National Nursing Assessment Service" in page
    assert "A credential assessment is not a licence" in page
    assert "Not shown: fewer than 10 applications" in page  # no history yet
    assert 'role="img"' in page and "You are here" in page


def test_the_profile_changes_one_answer_and_keeps_the_others(
    client: TestClient, road: Road
) -> None:
    nurse = road.applicant()
    nurse.road.client.put("/api/v1/me/profile", headers=nurse.headers, json={
        "immigration_status": "permanent_resident", "country_of_education": "PH",
        "language_test": "ielts-general"})
    _log_in(client, nurse)
    form = client.get("/profile/country_of_education")
    saved = client.post("/profile/country_of_education", data={
        "value": "IN", "csrf_token": _csrf(form.text)}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"] == "/profile?saved=country_of_education"
    profile = nurse.get("/me/profile").json()
    assert profile["country_of_education"] == "IN"
    assert profile["immigration_status"] == "permanent_resident"
    assert profile["language_test"] == "ielts-general"
    tomorrow = (local_date(utcnow()) + timedelta(days=1)).isoformat()
    refused = client.post("/profile/arrival_date", headers={"Accept-Language": "fr"}, data={
        "value": tomorrow, "csrf_token": _csrf(form.text)})
    assert refused.status_code == 422
    assert "The arrival date cannot be in the future." in refused.text
    assert nurse.get("/me/profile").json()["arrival_date"] is None


def test_assets_come_from_this_origin_with_cache_headers(client: TestClient) -> None:
    page = client.get("/").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))]
    stylesheet = asset_url("fairtrack.css")
    assert stylesheet in page
    kept = client.get(stylesheet)
    assert kept.status_code == 200 and kept.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert "etag" in kept.headers
    unversioned = client.get("/static/fairtrack.css")
    assert unversioned.headers["cache-control"] == "public, max-age=0, must-revalidate"
    for private in ("vendor.sh", "__init__.py", "ontario.scss"):
        assert client.get(f"/static/{private}").status_code == 404


def test_every_font_the_design_system_names_is_served() -> None:
    css_path = next(STATIC_DIR.glob("ontario-design-system-*/css/ontario.css"))
    urls = {u.split("#")[0].split("?")[0] for u in re.findall(r'url\("?([^")]+)"?\)', css_path.read_text())
            if not u.startswith("data:") and u}
    assert urls and all((css_path.parent / u).resolve().is_file() for u in urls), urls
    assert (css_path.parent.parent / "LICENSE").is_file()


def test_the_api_documentation_loads_nothing_from_a_cdn(client: TestClient) -> None:
    for path in ("/docs", "/redoc"):
        page = client.get(path)
        assert page.status_code == 200
        assert "cdn.jsdelivr" not in page.text and "fonts.googleapis" not in page.text
        for source in re.findall(r'(?:src|href)="([^"]+)"', page.text):
            if source.startswith("/"):
                asset = client.get(source)
                assert asset.status_code == 200, source
                assert asset.headers["cache-control"] == "public, max-age=86400", source
    assert "'unsafe-inline'" not in client.get("/docs").headers["content-security-policy"]


def test_the_expected_time_is_a_range_with_its_sample_size_from_ten_cases(
    road: Road, registry: Registry
) -> None:
    """Below ten finished cases the range is withheld, with the reason; from ten it is shown with
    the number of cases behind it, and the place in line where the holder has a queue."""
    nurse = road.applicant()
    reference = nurse.open("peo", "p-eng")
    nurse.step(reference, "submit")
    with road.sessions() as session:
        file = application_file(session, nurse.actor, registry, reference)
    t = translator("en")

    def page(visits: int) -> str:
        expectation = Expectation(stage="regulator_review", completed_visits=visits,
                                  median_calendar_days=41.0, p80_calendar_days=77.5,
                                  queue_position=3, open_in_queue=12)
        shown = replace(file, detail=file.detail.model_copy(update={"expectation": expectation}))
        context = application_page_context(shown, registry, t)
        return environment("en").get_template("pages/application.html").render(
            person=None, csrf_token="x", csrf_field="csrf_token", asset=asset_url, here="/",
            breadcrumbs=[], errors={}, **context)

    few, enough = page(9), page(10)
    assert "Not shown: fewer than 10 applications" in few and "half of the recent" not in few
    assert "half of the recent applications to this regulator took up to 41 days" in enough
    assert "8 in 10 took up to 78 days" in enough
    assert "Based on 10 applications that finished this stage in the last 12 months." in enough
    assert "Your place in line: 3 of 12 applications" in enough
