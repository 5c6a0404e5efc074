"""The applicant's own profile: read it, replace it (validated)."""

from fastapi import APIRouter

from api.auth import ApplicantActor
from api.deps import ReaderDep, RegistryDep, WriterDep
from api.errors import responses
from fairtrack.database import transaction
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated
from profiles.schemas import ProfileData, ProfileView
from profiles.service import get_profile, put_profile

router = APIRouter(prefix="/me", tags=["profile"])
AUTH = (NotAuthenticated, Forbidden)


@router.get("/profile", response_model=ProfileView, responses=responses(*AUTH))
def read_profile(actor: ApplicantActor, session: ReaderDep) -> ProfileView:
    return get_profile(session, actor)


@router.put("/profile", response_model=ProfileView, responses=responses(*AUTH, InvalidRequest))
def replace_profile(
    data: ProfileData, actor: ApplicantActor, writer: WriterDep, registry: RegistryDep
) -> ProfileView:
    with transaction(writer) as session:
        return put_profile(session, actor, registry, data)
