"""The timeliness rollups give the same figures as counting every visit (oversight.timeliness.recount),
on random demo histories, whether the scan has folded the latest visits in or not, on both
databases; and the scan keeps them current as applications move on."""

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from accounts.actor import Actor
from casefile.scan import scan
from cli.demo import generate
from fairtrack.columns import utcnow
from fairtrack.database import transaction, unit_of_work
from law.calendar import local_date
from law.road import Role
from oversight.models import TimelinessRollup
from oversight.rollups import TIMED_STAGES, percentile_of, rebuild, refresh
from oversight.sql import PERIODS
from oversight.timeliness import recount, timeliness
from regulators.registry import Registry
from tests.oversight.test_oversight import peo_decided
from tests.support.histories import Cast, noon, on
from tests.support.road import Road

OVERSIGHT = Actor(user_id=None, role=Role.oversight)
REGULATORS = ("cno", "peo", "cpso", "oct", "cpa-ontario", "lso")


def same_figures(session: Session, registry: Registry, regulator: str | None, stage: str | None,
                 unit: str, since: date, until: date) -> None:
    fast = timeliness(session, OVERSIGHT, registry, regulator=regulator, stage=stage, unit=unit,
                      since=since, until=until)
    slow = recount(session, regulator=regulator, stage=stage, unit=unit, since=since, until=until)
    assert fast.rows == slow, (regulator, stage, unit, since, until)


windows = st.lists(
    st.tuples(
        st.sampled_from((None, *REGULATORS)), st.sampled_from((None, *TIMED_STAGES)),
        st.sampled_from(PERIODS), st.integers(0, 1200), st.integers(0, 900),
    ),
    min_size=1, max_size=4,
)


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), applications=st.integers(1, 30), fold=st.booleans(),
       windows=windows)
def test_rollups_give_the_figures_of_every_visit_on_random_histories(
    sessions: sessionmaker[Session], registry: Registry, seed: int, applications: int, fold: bool,
    windows: list[tuple[str | None, str | None, str, int, int]],
) -> None:
    # The examples pile up in one database: each adds histories after the last one's refresh, so
    # the visits closed since the watermark are counted on the fly, then (if `fold`) folded in.
    with transaction(sessions) as session:
        generate(session, registry, applications, seed=seed)
    today = local_date(utcnow())
    with sessions() as session:
        for regulator, stage, unit, back, length in windows:
            since = today - timedelta(days=back)
            same_figures(session, registry, regulator, stage, unit, since, since + timedelta(length))
        # The default window and all regulators, every stage, every period.
        for unit in PERIODS:
            same_figures(session, registry, None, None, unit, today - timedelta(365), today)
    if fold:
        with sessions() as session, unit_of_work(session):
            refresh(session)
        with sessions() as session:
            for unit in PERIODS:
                same_figures(session, registry, None, None, unit, today - timedelta(1100), today)


def test_the_scan_folds_in_visits_closed_since_and_a_rebuild_gives_the_same(
    road: Road, sessions: sessionmaker[Session], registry: Registry
) -> None:
    cast = Cast(road)
    start = date(2026, 3, 2)
    peo_decided(cast, start, date(2026, 3, 9))
    ref = cast.applicant.opened_on(noon(start), "peo", "p-eng")
    on(cast.applicant, ref, "submit", start)
    on(cast.peo, ref, "begin_review", start)
    with sessions() as session:
        report = scan(session, registry)
    assert report.rolled_up == 1  # the first application's review (intake is not timed)
    # The second application's review ends after the refresh: counted on the fly, then folded in.
    on(cast.peo, ref, "issue_decision", date(2026, 4, 20), outcome="registered")
    whole_year = (date(2026, 1, 1), date(2026, 12, 31))
    cut = (date(2026, 3, 5), date(2026, 4, 20))  # edges in March and April: days, no whole month
    with sessions() as session:
        for unit in PERIODS:
            for since, until in (whole_year, cut):
                same_figures(session, registry, "peo", None, unit, since, until)
        (row,) = timeliness(session, OVERSIGHT, registry, regulator="peo",
                            stage="regulator_review", unit="year", since=whole_year[0],
                            until=whole_year[1]).rows
        assert row.count == 2
        before = session.scalar(select(func.count()).select_from(TimelinessRollup))
    with sessions() as session:
        assert scan(session, registry).rolled_up == 1
        assert scan(session, registry).rolled_up == 0  # nothing new: nothing folded twice
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(TimelinessRollup)) > (before or 0)
        for unit in PERIODS:
            for since, until in (whole_year, cut):
                same_figures(session, registry, "peo", None, unit, since, until)
        rows = session.execute(select(TimelinessRollup).order_by(TimelinessRollup.id)).all()
    with sessions() as session, unit_of_work(session):
        assert rebuild(session) == 2
    with sessions() as session:
        rebuilt = session.execute(select(TimelinessRollup).order_by(TimelinessRollup.id)).all()
        key = lambda r: (r.span, r.regulator, r.stage, r.starts_on, r.count,  # noqa: E731
                         r.business_days, r.over, r.judged)
        assert sorted(map(key, (r[0] for r in rebuilt))) == sorted(map(key, (r[0] for r in rows)))


def test_percentiles_interpolate_as_each_database_does() -> None:
    from collections import Counter

    values = Counter({5: 1, 9: 1, 10: 1, 62: 1})  # the hand-worked figures of test_oversight
    for dialect in ("postgresql", "sqlite"):
        assert [round(percentile_of(values, p, dialect), 2) for p in (0.5, 0.8, 0.9)] == [
            9.5, 30.8, 46.4]
        assert percentile_of(Counter({7: 1}), 0.9, dialect) == 7.0
