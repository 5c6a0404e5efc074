"""Synthetic but realistic histories: many applications walked through the real machine, bulk-inserted.

Every history is a random walk through the same road the API enforces (cli/walks.py), hash-chained
and projected with the same functions, so `fairtrack verify` passes on demo data. Its deadlines come
from the write path's own deadline function, step by step, and the flags from the same rules, once
at the end.
"""

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import User
from accounts.security import hash_password
from cli.walks import Step, choose, organization, walk_history
from deadlines.models import Deadline
from deadlines.service import DeadlineDraft, Standard, standard_of
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from flags.service import raise_flags
from law.calendar import local_date
from law.road import FIXES_RULES_VERSION, STATE_INFO, Fact, Role
from law.standards import StandardStage
from profiles.models import ApplicantProfile
from profiles.schemas import IRCC_LANGUAGE_TESTS, ImmigrationStatus
from regulators.files import Regulator, Sector
from regulators.registry import DIVISIONAL_COURT, Registry
from workflow.ledger import (
    APPLICATION_FACTS,
    GENESIS_HASH,
    chain_hash,
    event_content,
    recorded_business_days,
    visit_durations,
)
from workflow.models import Application, Event, StageInterval, StageVisit
from workflow.visits import Stay, fold_visits

DEMO_PASSWORD = "fairtrack-demo-2026"  # noqa: S105 - documented in README; demo data only
DEMO_DOMAIN = "demo.fairtrack.example"
BATCH = 1000


@dataclass
class DemoCast:
    """The demo accounts: who acts for each role and organization."""

    applicants: list[int]
    staff: dict[tuple[Role, str], int] = field(default_factory=dict)


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_DOMAIN}"


def _ensure_users(session: Session, registry: Registry, applicants: int) -> DemoCast:
    """Named demo accounts (see README) plus one staff account per organization, made once."""
    # One hash shared by every demo account: seconds, not minutes, for thousands of them.
    password_hash = hash_password(DEMO_PASSWORD)
    existing = {
        email: (uid, role, org)
        for email, uid, role, org in session.execute(
            select(col(User.email), col(User.id), col(User.role), col(User.organization)).where(
                col(User.email).like(f"%@{DEMO_DOMAIN}")
            )
        )
    }
    wanted: list[dict[str, Any]] = []
    orgs: list[tuple[Role, str]] = [(Role.regulator, slug) for slug in registry.regulators]
    orgs += [(Role.assessor, slug) for slug in registry.assessors]
    orgs += sorted({(Role.tribunal, r.appeal_body.slug) for r in registry.regulators.values()})
    orgs.append((Role.tribunal, DIVISIONAL_COURT))
    for role, org in orgs:
        wanted.append({"email": demo_email(f"{role.value}.{org}"), "role": role, "organization": org})
    for name, role in (("oversight", Role.oversight), ("admin", Role.admin)):
        wanted.append({"email": demo_email(name), "role": role, "organization": None})
    wanted += [
        {"email": demo_email("applicant" if i == 0 else f"applicant{i}"), "role": Role.applicant,
         "organization": None}
        for i in range(applicants)
    ]
    missing = [w for w in wanted if w["email"] not in existing]
    if missing:
        rows = [
            {**w, "role": w["role"].value, "password_hash": password_hash,
             "preferred_language": "en", "is_active": True, "created_at": utcnow()}
            for w in missing
        ]
        for start in range(0, len(rows), BATCH):
            session.execute(insert(User).execution_options(render_nulls=True),
                            rows[start : start + BATCH])
        existing = {
            email: (uid, role, org)
            for email, uid, role, org in session.execute(
                select(col(User.email), col(User.id), col(User.role), col(User.organization)).where(
                    col(User.email).like(f"%@{DEMO_DOMAIN}")
                )
            )
        }
    cast = DemoCast(applicants=[])
    for w in wanted:
        user_id, role_name, user_org = existing[w["email"]]
        assert user_id is not None
        if role_name == Role.applicant.value:
            cast.applicants.append(user_id)
        else:
            cast.staff[(Role(role_name), user_org or "")] = user_id
    return cast


