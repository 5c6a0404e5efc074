"""Synthetic but realistic histories: many applications walked through the real machine, bulk-inserted.

Every history is a random walk through the same road the API enforces (cli/walks.py), hash-chained
and projected with the same functions, so `fairtrack verify` passes on demo data. Its deadlines come
from the write path's own deadline function, step by step, and the flags from the same rules, once
at the end.
"""

import random
from array import array
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.models import User
from accounts.security import hash_password
from cli.walks import Step, choose, organization, walk_history
from deadlines.models import Deadline
from deadlines.service import DeadlineDraft, Standard, standard_of
from fairtrack.bulk import chunks, next_ids, write_rows
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from flags.service import raise_flags
from law.calendar import local_date
from law.road import FIXES_RULES_VERSION, STATE_INFO, Fact, Role
from law.standards import StandardStage
from oversight.outcome_rollups import refresh as refresh_outcomes
from oversight.rollups import refresh
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

    applicants: Sequence[int]  # user ids, in the order of their addresses (applicant, applicant1...)
    staff: dict[tuple[Role, str], int] = field(default_factory=dict)


def demo_email(name: str) -> str:
    return f"{name}@{DEMO_DOMAIN}"


def _applicant_index(email: str) -> int:
    """0 for applicant@, n for applicant<n>@; -1 for any other address."""
    name = email.split("@", 1)[0]
    if name == "applicant":
        return 0
    digits = name.removeprefix("applicant")
    return int(digits) if digits != name and digits.isdigit() else -1


def _ensure_users(session: Session, registry: Registry, applicants: int) -> DemoCast:
    """Named demo accounts (see README) plus one staff account per organization, made once.

    Applicants are counted, not listed: a million of them are written from a range and read back as
    an array of ids (a few megabytes), never as a million Python rows at once."""
    # One hash shared by every demo account: seconds, not minutes, for thousands of them.
    password_hash = hash_password(DEMO_PASSWORD)
    demo = col(User.email).like(f"%@{DEMO_DOMAIN}")
    not_applicant = col(User.role) != Role.applicant.value
    orgs: list[tuple[Role, str]] = [(Role.regulator, slug) for slug in registry.regulators]
    orgs += [(Role.assessor, slug) for slug in registry.assessors]
    orgs += sorted({(Role.tribunal, r.appeal_body.slug) for r in registry.regulators.values()})
    orgs.append((Role.tribunal, DIVISIONAL_COURT))
    wanted: list[dict[str, Any]] = [
        {"email": demo_email(f"{role.value}.{org}"), "role": role.value, "organization": org}
        for role, org in orgs
    ]
    for name, role in (("oversight", Role.oversight), ("admin", Role.admin)):
        wanted.append({"email": demo_email(name), "role": role.value, "organization": None})
    staff_existing = set(session.scalars(select(col(User.email)).where(demo, not_applicant)))
    have = array("b", bytes(applicants))  # 1 where applicant<i> exists
    for (email,) in session.execute(select(col(User.email)).where(
            demo, col(User.role) == Role.applicant.value)):
        index = _applicant_index(email)
        if 0 <= index < applicants:
            have[index] = 1

    def row(email: str, role: str, organization: str | None) -> dict[str, Any]:
        return {"email": email, "role": role, "organization": organization,
                "password_hash": password_hash, "preferred_language": "en", "is_active": True,
                "created_at": utcnow()}

    users = User.__table__  # type: ignore[attr-defined]
    write_rows(session, users, [row(**w) for w in wanted if w["email"] not in staff_existing])
    missing = (row(demo_email("applicant" if i == 0 else f"applicant{i}"), Role.applicant.value,
                   None) for i in range(applicants) if not have[i])
    for batch in chunks(missing):
        write_rows(session, users, batch)
    del have
    cast = DemoCast(applicants=array("q", bytes(8 * applicants)))
    for user_id, role_name, user_org in session.execute(
        select(col(User.id), col(User.role), col(User.organization)).where(demo, not_applicant)
    ):
        cast.staff[(Role(role_name), user_org or "")] = user_id  # type: ignore[assignment]
    for user_id, email in session.execute(select(col(User.id), col(User.email)).where(
            demo, col(User.role) == Role.applicant.value)):
        index = _applicant_index(email)
        if 0 <= index < applicants:
            cast.applicants[index] = user_id  # type: ignore[index]
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
    phase: Callable[[str], None] | None = None,
) -> int:
    """Add `applications` demo applications with their histories, in one unit of work; returns how
    many were added. `progress` hears of each batch of applications written, `phase` of each step
    (accounts, histories, flags, rollups)."""
    with unit_of_work(session):
        return _generate(session, registry, applications, seed, progress, phase or (lambda _: None))


