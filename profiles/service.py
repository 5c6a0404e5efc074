"""Reading and replacing an applicant's own profile."""

from sqlalchemy.orm import Session

from accounts.actor import Actor
from fairtrack.columns import utcnow
from fairtrack.errors import Forbidden
from law.road import Role
from profiles.models import ApplicantProfile
from profiles.schemas import ProfileData, ProfileView


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


def put_profile(session: Session, actor: Actor, data: ProfileData) -> ProfileView:
    """Replace the caller's profile (casefile.profiles checks the language test it declares)."""
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
    return _view(profile)
