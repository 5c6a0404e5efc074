"""Every regulator's route, read from its data file, walks to a licence and to a final refusal.

Health colleges refuse only through the Registration Committee, then HPARB, then the Divisional
Court; other bodies refuse at review, then their own internal appeal, then the Divisional Court. A
regulator whose file names a third-party assessor starts there. The walks use the domain functions
(the HTTP layer is covered elsewhere) so that all 42 regulators run in seconds on each database.
"""

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from sqlmodel import col

from accounts.actor import Actor
from accounts.models import User
from casefile.applications import apply_event, create_application
from fairtrack.columns import utcnow
from fairtrack.database import transaction
from fairtrack.errors import InvalidTrigger
from law.calendar import local_date
from law.road import Role, Stage
from regulators.files import Regulator, Sector
from regulators.registry import DIVISIONAL_COURT, Registry
from regulators.route import route_of
from workflow.models import Application, StageInterval
from workflow.schemas import ApplicationCreate, EventRequest
from workflow.verify import verify_all

REASONS = "The applicant has not shown that the registration requirements are met."


class Cast:
    """One account per organization on the road, made directly: nobody here logs in."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.actors: dict[tuple[Role, str | None], Actor] = {}

    def __call__(self, role: Role, organization: str | None = None) -> Actor:
        key = (role, organization)
        if key not in self.actors:
            user = User(email=f"{role.value}.{organization or 'me'}@example.test",
                        password_hash="!", role=role.value, organization=organization)
            self.session.add(user)
            self.session.flush()
            assert user.id is not None
            self.actors[key] = Actor(user_id=user.id, role=role, organization=organization)
        return self.actors[key]


class Walker:
    """Moves one application along, each step a minute after the previous one."""

    def __init__(self, session: Session, registry: Registry, cast: Cast, regulator: Regulator):
        self.session, self.registry, self.cast, self.regulator = session, registry, cast, regulator
        self.clock = utcnow() - timedelta(days=30)
        applicant = cast(Role.applicant)
        licence_class = regulator.professions[0].licence_classes[0].code
        assessor = regulator.assessors[0] if regulator.third_party_assessment else None
        self.application = create_application(
            session, applicant, registry,
            ApplicationCreate(regulator=regulator.slug, licence_class=licence_class,
                              assessor=assessor),
            now=self.clock,
        )

    def step(self, role: Role, org: str | None, trigger: str, **fields: Any) -> str:
        self.clock += timedelta(minutes=1)
        # The walk happens a month ago, recorded now: back-dating needs its reason.
        request = EventRequest(trigger=trigger, expected_version=self.application.version,
                               occurred_at=self.clock, backdated_because="a walk in the past",
                               **fields)
        self.application, _ = apply_event(
            self.session, self.cast(role, org), self.registry, self.application.reference, request
        )
        return self.application.state

    def to_review(self) -> None:
        """Submit, pass the third-party assessment where the file names one, reach the registrar."""
        reg = self.regulator
        if reg.third_party_assessment:
            # Submitted to the assessor, whose clock runs until they start.
            assert self.step(Role.applicant, None, "submit") == "assessment_queued"
            self.step(Role.assessor, self.application.assessor, "start_assessment")
            assert self.step(Role.assessor, self.application.assessor,
                             "complete_assessment") == "submitted"
        else:
            assert self.step(Role.applicant, None, "submit") == "submitted"
        assert self.step(Role.regulator, reg.slug, "begin_review") == "under_review"

    def stages_visited(self) -> list[str]:
        rows = self.session.scalars(
            select(col(StageInterval.stage))
            .where(col(StageInterval.application_id) == self.application.id)
            .order_by(col(StageInterval.seq))
        )
        visited: list[str] = []
        for stage in rows:
            if stage not in visited:
                visited.append(stage)
        return visited


def _walk_to_licence(walker: Walker) -> None:
    walker.to_review()
    assert walker.step(Role.regulator, walker.regulator.slug, "issue_decision",
                       outcome="registered") == "licensed"


def _walk_to_final_refusal(walker: Walker) -> None:
    reg = walker.regulator
    walker.to_review()
    if reg.sector is Sector.health:
        # The registrar cannot refuse alone (RHPA Code): the refusal goes through the committee.
        with pytest.raises(InvalidTrigger):
            walker.step(Role.regulator, reg.slug, "issue_decision", outcome="refused",
                        reasons=REASONS)
        assert walker.step(Role.regulator, reg.slug, "refer_to_committee",
                           reasons=REASONS) == "referred_to_committee"
        assert walker.step(Role.regulator, reg.slug, "begin_review") == "committee_review"
    assert walker.step(Role.regulator, reg.slug, "issue_decision", outcome="refused",
                       reasons=REASONS) == "refused_appealable"
    asks = {"review_or_hearing": "hearing"} if reg.sector is Sector.health else {}
    assert walker.step(Role.applicant, None, "request_appeal", **asks) == "appeal_filed"
    appeal_body = reg.appeal_body.slug
    assert walker.step(Role.tribunal, appeal_body, "open_hearing") == "appeal_hearing"
    assert walker.step(Role.tribunal, appeal_body, "decide_appeal", outcome="dismissed",
                       reasons=REASONS) == "appeal_dismissed"
    served = local_date(walker.clock + timedelta(minutes=1))
    assert walker.step(Role.applicant, None, "file_court_appeal", served_on=served) == "court_filed"
    assert walker.step(Role.tribunal, DIVISIONAL_COURT, "open_hearing") == "court_hearing"
    assert walker.step(Role.tribunal, DIVISIONAL_COURT, "decide_court", outcome="dismissed",
                       reasons=REASONS) == "refused"


def test_every_regulator_walks_to_a_licence_and_to_a_refusal_through_every_appeal_level(
    sessions: sessionmaker[Session], registry: Registry
) -> None:
    assert len(registry.regulators) == 42
    with transaction(sessions) as session:
        cast = Cast(session)
        for regulator in registry.regulators.values():
            route = [stop.stage.value for stop in route_of(regulator, registry)]
            assessment = [Stage.assessment.value] if regulator.third_party_assessment else []
            licensed = Walker(session, registry, cast, regulator)
            _walk_to_licence(licensed)
            assert licensed.stages_visited() == [
                Stage.intake.value, *assessment, Stage.regulator_review.value, Stage.closed.value,
            ], regulator.slug

            refused = Walker(session, registry, cast, regulator)
            _walk_to_final_refusal(refused)
            committee = [Stage.internal_committee.value] if regulator.sector is Sector.health else []
            expected = [Stage.intake.value, *assessment, Stage.regulator_review.value, *committee,
                        Stage.decision.value, Stage.appeal_board.value,
                        Stage.divisional_court.value, Stage.closed.value]
            assert refused.stages_visited() == expected, regulator.slug
            # Every stage the refusal passed through is a stop on the route the API shows.
            assert set(expected) - {"intake", "decision", "closed"} <= set(route), regulator.slug
    with sessions() as session:
        count = session.scalar(select(func.count()).select_from(Application))
        assert count == 2 * len(registry.regulators)
        findings = [finding for _, finding in verify_all(session) if finding is not None]
    assert findings == []