def _actor(step: Step, regulator: Regulator, assessor: str | None, applicant: int,
           cast: DemoCast) -> tuple[int | None, str | None]:
    if step.role is Role.applicant:
        return applicant, None
    if step.role is Role.system:
        return None, None
    if step.role is Role.regulator:
        org = regulator.slug
    elif step.role is Role.assessor:
        org = assessor or ""
    else:
        org = organization(step.role, step.trigger, step.from_state or "", regulator,
                           assessor) or ""
    return cast.staff[(step.role, org)], org


def generate(
    session: Session,
    registry: Registry,
    applications: int,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `applications` demo applications with their histories, in one unit of work; returns how
    many were added."""
    with unit_of_work(session):
        return _generate(session, registry, applications, seed, progress)


def _generate(
    session: Session,
    registry: Registry,
    applications: int,
    seed: int,
    progress: Callable[[int], None] | None,
) -> int:
    rng = random.Random(seed)
    now = utcnow()
    cast = _ensure_users(session, registry, max(1, applications * 4 // 5))
    _ensure_profiles(session, rng, cast.applicants, now)
    regulators = sorted(registry.regulators.values(), key=lambda r: r.slug)
    weights = [8.0 if r.slug in ("cno", "peo", "cpso", "oct") else 1.0 for r in regulators]
    known: dict[tuple[str, int, StandardStage], Standard] = {}

    def standards(regulator: Regulator) -> Callable[[StandardStage], Standard]:
        def standard(stage: StandardStage) -> Standard:
            key = (regulator.slug, regulator.rules_version, stage)
            if key not in known:
                known[key] = standard_of(session, registry, *key)
            return known[key]
        return standard

    done = 0
    for batch in _chunks(applications, BATCH):
        plans: list[Any] = []
        for _ in range(batch):
            regulator = rng.choices(regulators, weights=weights)[0]
            assessor = rng.choice(regulator.assessors) if regulator.third_party_assessment else None
            start = now - timedelta(days=rng.randint(1, 3 * 365), minutes=rng.randint(0, 1440))
            walk, steps, drafts = walk_history(rng, regulator, assessor, start, now,
                                               standards(regulator))
            applicant = cast.applicants[0] if done + len(plans) < 3 else rng.choice(cast.applicants)
            plans.append((regulator, assessor, applicant, walk, steps, drafts))
        _insert(session, cast, plans, now)
        done += batch
        if progress:
            progress(batch)
    # What the write path and the scan's rules find on these histories today (the scan's flags).
    raise_flags(session, registry, local_date(now), now=now)
    return done


# Where demo applicants were educated and their status: a plausible mix, not statistics.
DEMO_COUNTRIES = {"IN": 0.28, "PH": 0.16, "NG": 0.08, "CN": 0.07, "PK": 0.06, "IR": 0.05, "GB": 0.05,
                  "US": 0.05, "BR": 0.04, "UA": 0.04, "FR": 0.03, "MX": 0.03, "EG": 0.03, "CO": 0.03}
DEMO_STATUSES = {
    ImmigrationStatus.permanent_resident: 0.4, ImmigrationStatus.abroad: 0.15,
    ImmigrationStatus.temporary_foreign_worker: 0.12, ImmigrationStatus.international_student: 0.1,
    ImmigrationStatus.protected_person: 0.08, ImmigrationStatus.refugee_claimant: 0.05,
    ImmigrationStatus.canadian_citizen: 0.1,
}


def _ensure_profiles(session: Session, rng: random.Random, applicants: list[int], now: datetime) -> None:
    """A profile for each demo applicant without one, so that outcomes and flags have data."""
    have = set(session.scalars(select(col(ApplicantProfile.user_id))))
    rows = []
    for user_id in applicants:
        if user_id in have:
            continue
        status = ImmigrationStatus(choose(rng, {s.value: w for s, w in DEMO_STATUSES.items()}))
        abroad = status is ImmigrationStatus.abroad
        arrived = None if abroad else (now - timedelta(days=rng.randint(30, 3650))).date()
        rows.append({
            "user_id": user_id, "immigration_status": status.value,
            "country_of_education": choose(rng, DEMO_COUNTRIES),
            "started_before_arrival": True if abroad else rng.random() < 0.3,
            "arrival_date": arrived,
            "language_test": rng.choice(IRCC_LANGUAGE_TESTS) if rng.random() < 0.7 else None,
            "updated_at": now,
        })
    for start in range(0, len(rows), BATCH):
        session.execute(insert(ApplicantProfile).execution_options(render_nulls=True),
                        rows[start : start + BATCH])


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


DEADLINE_FIELDS = tuple(f.name for f in fields(DeadlineDraft))


def _fields(draft: DeadlineDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in DEADLINE_FIELDS}


def _insert(session: Session, cast: DemoCast, plans: list[Any], now: datetime) -> None:
    app_rows = [
        {
            "applicant_id": applicant, "regulator": regulator.slug,
            "licence_class": regulator.professions[0].licence_classes[0].code,
            "assessor": assessor, "health_route": regulator.sector is Sector.health,
            "rules_version": regulator.rules_version, "state": walk.state,
            "decided_by_committee": Fact.decided_by_committee in walk.facts,
            "version": len(steps), "head_hash": GENESIS_HASH,
            "created_at": steps[0].occurred_at, "updated_at": steps[-1].occurred_at,
        }
        for regulator, assessor, applicant, walk, steps, _drafts in plans
    ]
    ids = list(session.scalars(
        insert(Application).returning(col(Application.id), sort_by_parameter_order=True)
        .execution_options(render_nulls=True), app_rows
    ))
    events: list[dict[str, Any]] = []
    intervals: list[dict[str, Any]] = []
    heads: list[dict[str, Any]] = []
    visits: list[dict[str, Any]] = []
    deadlines: list[DeadlineDraft] = []
    for app_row, app_id, (regulator, assessor, applicant, _walk, steps, drafts) in zip(
        app_rows, ids, plans, strict=True
    ):
        assert app_id is not None
        prev_hash = GENESIS_HASH
        first = len(intervals)
        for draft in drafts:
            draft.application_id = app_id
        deadlines += drafts
        for seq, step in enumerate(steps, start=1):
            actor_id, actor_org = _actor(step, regulator, assessor, applicant, cast)
            recorded_at = min(step.occurred_at + timedelta(hours=1), now)
            # The facts the write path states: all of them at opening, the rules at submission.
            changes = ({name: app_row[name] for name in APPLICATION_FACTS} if seq == 1 else
                       {"rules_version": app_row["rules_version"]}
                       if step.trigger == FIXES_RULES_VERSION else {})
            fields: dict[str, Any] = dict(
                application_id=app_id, seq=seq, trigger=step.trigger, outcome=step.outcome,
                from_state=step.from_state, to_state=step.to_state, actor_id=actor_id,
                actor_role=step.role.value, actor_org=actor_org, occurred_at=step.occurred_at,
                recorded_at=recorded_at, payload=step.payload, changes=changes,
            )
            digest = chain_hash(prev_hash, event_content(**fields))
            events.append({**fields, "prev_hash": prev_hash, "hash": digest})
            prev_hash = digest
            info = STATE_INFO[step.to_state]
            if intervals and intervals[-1]["application_id"] == app_id:
                last = intervals[-1]
                last["exited_at"] = step.occurred_at
                last["calendar_days"], last["business_days"] = visit_durations(
                    last["entered_at"], step.occurred_at
                )
                last["recorded_business_days"] = recorded_business_days(last["recorded_at"],
                                                                        recorded_at)
            intervals.append({
                "application_id": app_id, "regulator": regulator.slug, "seq": seq,
                "state": info.name, "stage": info.stage.value, "clock": info.clock.value,
                "entered_at": step.occurred_at, "exited_at": None, "calendar_days": None,
                "business_days": None, "recorded_at": recorded_at, "recorded_business_days": None,
            })
        heads.append({"id": app_id, "head_hash": prev_hash})
        stays = (Stay(i["seq"], i["stage"], i["clock"], i["entered_at"], i["exited_at"],
                      i["calendar_days"], i["business_days"], i["recorded_business_days"])
                 for i in intervals[first:])
        visits += [{"application_id": app_id, "regulator": regulator.slug, **vars(v)}
                   for v in fold_visits(stays)]
    # render_nulls: rows whose None fields differ still go in one executemany, not one by one.
    for model, rows in ((Event, events), (StageInterval, intervals), (StageVisit, visits),
                        (Deadline, [_fields(d) for d in deadlines])):
        if rows:
            session.execute(insert(model).execution_options(render_nulls=True), rows)
    session.execute(update(Application), heads)
