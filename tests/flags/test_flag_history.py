"""Each flag's history (issue 13, item 4): one row per step in `flag_actions`, written in the
transaction of the step (the raise by the write path or the scan, a grown severity, an
acknowledgement, a resolution), read back in order by fairness staff and by the flag's own
regulator only; the demo leaves one `raised` row per flag it raises."""

from datetime import timedelta
from typing import Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from cli.demo import generate
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from flags.models import Flag, FlagAction
from regulators.registry import Registry
from tests.flags.test_flags import _triage, peo_under_review
from tests.support.histories import Cast, flags
from tests.support.road import Road


def actions(road: Road, flag_id: int) -> list[FlagAction]:
    with road.sessions() as session:
        return list(session.scalars(select(FlagAction).where(col(FlagAction.flag_id) == flag_id)
                                    .order_by(col(FlagAction.at), col(FlagAction.id))))


def steps(history: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    return [(h["action"], h["by"], h["from_status"], h["to_status"], h["from_severity"],
             h["to_severity"], h["note"]) for h in history]


def canadian_experience_flag(cast: Cast) -> tuple[str, int]:
    """PEO requires Canadian experience without alternatives: the write path raises the flag."""
    ref = peo_under_review(cast, 1)
    cast.peo.step(ref, "issue_decision", outcome="requirements", reasons="One year in Canada.",
                  requirements=["canadian_experience"], alternatives_accepted=False)
    (flag,) = flags(cast.road, ref, "canadian_experience")
    assert flag.id is not None
    return ref, flag.id


def test_every_step_on_a_flag_is_recorded_in_order_and_a_refused_step_records_nothing(
    road: Road,
) -> None:
    cast = Cast(road)
    fairness = road.oversight()
    ref, flag_id = canadian_experience_flag(cast)
    (raised,) = actions(road, flag_id)
    (flag,) = flags(road, ref, "canadian_experience")
    # Raised by the event's own transaction, by FairTrack (no person), at the flag's raise.
    assert (raised.action, raised.actor_id, raised.at) == ("raised", None, flag.raised_at)
    assert _triage(fairness, flag_id, action="acknowledge", note="Asked PEO why").status_code == 200
    assert _triage(fairness, flag_id, action="acknowledge").status_code == 409
    assert _triage(fairness, flag_id, action="resolve").status_code == 422  # no note
    assert _triage(cast.peo, flag_id, action="resolve", note="not mine").status_code == 403
    assert _triage(fairness, flag_id, action="resolve", note="PEO dropped it.").status_code == 200
    assert _triage(fairness, flag_id, action="resolve", note="again").status_code == 409
    rows = actions(road, flag_id)
    assert [(a.action, a.actor_id) for a in rows] == [
        ("raised", None), ("acknowledged", fairness.user_id), ("resolved", fairness.user_id)]
    assert rows[0].at <= rows[1].at <= rows[2].at
    (flag,) = flags(road, ref, "canadian_experience")
    assert (rows[1].at, rows[2].at) == (flag.acknowledged_at, flag.resolved_at)

    detail = fairness.get(f"/oversight/flags/{flag_id}")
    assert detail.status_code == 200, detail.text
    body = detail.json()
    assert (body["id"], body["application"], body["status"]) == (flag_id, ref, "resolved")
    assert steps(body["history"]) == [
        ("raised", "system", None, "open", None, "medium", None),
        ("acknowledged", "oversight", "open", "acknowledged", "medium", "medium", "Asked PEO why"),
        ("resolved", "oversight", "acknowledged", "resolved", "medium", "medium", "PEO dropped it."),
    ]
    assert "actor_id" not in str(body)  # who acted is said by role, not by account


def test_a_resolution_without_acknowledgement_goes_from_open(road: Road) -> None:
    fairness = road.oversight()
    _, flag_id = canadian_experience_flag(Cast(road))
    assert _triage(fairness, flag_id, action="resolve", note="Settled.").status_code == 200
    history = fairness.get(f"/oversight/flags/{flag_id}").json()["history"]
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("raised", None, "open"), ("resolved", "open", "resolved")]


