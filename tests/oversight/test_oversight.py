"""Timeliness and outcomes computed in SQL, with figures worked out by hand; the application detail's
clocks, deadlines and expectations; the applicant's profile."""

import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import Actor
from accounts.models import User
from casefile.applications import apply_event, create_application
from fairtrack.database import transaction
from law.calendar import TORONTO
from law.road import Role
from oversight.timeliness import timeliness
from regulators.registry import DATA_DIR, Registry, load_registry
from regulators.sync import sync_registry
from tests.support.histories import BACKDATED, Cast, noon, on
from tests.support.road import Person, Road
from workflow.schemas import ApplicationCreate, EventRequest


def peo_decided(cast: Cast, submitted: date, decided: date, pause: tuple[date, date] | None = None,
                ) -> str:
    ref = cast.applicant.opened_on(noon(submitted), "peo", "p-eng")
    on(cast.applicant, ref, "submit", submitted)
    on(cast.peo, ref, "begin_review", submitted)
    if pause:
        on(cast.peo, ref, "request_information", pause[0], reasons="Transcripts.")
        on(cast.applicant, ref, "provide_information", pause[1])
    on(cast.peo, ref, "issue_decision", decided, outcome="registered")
    return ref


def test_timeliness_per_regulator_stage_and_period(road: Road) -> None:
    cast = Cast(road)
    start = date(2026, 3, 2)  # a Monday
    peo_decided(cast, start, date(2026, 3, 9))  # 5 business days
    peo_decided(cast, start, date(2026, 3, 16))  # 10
    # 62 business days (60th is 28 May, then 29 May and 1 June): over the 60-day default.
    peo_decided(cast, start, date(2026, 6, 1))
    # 9 business days, of which Wed 4 to Wed 11 March (5) on the applicant's clock: 4 attributable.
    peo_decided(cast, start, date(2026, 3, 13), pause=(date(2026, 3, 4), date(2026, 3, 11)))
    fairness = road.oversight()
    params = {"regulator": "peo", "stage": "regulator_review", "period": "year",
              "since": "2026-01-01", "until": "2026-12-31"}
    body = fairness.get("/oversight/timeliness", params=params).json()
    (row,) = body["rows"]
    # Sorted 5, 9, 10, 62. Median at 1.5: 9.5; p80 at 2.4: 10 + 0.4 * 52 = 30.8; p90 at 2.7: 46.4.
    assert (row["period"], row["count"]) == ("2026", 4)
    assert (row["median_business_days"], row["p80_business_days"], row["p90_business_days"]) == (
        9.5, 30.8, 46.4)
    assert (row["standard_days"], row["standard_counting"], row["standard_is_default"]) == (
        60, "business", True)
    assert row["share_over_standard"] == 0.25
    assert row["mean_attributable_business_days"] == (5 + 4 + 10 + 62) / 4
    quarters = fairness.get("/oversight/timeliness", params={**params, "period": "quarter"}).json()
    assert [(r["period"], r["count"]) for r in quarters["rows"]] == [("2026-Q1", 3), ("2026-Q2", 1)]


def test_timeliness_periods_are_ontario_months_quarters_and_years(road: Road) -> None:
    cast = Cast(road)
    # Decided at 21:00 in Toronto on 31 March 2026, 01:00 on 1 April in UTC: a March visit.
    late_evening = datetime.combine(date(2026, 3, 31), time(21, 0), tzinfo=TORONTO)
    ref = cast.applicant.opened_on(noon(date(2026, 3, 2)), "peo", "p-eng")
    on(cast.applicant, ref, "submit", date(2026, 3, 2))
    on(cast.peo, ref, "begin_review", date(2026, 3, 2))
    cast.peo.step(ref, "issue_decision", outcome="registered", occurred_at=late_evening.isoformat(),
                  backdated_because=BACKDATED)
    fairness = road.oversight()
    params = {"regulator": "peo", "stage": "regulator_review", "since": "2026-01-01",
              "until": "2026-03-31"}
    for unit, period in (("month", "2026-03"), ("quarter", "2026-Q1"), ("year", "2026")):
        body = fairness.get("/oversight/timeliness", params={**params, "period": unit}).json()
        assert [(r["period"], r["count"]) for r in body["rows"]] == [(period, 1)], unit


