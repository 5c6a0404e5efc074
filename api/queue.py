"""The work queue of a regulator's, an assessor's or a tribunal's staff: the applications that await
their organization, flagged and oldest first (the staff's queue page shows the same)."""

from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import QueueReader
from api.deps import RegistryDep, SessionDep
from api.errors import responses
from casefile.queue import AGES, QueueFilter, QueueView, queue_view, work_queue
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated
from fairtrack.pagination import MAX_PAGE

router = APIRouter(prefix="/queue", tags=["applications"])


@router.get("", response_model=QueueView,
            responses=responses(NotAuthenticated, Forbidden, InvalidRequest))
def read_queue(
    actor: QueueReader,
    session: SessionDep,
    registry: RegistryDep,
    stage: Annotated[str | None, Query(max_length=40)] = None,
    state: Annotated[str | None, Query(max_length=40)] = None,
    flagged: bool = False,
    overdue: bool = False,
    age: Annotated[int | None, Query(description=f"Days in the stage, at least: {list(AGES)}")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 25,
    cursor: Annotated[str | None, Query(max_length=60)] = None,
) -> QueueView:
    filters = QueueFilter(stage=stage, state=state, flagged=flagged, overdue=overdue, age=age)
    return queue_view(work_queue(session, actor, registry, filters, cursor, limit), actor, registry)
