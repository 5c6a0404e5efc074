"""The outcome rollup gives the figures of counting every closed application and its intervals
(oversight.outcomes with `recount`), on random demo histories and on both databases: whether the
scan has folded the latest applications in or not, after profiles change without any event, and
when a refused application is reopened by a tribunal after it was rolled up."""

from datetime import date
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from accounts.actor import Actor
from cli.demo import generate
from fairtrack.database import transaction, unit_of_work
from law.road import Role
from oversight import outcomes as module
from oversight.models import OutcomeRollup, RollupWatermark
from oversight.outcome_rollups import STAGE_BITS, WATERMARK, rebuild, refresh, watermark
from oversight.outcomes import DIMENSIONS, outcomes
from profiles.models import ApplicantProfile
from regulators.registry import Registry
from tests.support.histories import Cast, noon, on
from tests.support.road import Road
from workflow.models import StageInterval
from workflow.service import parse_reference

OVERSIGHT = Actor(user_id=None, role=Role.oversight)
REGULATORS = ("cno", "peo", "cpso", "oct", "cpa-ontario", "lso")


def raw(session: Session, by: str, regulator: str | None, mark: int | None) -> list[Any]:
    """The figures before any cell is withheld (demo cells are small: most would be withheld)."""
    dialect = session.get_bind().dialect.name
    return [
        [tuple(r) for r in module._figures(session, dialect, by, regulator, mark)],
        sorted(tuple(r) for r in module._people_by_regulator(session, dialect, by, mark)),
        module._totals(session, dialect, regulator, mark),
    ]


def counted(found: module.Counted) -> list[Any]:
    def cells(rows: list[Any]) -> list[tuple[Any, ...]]:
        return sorted((r.grp, r.people, r.applications, r.licensed,
                       None if r.p50 is None else float(r.p50),
                       None if r.p80 is None else float(r.p80)) for r in rows)

    return [cells(found.figures), cells(found.everyone),
            sorted((r.regulator, r.grp, r.people) for r in found.people), found.totals]


def same_figures(session: Session, registry: Registry, regulator: str | None) -> None:
    mark = watermark(session)
    postgresql = session.get_bind().dialect.name == "postgresql"
    for by in DIMENSIONS:
        fast = outcomes(session, OVERSIGHT, registry, by=by, regulator=regulator)
        slow = outcomes(session, OVERSIGHT, registry, by=by, regulator=regulator, recount=True)
        assert fast == slow, (by, regulator)
        assert raw(session, by, regulator, mark) == raw(session, by, regulator, None), (by, regulator)
        if postgresql:  # outcomes() counts in one pass there: the same as the three queries
            for at in (mark, None):
                assert counted(module._one_pass(session, by, regulator, at)) == counted(
                    module._three_queries(session, "postgresql", by, regulator, at)), (by, regulator)


def rollup_rows(session: Session) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in session.execute(select(
        OutcomeRollup.application_id, OutcomeRollup.regulator, OutcomeRollup.applicant_id,  # type: ignore[call-overload]
        OutcomeRollup.licensed, OutcomeRollup.days, OutcomeRollup.stages,
    ).order_by(col(OutcomeRollup.application_id)))]