def test_a_regulator_reads_its_own_timeliness_only(road: Road) -> None:
    peo = road.regulator("peo")
    mine = peo.get("/oversight/timeliness")
    assert mine.status_code == 200 and all(r["regulator"] == "peo" for r in mine.json()["rows"])
    assert peo.get("/oversight/timeliness", params={"regulator": "cno"}).status_code == 403
    assert road.applicant().get("/oversight/timeliness").status_code == 403
    fairness = road.oversight()
    for bad in ({"period": "week"}, {"stage": "limbo"}, {"regulator": "nobody"},
                {"since": "2026-05-01", "until": "2026-04-01"}, {"since": "yesterday"}):
        response = fairness.get("/oversight/timeliness", params=bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["message"]


def test_timeliness_windows_outside_the_calendar_it_counts_in_are_refused(road: Road) -> None:
    fairness = road.oversight()
    for bad in ({"until": "9999-12-31"}, {"until": "0001-06-01"}, {"since": "0001-01-01"},
                {"since": "1899-12-31", "until": "1900-06-01"}, {"since": "2201-01-01"},
                {"since": "2026-04-02", "until": "2026-04-01"}):
        response = fairness.get("/oversight/timeliness", params=bad)
        assert response.status_code == 422, (bad, response.text)
        assert response.json()["field"] in bad
    for good in ({"until": "1900-01-01"}, {"since": "2200-12-31", "until": "2200-12-31"},
                 {"since": "2026-04-01", "until": "2026-04-01"}, {"until": "2026-03-31"}):
        response = fairness.get("/oversight/timeliness", params=good)
        assert response.status_code == 200, (good, response.text)
    window = fairness.get("/oversight/timeliness", params={"until": "2026-03-31"}).json()
    assert (window["since"], window["until"]) == ("2025-03-31", "2026-03-31")


def _licensed_after(road: Road, person: Person, cast: Cast, days: int, status: str) -> None:
    response = road.client.put("/api/v1/me/profile", headers=person.headers,
                               json={"immigration_status": status, "country_of_education": "ph"})
    assert response.status_code == 200, response.text
    opened = date(2026, 1, 5)
    ref = person.opened_on(noon(opened), "peo", "p-eng")
    on(person, ref, "submit", opened)
    on(cast.peo, ref, "begin_review", opened)
    on(cast.peo, ref, "issue_decision", opened + timedelta(days=days), outcome="registered")


def test_outcomes_by_immigration_status_with_small_cells_withheld(road: Road) -> None:
    cast = Cast(road)
    for i in range(10):  # ten people licensed after 10, 11, ... 19 days
        _licensed_after(road, road.applicant(), cast, 10 + i, "permanent_resident")
    quitter = road.applicant()
    road.client.put("/api/v1/me/profile", headers=quitter.headers,
                    json={"immigration_status": "permanent_resident"})
    ref = quitter.open("peo", "p-eng")
    quitter.step(ref, "withdraw")
    for _ in range(2):
        _licensed_after(road, road.applicant(), cast, 30, "refugee_claimant")
    for _ in range(10):  # the next-smallest group: withheld with the claimants (complement)
        _licensed_after(road, road.applicant(), cast, 20, "international_student")
    body = road.oversight().get("/oversight/outcomes", params={"by": "immigration_status"}).json()
    rows = {r["group"]: r for r in body["rows"]}
    student = rows["international_student"]
    assert student["suppressed"] and student["people"] is None
    assert body["totals"] == {"people": 25, "applications": 25, "licensed": 20, "rounded_to": 5}
    resident = rows["permanent_resident"]
    assert (resident["people"], resident["applications"], resident["licensed"]) == (11, 11, 10)
    assert resident["success_rate"] == round(10 / 11, 4)
    # 10..19 days: median at 4.5 is 14.5; p80 at 7.2 is 17.2.
    assert (resident["median_days_to_licence"], resident["p80_days_to_licence"]) == (14.5, 17.2)
    claimant = rows["refugee_claimant"]
    assert claimant["suppressed"] and claimant["people"] is None and claimant["licensed"] is None
    by_stage = road.oversight().get("/oversight/outcomes", params={"by": "stage"}).json()
    stages = {r["group"]: r for r in by_stage["rows"]}
    assert stages["regulator_review"]["applications"] == 22
    by_country = road.oversight().get("/oversight/outcomes", params={"by": "country_of_education"})
    assert {r["group"] for r in by_country.json()["rows"]} == {"PH", "unknown"}
    assert road.oversight().get("/oversight/outcomes", params={"by": "shoe_size"}).status_code == 422


def test_the_detail_shows_clocks_deadlines_and_expected_time(road: Road) -> None:
    cast = Cast(road)
    peo_decided(cast, date(2026, 3, 2), date(2026, 3, 9))
    peo_decided(cast, date(2026, 3, 2), date(2026, 3, 16))
    first, second = cast.applicant.open("peo", "p-eng"), cast.applicant.open("peo", "p-eng")
    cast.applicant.step(first, "submit")
    cast.applicant.step(second, "submit")
    detail = cast.applicant.get(f"/applications/{second}").json()
    expected = detail["expectation"]
    assert expected["stage"] == "regulator_review"
    assert (expected["queue_position"], expected["open_in_queue"]) == (2, 2)
    (standard,) = detail["deadlines"]
    assert (standard["kind"], standard["party"], standard["is_default"]) == (
        "service_standard", "regulator", True)
    assert {c["stage"] for c in detail["stage_clocks"]} == {"intake", "regulator_review"}
    assert all(c["attributable_business_days"] + c["paused_business_days"] == c["business_days"]
               for c in detail["stage_clocks"])


def test_expected_time_comes_from_last_year_of_completed_visits(road: Road) -> None:
    cast = Cast(road)
    today = date.today()
    for days in (7, 21):
        peo_decided(cast, today - timedelta(days=60), today - timedelta(days=60 - days))
    ref = cast.applicant.open("peo", "p-eng")
    cast.applicant.step(ref, "submit")
    expected = cast.applicant.get(f"/applications/{ref}").json()["expectation"]
    # Two visits of 7 and 21 calendar days: median 14, p80 at 0.8 is 7 + 0.8 * 14 = 18.2.
    assert (expected["completed_visits"], expected["median_calendar_days"],
            expected["p80_calendar_days"]) == (2, 14.0, 18.2)


def test_the_applicant_edits_a_validated_profile(road: Road) -> None:
    person = road.applicant()
    assert person.get("/me/profile").json()["immigration_status"] is None
    good = {"immigration_status": "permanent_resident", "country_of_education": "ng",
            "started_before_arrival": True, "arrival_date": "2024-05-01", "language_test": "celpip-general"}
    response = road.client.put("/api/v1/me/profile", json=good, headers=person.headers)
    assert response.status_code == 200 and response.json()["country_of_education"] == "NG"
    assert person.get("/me/profile").json()["arrival_date"] == "2024-05-01"
    future = (date.today() + timedelta(days=30)).isoformat()
    for bad in ({"country_of_education": "XX"}, {"immigration_status": "tourist"},
                {"arrival_date": future}, {"language_test": "toefl"},
                {"immigration_status": "abroad", "arrival_date": "2024-01-01"}, {"shoe": 1}):
        refused = road.client.put("/api/v1/me/profile", json=bad, headers=person.headers)
        assert refused.status_code == 422, (bad, refused.text)
        assert refused.json()["message"]
    assert person.get("/me/profile").json()["country_of_education"] == "NG"
    assert road.oversight().get("/me/profile").status_code == 403


def test_each_visit_is_judged_by_the_standard_of_its_own_rules_version(
    sessions: sessionmaker[Session], registry: Registry, tmp_path: Path
) -> None:
    """PEO's version 2 (from 2025) publishes 45 business days for review; version 1 had the 60-day
    default. Two reviews of ten weeks: within version 1's standard, over version 2's."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    path = data / "peo.toml"
    text = path.read_text(encoding="utf-8").replace(
        '{ stage = "regulator_review", published = false },',
        '{ stage = "regulator_review", published = true, days = 45, counting = "business", '
        'source = "test scenario: a standard published by the regulator" },')
    lines = ["rules_version = 2" if line.startswith("rules_version =")
             else "effective_date = 2025-01-01" if line.startswith("effective_date =") else line
             for line in text.splitlines()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    v2 = load_registry(data)

    def reviewed(session: Session, rules: Registry, submitted: date, decided: date) -> None:
        engineer = _person(session, Role.applicant, None, f"engineer-{submitted}")
        staff = _person(session, Role.regulator, "peo", f"peo-{submitted}")
        app = create_application(session, engineer, rules, ApplicationCreate(
            regulator="peo", licence_class="p-eng"), now=noon(submitted))
        for actor, trigger, day, outcome in ((engineer, "submit", submitted, None),
                                             (staff, "begin_review", submitted, None),
                                             (staff, "issue_decision", decided, "registered")):
            request = EventRequest(trigger=trigger, expected_version=app.version,
                                   occurred_at=noon(day), outcome=outcome,
                                   backdated_because=BACKDATED)
            app = apply_event(session, actor, rules, app.reference, request)[0]

    with transaction(sessions) as session:
        sync_registry(session, registry)
        reviewed(session, registry, date(2024, 6, 3), date(2024, 8, 12))  # 48 business days
    with transaction(sessions) as session:
        sync_registry(session, v2)
        reviewed(session, v2, date(2025, 6, 2), date(2025, 8, 11))  # 48 business days
    with sessions() as session:
        figures = timeliness(session, Actor(user_id=None, role=Role.oversight), v2, regulator="peo",
                             stage="regulator_review", unit="year", since=date(2024, 1, 1),
                             until=date(2025, 12, 31))
    rows = {r.period: r for r in figures.rows}
    assert all(45 < r.median_business_days < 60 for r in rows.values())
    old, new = rows["2024"], rows["2025"]
    assert (old.standard_days, old.standard_is_default, old.share_over_standard) == (60, True, 0.0)
    assert (new.standard_days, new.standard_is_default, new.share_over_standard) == (45, False, 1.0)


def _person(session: Session, role: Role, organization: str | None, name: str) -> Actor:
    user = User(email=f"{name}@example.test", password_hash="!", role=role.value,
                organization=organization)
    session.add(user)
    session.flush()
    assert user.id is not None
    return Actor(user_id=user.id, role=role, organization=organization)
