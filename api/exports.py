"""CSV exports of applications, events, stage intervals and flags for a filter, streamed as they
are read (docs/exports.md describes every column). Fairness staff export any regulator's or all;
a regulator its own."""

from collections.abc import Iterator
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import StreamingResponse

from api.auth import FiguresReader
from api.deps import RegistryDep
from api.errors import responses
from fairtrack.csvstream import csv_lines
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated
from law.road import STATE_INFO
from oversight.exports import EXPORTS, Export, export, export_rows

router = APIRouter(prefix="/exports", tags=["exports"])
AUTH = (NotAuthenticated, Forbidden)
CSV: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}}, "description": "CSV (RFC 4180), UTF-8"}}


def _stream(request: Request, plan: Export) -> Iterator[str]:
    # Its own session: the rows are read while the answer is sent, after the route has returned.
    with request.app.state.sessions() as session:
        yield from csv_lines(plan.header, export_rows(session, plan))


@router.get("/{kind}.csv", response_class=StreamingResponse,
            responses={**CSV, **responses(*AUTH, InvalidRequest)})
def read_export(
    request: Request,
    kind: Annotated[str, Path(description=f"One of {list(EXPORTS)}", max_length=40)],
    actor: FiguresReader,
    registry: RegistryDep,
    regulator: Annotated[str | None, Query(max_length=80)] = None,
    since: Annotated[date | None, Query(description="Applications opened on or after")] = None,
    until: Annotated[date | None, Query(description="Applications opened on or before")] = None,
    state: Annotated[str | None, Query(max_length=40)] = None,
) -> StreamingResponse:
    if state is not None and state not in STATE_INFO:
        raise InvalidRequest(f"unknown state '{state}'", field="state")
    plan = export(actor, registry, kind, regulator=regulator, since=since, until=until, state=state)
    return StreamingResponse(
        _stream(request, plan), media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{kind}.csv"'},
    )