@settings(max_examples=8, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(seed=st.integers(0, 10**6), applications=st.integers(1, 40),
       lag=st.sampled_from(("folded", "not folded", "rewound")), moved=st.integers(0, 5),
       regulators=st.lists(st.sampled_from(REGULATORS), max_size=2))
def test_the_rollup_gives_the_figures_of_every_application_on_random_histories(
    sessions: sessionmaker[Session], registry: Registry, seed: int, applications: int, lag: str,
    moved: int, regulators: list[str],
) -> None:
    # The examples pile up in one database. "not folded": the demo's histories are left above the
    # watermark (computed on the fly); "rewound": the watermark goes back below rows it has read,
    # which must then be computed, not counted twice.
    with transaction(sessions) as session:
        if lag == "not folded":
            with mock.patch("cli.demo.refresh_outcomes"):
                generate(session, registry, applications, seed=seed)
        else:
            generate(session, registry, applications, seed=seed)
    if lag == "rewound":
        with transaction(sessions) as session:
            top = session.scalar(select(func.max(col(StageInterval.id)))) or 0
            session.execute(update(RollupWatermark).where(col(RollupWatermark.name) == WATERMARK)
                            .values(last_id=top * seed // 10**6))
    # Profiles change without events: the groups follow them at once.
    with transaction(sessions) as session:
        profiles = list(session.scalars(select(ApplicantProfile).order_by(
            col(ApplicantProfile.user_id)).limit(moved)))
        for i, profile in enumerate(profiles):
            profile.immigration_status = ("refugee_claimant", None)[(seed + i) % 2]
            profile.country_of_education = ("UA", None)[(seed + i) % 2]
            profile.started_before_arrival = (None, True, False)[(seed + i) % 3]
    with sessions() as session:
        for regulator in (None, *regulators):
            same_figures(session, registry, regulator)
    with sessions() as session, unit_of_work(session):
        refresh(session)
    with sessions() as session:
        assert watermark(session) == session.scalar(select(func.max(col(StageInterval.id))))
        for regulator in (None, *regulators):
            same_figures(session, registry, regulator)
        folded = rollup_rows(session)
    with sessions() as session, unit_of_work(session):  # incremental = built from nothing
        rebuild(session)
    with sessions() as session:
        assert rollup_rows(session) == folded


def closed_here(session: Session, regulator: str) -> int:
    """How many closed applications of the regulator the rolled-up figures count (unwithheld)."""
    dialect = session.get_bind().dialect.name
    rows = module._figures(session, dialect, "immigration_status", regulator, watermark(session))
    return sum(r.applications for r in rows)


def test_a_refused_application_reopened_after_the_scan_leaves_the_figures_until_it_closes(
    road: Road, sessions: sessionmaker[Session], registry: Registry
) -> None:
    cast = Cast(road)
    ref = cast.cno_refused_by_committee(date(2026, 1, 5), date(2026, 3, 4))
    road.scan(registry, now=noon(date(2026, 4, 6)))  # the appeal window lapses: refused, rolled up
    assert road.snapshot(ref).state == "refused"
    app_id = parse_reference(ref)
    with sessions() as session:
        row = session.get(OutcomeRollup, app_id)
        assert row is not None and (row.regulator, row.licensed, row.days) == ("cno", 0, None)
        reached = {"intake", "assessment", "regulator_review", "internal_committee", "decision"}
        assert row.stages == sum(STAGE_BITS[s] for s in reached)
        assert watermark(session) == session.scalar(select(func.max(col(StageInterval.id))))
        same_figures(session, registry, None)
        assert closed_here(session, "cno") == 1
    # HPARB reopens the lapsed window: open again, out of the figures before any scan.
    on(cast.hparb, ref, "extend_appeal_time", date(2026, 4, 10), window="appeal_board_request",
       until="2026-04-24", reasons="The decision went to an old address.")
    with sessions() as session:
        assert session.get(OutcomeRollup, app_id) is not None  # stale until the next scan
        same_figures(session, registry, None)
        same_figures(session, registry, "cno")
        assert closed_here(session, "cno") == 0
    road.scan(registry, now=noon(date(2026, 4, 11)))
    with sessions() as session:
        assert session.get(OutcomeRollup, app_id) is None
        same_figures(session, registry, "cno")
    # Appealed; HPARB orders registration and the committee registers: licensed, in the figures
    # at once (computed), then from the rollup, with the appeal board among its stages.
    on(cast.applicant, ref, "request_appeal", date(2026, 4, 20), review_or_hearing="review")
    on(cast.hparb, ref, "decide_appeal", date(2026, 5, 20), outcome="registered",
       reasons="The hours were shown.")
    on(cast.cno, ref, "issue_decision", date(2026, 5, 25), outcome="registered")
    with sessions() as session:
        same_figures(session, registry, "cno")
        assert closed_here(session, "cno") == 1
    road.scan(registry, now=noon(date(2026, 5, 26)))
    with sessions() as session:
        row = session.get(OutcomeRollup, app_id)
        assert row is not None and row.licensed == 1 and row.days is not None
        assert row.stages == sum(STAGE_BITS[s] for s in (*reached, "appeal_board"))
        same_figures(session, registry, None)
        assert closed_here(session, "cno") == 1
