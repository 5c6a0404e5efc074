"""Reading and replacing an applicant's own profile; a new language test is checked at once."""

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.errors import Forbidden
from flags.rules import language_test
from flags.service import store_findings
from profiles.models import ApplicantProfile
from profiles.schemas import ProfileData, ProfileView
from regulators.registry import Registry
from workflow.calendar import local_date
from workflow.models import Application
from workflow.road import CLOSED_STATES, Role


def _owner(actor: Actor) -> int:
    if actor.role is not Role.applicant or actor.user_id is None:
        raise Forbidden("a profile belongs to an applicant")
    return actor.user_id


def _view(profile: ApplicantProfile | None) -> ProfileView:
    if profile is None:
        return ProfileView()
    return ProfileView.model_validate(profile, from_attributes=True)


def get_profile(session: Session, actor: Actor) -> ProfileView:
    return _view(session.get(ApplicantProfile, _owner(actor)))


def put_profile(session: Session, actor: Actor, registry: Registry, data: ProfileData) -> ProfileView:
    user_id = _owner(actor)
    profile = session.get(ApplicantProfile, user_id, with_for_update=True)
    now = utcnow()
    if profile is None:
        profile = ApplicantProfile(user_id=user_id, updated_at=now)
        session.add(profile)
    for name, value in data.model_dump().items():
        setattr(profile, name, value)
    profile.updated_at = now
    session.flush()
    open_ids = session.scalars(
        select(col(Application.id)).where(
            col(Application.applicant_id) == user_id, col(Application.state).not_in(CLOSED_STATES)
        )
    )
    today = local_date(now)
    for app_id in open_ids.all():
        store_findings(session, language_test(session, registry, today, app_id), now)
    return _view(profile)
