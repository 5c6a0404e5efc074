"""The admin API for regulators' and assessors' system keys: create (shown once), list, revoke."""

from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from accounts.keys import list_keys as list_keys_of
from accounts.models import ApiKey
from api.auth import AccountAdmin
from api.deps import RegistryDep, SessionDep
from api.errors import responses
from casefile import accounts as units
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated, NotFound
from fairtrack.pagination import MAX_PAGE, Page
from law.road import Role

router = APIRouter(prefix="/admin/keys", tags=["admin"])
AUTH = (NotAuthenticated, Forbidden)
KeyId = Annotated[int, Path(ge=1, le=2**31 - 1)]


class KeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1, max_length=80, examples=["cno case system"])
    role: Literal["regulator", "assessor"]
    organization: str = Field(min_length=1, max_length=80, examples=["cno"])


class KeyView(BaseModel):
    id: int
    name: str
    prefix: str = Field(description="The key's public part, ft_<prefix>_..., to tell keys apart.")
    role: str
    organization: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


class NewKey(KeyView):
    key: str = Field(description="The full key. Shown this once; FairTrack keeps only its hash.")


class KeyList(Page[KeyView]):
    pass


def key_view(key: ApiKey) -> KeyView:
    assert key.id is not None
    return KeyView(
        id=key.id, name=key.name, prefix=key.prefix, role=key.role,
        organization=key.organization, created_at=key.created_at,
        last_used_at=key.last_used_at, revoked_at=key.revoked_at,
    )


@router.post("", status_code=201, response_model=NewKey, responses=responses(*AUTH, InvalidRequest))
def create_key(data: KeyCreate, actor: AccountAdmin, session: SessionDep, registry: RegistryDep) -> NewKey:
    key, full = units.create_key(session, registry, name=data.name, role=Role(data.role),
                                 organization=data.organization, created_by=actor.user_id)
    return NewKey(**key_view(key).model_dump(), key=full)


@router.get("", response_model=KeyList, responses=responses(*AUTH, InvalidRequest))
def list_keys(
    actor: AccountAdmin,
    session: SessionDep,
    organization: Annotated[str | None, Query(min_length=1, max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = MAX_PAGE,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> KeyList:
    rows, next_cursor = list_keys_of(session, organization, limit, cursor)
    return KeyList(items=[key_view(k) for k in rows], next_cursor=next_cursor)


@router.post("/{key_id}/revoke", response_model=KeyView, responses=responses(*AUTH, NotFound))
def revoke_key(key_id: KeyId, actor: AccountAdmin, session: SessionDep) -> KeyView:
    return key_view(units.revoke_key(session, key_id))
