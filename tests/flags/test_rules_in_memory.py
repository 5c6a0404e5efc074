"""The deadline flag rules decided in memory on the write path equal the SQL rules the scan runs,
on random histories replayed through the domain function on both databases.

Two ways of saying it: (1) after each step, over all the application's deadlines and on several
days, the in-memory rule raises exactly what the SQL rule finds (flags set aside, so that nothing
is left out as already raised); (2) the same walk recorded twice, once with the write path's
in-memory rules and once with the SQL rules in their place, leaves the same flags.
"""

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import hypothesis
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

import casefile.consequences
from casefile.applications import apply_event, create_application
from cli.walks import earliest
from cli.walks import offered as deadlines_allow
from deadlines.models import Deadline
from deadlines.service import deadlines_of
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from flags.models import Flag, FlagAction
from flags.rules import DEADLINE_RULES, RULES, Finding
from flags.service import KnownFlags, raise_flags_after
from law.calendar import TORONTO, local_date
from law.road import INITIAL_STATE, REQUIREMENT_CODES, TRIGGER_ROLES
from regulators.registry import Registry
from tests.workflow.test_replay_properties import (
    REGULATORS,
    Cast,
    carries_out,
    cast,
    choose,
    open_deadlines,
    request_for,
)
from workflow.machine import Walk, fire
from workflow.models import Application, Event
from workflow.schemas import ApplicationCreate

__all__ = ["cast"]  # the fixture, used by name


def _key(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    return sorted((f.kind, f.occurrence, f.severity, json.dumps(f.evidence, sort_keys=True))
                  for f in findings)


def assert_rules_agree(
    sessions: sessionmaker[Session], registry: Registry, app_id: int, regulator: str,
    days: list[date],
) -> None:
    with sessions() as session:
        flag_ids = select(col(Flag.id)).where(col(Flag.application_id) == app_id)
        session.execute(delete(FlagAction).where(col(FlagAction.flag_id).in_(flag_ids)))
        session.execute(delete(Flag).where(col(Flag.application_id) == app_id))
        rows = deadlines_of(session, app_id)
        for today in days:
            for kind, in_memory in DEADLINE_RULES.items():
                by_sql = RULES[kind](session, registry, today, app_id)
                found = (in_memory(row, regulator, today) for row in rows)
                by_memory = [f for f in found if f is not None]
                assert _key(by_memory) == _key(by_sql), (kind, today)
        session.rollback()


def flags_of(sessions: sessionmaker[Session], app_id: int) -> list[tuple[Any, ...]]:
    """The application's flags, a deadline's occurrence named by the deadline (not its id)."""
    with sessions() as session:
        named = {f"deadline:{d.id}": f"{d.kind}/{d.code}/{d.opened_seq}"
                 for d in deadlines_of(session, app_id)}
        flags = session.scalars(select(Flag).where(Flag.application_id == app_id))  # type: ignore[arg-type]
        return sorted((f.kind, named.get(f.occurrence, f.occurrence), f.severity, f.status,
                       json.dumps(f.evidence, sort_keys=True)) for f in flags)


def _open(sessions: sessionmaker[Session], registry: Registry, cast: Cast, slug: str,
          opened: datetime) -> Application:
    regulator = registry.regulator(slug)
    assert regulator is not None
    with transaction(sessions) as session:
        return create_application(
            session, cast.applicant, registry,
            ApplicationCreate(regulator=slug,
                              licence_class=regulator.professions[0].licence_classes[0].code),
            now=opened,
        )


@settings(max_examples=10, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_in_memory_deadline_rules_equal_the_sql_rules_on_random_histories(
    sessions: sessionmaker[Session], registry: Registry, cast: Cast, data: st.DataObject,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    slug = data.draw(st.sampled_from(REGULATORS), label="regulator")
    opened = utcnow() - timedelta(days=data.draw(st.integers(30, 3000), label="days ago"))
    memory = _open(sessions, registry, cast, slug, opened)
    twin = _open(sessions, registry, cast, slug, opened)
    assert memory.id is not None and twin.id is not None

    def sql_for_the_twin(session: Session, registry: Registry, application: Application,
                         event: Event, deadlines: list[Deadline] | None = None,
                         known: KnownFlags | None = None) -> Any:
        """The twin's flags by the SQL rules (as before the write path decided in memory, and read
        the flags again)."""
        if application.id == twin.id:
            deadlines, known = None, None
        return raise_flags_after(session, registry, application, event, deadlines, known)

    monkeypatch.setattr(casefile.consequences, "raise_flags_after", sql_for_the_twin)
    model = Walk(INITIAL_STATE, memory.facts())
    moment = opened
    ordered: list[str | None] = [None]
    for _ in range(data.draw(st.integers(5, 25), label="steps")):
        rows = open_deadlines(sessions, memory.reference)
        chosen = choose(data, model, lambda s, rows=rows: deadlines_allow(
            s.trigger, model.state, rows, slug) and carries_out(s, model.state, ordered[0]))
        if chosen is None:
            break
        trigger, outcome = chosen
        moment += timedelta(minutes=data.draw(st.integers(0, 200 * 24 * 60), label="minutes"))
        first_day = earliest(trigger, rows)
        if first_day is not None and local_date(moment) < first_day:
            moment = datetime.combine(first_day, time(12), tzinfo=TORONTO)
        moment = min(moment, utcnow())
        if first_day is not None and local_date(moment) < first_day:
            break  # the step waits for a day still to come
        requirements = data.draw(
            st.lists(st.sampled_from(REQUIREMENT_CODES), min_size=1, max_size=3, unique=True))
        # Recorded soon after it occurred: the histories move through time, and deadlines fall due
        # (or near their day) between events, as they would.
        now = min(moment + timedelta(hours=data.draw(st.integers(0, 72), label="hours late")),
                  utcnow())
        for application in (memory, twin):
            actor = cast.acting(TRIGGER_ROLES[trigger], application, registry)
            assert actor is not None, (trigger, application.state)
            request = request_for(trigger, outcome, application.version, moment, model.state,
                                  model.facts, rows, slug, requirements)
            with transaction(sessions) as session:
                recorded = apply_event(session, actor, registry, application.reference, request,
                                       now)[0]
            if application is memory:
                memory = recorded
            else:
                twin = recorded
        fire(model, trigger, outcome)
        assert (memory.state, twin.state) == (model.state, model.state)
        if trigger == "decide_appeal":
            ordered[0] = outcome
        today = local_date(now)
        later = data.draw(st.integers(1, 400), label="days later")
        assert_rules_agree(sessions, registry, memory.id, slug,
                           [today, today + timedelta(days=later)])
    raised = flags_of(sessions, memory.id)
    hypothesis.event(f"{len([f for f in raised if f[1].startswith('s')])} deadline flags")
    assert raised == flags_of(sessions, twin.id)