def _generate(
    session: Session,
    registry: Registry,
    applications: int,
    seed: int,
    progress: Callable[[int], None] | None,
    phase: Callable[[str], None],
) -> int:
    rng = random.Random(seed)
    now = utcnow()
    phase("accounts")
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
    phase("histories")
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
    phase("flags")
    raise_flags(session, registry, local_date(now), now=now)
    # And the timeliness and outcome rollups, as the scan keeps them.
    phase("rollups")
    refresh(session, now)
    refresh_outcomes(session, now)
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


def _ensure_profiles(session: Session, rng: random.Random, applicants: Sequence[int],
                     now: datetime) -> None:
    """A profile for each demo applicant without one, so that outcomes and flags have data."""
    profiled = select(col(ApplicantProfile.user_id))
    have = set(session.scalars(profiled.where(col(ApplicantProfile.user_id) >= min(applicants))))

    def rows() -> Iterator[dict[str, Any]]:
        for user_id in applicants:
            if user_id in have:
                continue
            status = ImmigrationStatus(choose(rng, {s.value: w for s, w in DEMO_STATUSES.items()}))
            abroad = status is ImmigrationStatus.abroad
            arrived = None if abroad else (now - timedelta(days=rng.randint(30, 3650))).date()
            yield {
                "user_id": user_id, "immigration_status": status.value,
                "country_of_education": choose(rng, DEMO_COUNTRIES),
                "started_before_arrival": True if abroad else rng.random() < 0.3,
                "arrival_date": arrived,
                "language_test": rng.choice(IRCC_LANGUAGE_TESTS) if rng.random() < 0.7 else None,
                "updated_at": now,
            }

    for batch in chunks(rows()):
        write_rows(session, ApplicantProfile.__table__, batch)  # type: ignore[attr-defined]


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


DEADLINE_FIELDS = tuple(f.name for f in fields(DeadlineDraft))
APPLICATIONS = Application.__table__  # type: ignore[attr-defined]


def _fields(draft: DeadlineDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in DEADLINE_FIELDS}


def _insert(session: Session, cast: DemoCast, plans: list[Any], now: datetime) -> None:
    ids = next_ids(session, APPLICATIONS, len(plans))
    app_rows = [
        {
            "id": app_id, "applicant_id": applicant, "regulator": regulator.slug,
            "licence_class": regulator.professions[0].licence_classes[0].code,
            "assessor": assessor, "health_route": regulator.sector is Sector.health,
            "rules_version": regulator.rules_version, "state": walk.state,
            "decided_by_committee": Fact.decided_by_committee in walk.facts,
            "version": len(steps), "head_hash": GENESIS_HASH,
            "created_at": steps[0].occurred_at, "updated_at": steps[-1].occurred_at,
        }
        for app_id, (regulator, assessor, applicant, walk, steps, _drafts) in zip(
            ids, plans, strict=True)
    ]
    events: list[dict[str, Any]] = []
    intervals: list[dict[str, Any]] = []
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
        app_row["head_hash"] = prev_hash
        stays = (Stay(i["seq"], i["stage"], i["clock"], i["entered_at"], i["exited_at"],
                      i["calendar_days"], i["business_days"], i["recorded_business_days"])
                 for i in intervals[first:])
        visits += [{"application_id": app_id, "regulator": regulator.slug, **vars(v)}
                   for v in fold_visits(stays)]
    # COPY on PostgreSQL, executemany elsewhere: the rows the write path would have written.
    for model, rows in ((Application, app_rows), (Event, events), (StageInterval, intervals),
                        (StageVisit, visits), (Deadline, [_fields(d) for d in deadlines])):
        write_rows(session, model.__table__, rows)  # type: ignore[union-attr]
