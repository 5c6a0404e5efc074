"""The applicant's own profile: read it, replace it (validated)."""

from fastapi import APIRouter

from api.auth import ApplicantActor
from api.deps import RegistryDep, SessionDep
from api.errors import responses
from casefile.profiles import replace_profile as replace
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated
from profiles.schemas import ProfileData, ProfileView
from profiles.service import get_profile

router = APIRouter(prefix="/me", tags=["profile"])
AUTH = (NotAuthenticated, Forbidden)


@router.get("/profile", response_model=ProfileView, responses=responses(*AUTH))
def read_profile(actor: ApplicantActor, session: SessionDep) -> ProfileView:
    return get_profile(session, actor)


@router.put("/profile", response_model=ProfileView, responses=responses(*AUTH, InvalidRequest))
def replace_profile(
    data: ProfileData, actor: ApplicantActor, session: SessionDep, registry: RegistryDep
) -> ProfileView:
    return replace(session, actor, registry, data)
