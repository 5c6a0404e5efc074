"""The expected time at a stage is kept by the scan: a GET reads its stage's row (the same figures
as computing them), does not recompute until the next scan, and computes them when no recent scan
kept them."""

from datetime import date, timedelta

from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from fairtrack.columns import utcnow
from fairtrack.database import transaction
from oversight.expectations import KEPT_FOR, refresh_expectations
from oversight.models import StageExpectation
from regulators.registry import Registry
from tests.oversight.test_oversight import peo_decided
from tests.support.histories import Cast
from tests.support.road import Road


def _expected(cast: Cast, ref: str) -> tuple[int, float | None, float | None]:
    shown = cast.applicant.get(f"/applications/{ref}").json()["expectation"]
    return shown["completed_visits"], shown["median_calendar_days"], shown["p80_calendar_days"]


def test_the_scan_keeps_the_expected_time_and_reads_take_it(
    road: Road, sessions: sessionmaker[Session], registry: Registry
) -> None:
    cast = Cast(road)
    today = date.today()
    for days in (7, 21):
        peo_decided(cast, today - timedelta(days=60), today - timedelta(days=60 - days))
    ref = cast.applicant.open("peo", "p-eng")
    cast.applicant.step(ref, "submit")
    computed = _expected(cast, ref)  # no scan yet: computed by the read
    assert computed == (2, 14.0, 18.2)
    road.scan(registry)
    with sessions() as session:
        kept = session.get(StageExpectation, ("peo", "regulator_review"))
        assert kept is not None
        assert (kept.visits, kept.p50_calendar_days, kept.p80_calendar_days) == computed
        # Every regulator's stages are kept, those without a visit too.
        assert session.get(StageExpectation, ("cno", "assessment")) is not None
    assert _expected(cast, ref) == computed
    # A third review: the reads show the kept figures until the next scan keeps new ones.
    peo_decided(cast, today - timedelta(days=40), today - timedelta(days=5))
    assert _expected(cast, ref) == computed
    road.scan(registry)
    assert _expected(cast, ref) == (3, 21.0, 29.4)


def test_a_kept_expected_time_over_a_day_old_is_computed_again(
    road: Road, sessions: sessionmaker[Session], registry: Registry
) -> None:
    cast = Cast(road)
    today = date.today()
    peo_decided(cast, today - timedelta(days=60), today - timedelta(days=50))
    ref = cast.applicant.open("peo", "p-eng")
    cast.applicant.step(ref, "submit")
    with transaction(sessions) as session:
        refresh_expectations(session, registry)
        session.execute(update(StageExpectation).values(
            visits=99, computed_at=utcnow() - KEPT_FOR - timedelta(minutes=1)))
    assert _expected(cast, ref) == (1, 10.0, 10.0)
