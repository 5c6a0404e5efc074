"""Applications and their events: open, list, read, fire a trigger, read the timeline."""

from typing import Annotated

from fastapi import APIRouter, Header, Path, Query
from fastapi.responses import JSONResponse

from api.auth import ApplicantActor, ApplicationReader, WorkflowActor
from api.deps import RegistryDep, SessionDep
from api.errors import responses
from casefile import applications as units
from casefile.detail import ApplicationDetail, application_detail
from fairtrack.errors import (
    DeadlineConflict,
    Forbidden,
    IdempotencyKeyReused,
    InvalidRequest,
    InvalidTrigger,
    NotAuthenticated,
    NotFound,
    VersionConflict,
)
from fairtrack.pagination import MAX_PAGE
from law.road import STATE_INFO, Stage
from workflow.repository import ApplicationFilter, list_applications, timeline
from workflow.schemas import (
    ApplicationCreate,
    ApplicationPage,
    ApplicationView,
    EventRequest,
    TimelineView,
)
from workflow.views import application_view, event_view, interval_view

router = APIRouter(prefix="/applications", tags=["applications"])

Reference = Annotated[
    str, Path(min_length=1, max_length=40, description="Public reference, e.g. FT-2026-000123")
]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        min_length=1,
        max_length=255,
        description="Send the same key to retry safely: the first answer is returned again.",
    ),
]
AUTH = (NotAuthenticated, Forbidden)


@router.post(
    "",
    status_code=201,
    response_model=ApplicationView,
    responses=responses(*AUTH, InvalidRequest, IdempotencyKeyReused, VersionConflict),
)
def open_application(
    data: ApplicationCreate,
    actor: ApplicantActor,
    session: SessionDep,
    registry: RegistryDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    status, body = units.open_application(session, actor, registry, data, idempotency_key)
    return JSONResponse(body, status_code=status)


@router.get("", response_model=ApplicationPage, responses=responses(*AUTH, InvalidRequest))
def list_my_applications(
    actor: ApplicationReader,
    session: SessionDep,
    registry: RegistryDep,
    state: Annotated[str | None, Query(max_length=40, description="Filter by state")] = None,
    stage: Annotated[Stage | None, Query(description="Filter by stage")] = None,
    regulator: Annotated[str | None, Query(max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 20,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> ApplicationPage:
    if state is not None and state not in STATE_INFO:
        raise InvalidRequest(f"unknown state '{state}'", field="state", known=list(STATE_INFO))
    filters = ApplicationFilter(state=state, stage=stage, regulator=regulator)
    rows, next_cursor = list_applications(session, actor, registry, filters, limit, cursor)
    return ApplicationPage(
        items=[application_view(row, actor, registry) for row in rows], next_cursor=next_cursor
    )


@router.get("/{reference}", response_model=ApplicationDetail, responses=responses(*AUTH, NotFound))
def read_application(
    reference: Reference, actor: ApplicationReader, session: SessionDep, registry: RegistryDep
) -> ApplicationDetail:
    return application_detail(session, actor, registry, reference)


@router.post(
    "/{reference}/events",
    status_code=201,
    response_model=units.EventResult,
    responses=responses(
        *AUTH, NotFound, InvalidTrigger, VersionConflict, DeadlineConflict, InvalidRequest,
        IdempotencyKeyReused,
    ),
)
def record_event(
    reference: Reference,
    request: EventRequest,
    actor: WorkflowActor,
    session: SessionDep,
    registry: RegistryDep,
    idempotency_key: IdempotencyKey = None,
) -> JSONResponse:
    status, body = units.record_event(session, actor, registry, reference, request, idempotency_key)
    return JSONResponse(body, status_code=status)


@router.get(
    "/{reference}/timeline", response_model=TimelineView, responses=responses(*AUTH, NotFound)
)
def read_timeline(
    reference: Reference, actor: ApplicationReader, session: SessionDep, registry: RegistryDep
) -> TimelineView:
    application, events, intervals = timeline(session, actor, registry, reference)
    return TimelineView(
        application=application_view(application, actor, registry),
        events=[event_view(e) for e in events],
        intervals=[interval_view(i) for i in intervals],
    )