def test_the_scan_records_the_raise_and_a_severity_that_grows(road: Road) -> None:
    cast = Cast(road)
    ref = peo_under_review(cast, 10)
    assert flags(road, ref, "delay") == []
    soon, later = utcnow() + timedelta(days=100), utcnow() + timedelta(days=400)
    road.scan(road.registry, now=soon)
    (flag,) = flags(road, ref, "delay")
    assert flag.id is not None and flag.severity != "high"
    first = flag.severity
    road.scan(road.registry, now=later)
    road.scan(road.registry, now=later)  # nothing grows twice: nothing more recorded
    (flag,) = flags(road, ref, "delay")
    assert flag.severity == "high"
    history = [(a.action, a.actor_id, a.at, a.from_severity, a.to_severity, a.to_status)
               for a in actions(road, flag.id)]
    assert history == [("raised", None, soon, None, first, "open"),
                       ("severity_raised", None, later, first, "high", "open")]
    body = road.oversight().get(f"/oversight/flags/{flag.id}").json()
    assert [h["action"] for h in body["history"]] == ["raised", "severity_raised"]


def test_a_regulator_reads_its_own_flags_history_and_no_one_elses(road: Road) -> None:
    cast = Cast(road)
    _, flag_id = canadian_experience_flag(cast)  # a PEO flag
    own = cast.peo.get(f"/oversight/flags/{flag_id}")
    assert own.status_code == 200 and [h["action"] for h in own.json()["history"]] == ["raised"]
    assert cast.cno.get(f"/oversight/flags/{flag_id}").status_code == 404
    for person in (cast.applicant, cast.nnas, cast.hparb):
        assert person.get(f"/oversight/flags/{flag_id}").status_code == 403
    assert road.oversight().get("/oversight/flags/99999").status_code == 404
    assert road.oversight().get("/oversight/flags/0").status_code == 422
    assert road.oversight().get("/oversight/flags/x").status_code == 422


def test_the_demo_records_the_raise_of_every_flag_it_raises(
    sessions: sessionmaker[Session], registry: Registry
) -> None:
    with transaction(sessions) as session:
        generate(session, registry, 60, seed=3)
    with sessions() as session:
        raised = session.execute(
            select(Flag, FlagAction).join(FlagAction, col(FlagAction.flag_id) == col(Flag.id))
        ).all()
        total = session.scalar(select(func.count()).select_from(Flag))
        others = session.scalar(select(func.count()).select_from(FlagAction)
                                .where(col(FlagAction.action) != "raised"))
    assert total and len(raised) == total and others == 0
    assert all(a.action == "raised" and a.at == f.raised_at and a.to_severity == f.severity
               and a.to_status == "open" and a.actor_id is None for f, a in raised)


def test_the_history_of_many_new_flags_is_one_insert_beside_the_flags_own(road: Road) -> None:
    """The raise's rows join one batch: the flags' INSERT (RETURNING their ids) and one INSERT of
    their history, however many flags a scan or an event raises."""
    cast = Cast(road)
    refs = [peo_under_review(cast, 10) for _ in range(3)]
    engine = road.sessions.kw["bind"]
    sent: list[str] = []

    def count(*args: Any) -> None:
        sent.append(args[2])

    event.listen(engine, "before_cursor_execute", count)
    try:
        report = road.scan(road.registry, now=utcnow() + timedelta(days=100))
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert report.raised.get("delay") == 3 and all(flags(road, ref, "delay") for ref in refs)
    inserts = [s.split("(")[0].strip() for s in sent if s.lstrip().startswith("INSERT INTO flag")]
    assert inserts == ["INSERT INTO flags", "INSERT INTO flag_actions"], inserts
