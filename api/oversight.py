"""Fairness oversight: flags and their triage, timeliness and outcomes. Reads only: oversight never
changes an application's state (SPEC 1)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Path, Query

from api.auth import FiguresReader, OversightActor
from api.deps import RegistryDep, SessionDep
from api.errors import responses
from casefile.flags import triage as triage_unit
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated, NotFound
from fairtrack.pagination import MAX_ID, MAX_PAGE
from flags.schemas import (
    FlagActionView,
    FlagDetail,
    FlagKind,
    FlagPage,
    FlagStatus,
    FlagTriage,
    FlagView,
    Severity,
)
from flags.service import FlagStateConflict, flag_with_history, list_flags
from oversight.outcomes import DIMENSIONS, outcomes
from oversight.schemas import Outcomes, Timeliness
from oversight.sql import PERIODS
from oversight.timeliness import timeliness

router = APIRouter(prefix="/oversight", tags=["oversight"])
AUTH = (NotAuthenticated, Forbidden)




def _view(flag: object, reference: str) -> FlagView:
    return FlagView.model_validate({**vars(flag), "application": reference})


@router.get("/flags", response_model=FlagPage, responses=responses(*AUTH, InvalidRequest, NotFound))
def read_flags(
    actor: FiguresReader,
    session: SessionDep,
    kind: FlagKind | None = None,
    severity: Severity | None = None,
    status: FlagStatus | None = None,
    regulator: Annotated[str | None, Query(max_length=80)] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> FlagPage:
    rows, next_cursor = list_flags(
        session, actor, kind=kind.value if kind else None, severity=severity.value if severity else None,
        status=status.value if status else None, regulator=regulator, limit=limit, cursor=cursor,
    )
    return FlagPage(
        items=[_view(flag, reference) for flag, reference in rows],
        next_cursor=next_cursor,
    )


@router.get("/flags/{flag_id}", response_model=FlagDetail,
            responses=responses(*AUTH, NotFound))
def read_flag(
    flag_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    actor: FiguresReader,
    session: SessionDep,
) -> FlagDetail:
    """One flag with its history: fairness staff any, a regulator its own (else 404)."""
    flag, reference, history = flag_with_history(session, actor, flag_id)
    return FlagDetail.model_validate({
        **vars(flag), "application": reference,
        "history": [FlagActionView.model_validate({**vars(action), "by": role or "system"})
                    for action, role in history],
    })


@router.patch(
    "/flags/{flag_id}", response_model=FlagView,
    responses=responses(*AUTH, NotFound, FlagStateConflict, InvalidRequest),
)
def triage(
    flag_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    body: FlagTriage,
    actor: OversightActor,
    session: SessionDep,
) -> FlagView:
    flag, reference = triage_unit(session, actor, flag_id, body.action.value, body.note)
    return _view(flag, reference)


@router.get("/timeliness", response_model=Timeliness, responses=responses(*AUTH, InvalidRequest))
def read_timeliness(
    actor: FiguresReader,
    session: SessionDep,
    registry: RegistryDep,
    regulator: Annotated[str | None, Query(max_length=80)] = None,
    stage: Annotated[str | None, Query(max_length=40)] = None,
    period: Annotated[str, Query(description=f"One of {list(PERIODS)}")] = "quarter",
    since: Annotated[date | None, Query(description="Ontario date; default a year before until")] = None,
    until: Annotated[date | None, Query(description="Ontario date, included; default today")] = None,
) -> Timeliness:
    return timeliness(session, actor, registry, regulator=regulator, stage=stage, unit=period,
                      since=since, until=until)


@router.get("/outcomes", response_model=Outcomes, responses=responses(*AUTH, InvalidRequest))
def read_outcomes(
    actor: FiguresReader,
    session: SessionDep,
    registry: RegistryDep,
    by: Annotated[str, Query(description=f"One of {list(DIMENSIONS)}")] = "immigration_status",
    regulator: Annotated[str | None, Query(max_length=80)] = None,
) -> Outcomes:
    return outcomes(session, actor, registry, by=by, regulator=regulator)
