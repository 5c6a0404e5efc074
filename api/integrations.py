"""Integrations: bulk imports of events (CSV or JSON Lines) and webhook subscriptions, for the
organizations on the road, each for its own applications (docs/integrations.md)."""

from typing import Annotated

from fastapi import APIRouter, Body, Header, Path, Query, Response

from api.auth import Integrator
from api.deps import RegistryDep, SessionDep
from api.errors import responses
from casefile import webhooks
from casefile.imports import ImportReport, import_events, import_job
from fairtrack.errors import Forbidden, InvalidRequest, NotAuthenticated, NotFound
from integrations.files import FileFormat

router = APIRouter(tags=["integrations"])
AUTH = (NotAuthenticated, Forbidden)
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
MEDIA_TYPES = {
    "text/csv": FileFormat.csv,
    "application/x-ndjson": FileFormat.jsonl,
    "application/jsonl": FileFormat.jsonl,
    "application/x-jsonlines": FileFormat.jsonl,
}


@router.post(
    "/imports", status_code=201, response_model=ImportReport,
    responses=responses(*AUTH, InvalidRequest),
    openapi_extra={"requestBody": {"required": True, "content": {
        media: {"schema": {"type": "string"}} for media in MEDIA_TYPES}}},
)
def import_file(
    actor: Integrator,
    session: SessionDep,
    registry: RegistryDep,
    content: Annotated[bytes, Body(media_type="text/csv")] = b"",
    content_type: Annotated[str, Header(alias="Content-Type")] = "",
    filename: Annotated[str, Query(max_length=255)] = "upload",
) -> ImportReport:
    """Apply a file of events (text/csv or application/x-ndjson), each row once, in one job: the
    answer is its report (rows applied, already applied, refused with line and reason)."""
    media = content_type.split(";")[0].strip().lower()
    file_format = MEDIA_TYPES.get(media)
    if file_format is None:
        raise InvalidRequest(f"send the file as one of {sorted(MEDIA_TYPES)}", field="Content-Type")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidRequest(f"the file is not UTF-8: {exc}") from exc
    if not text.strip():
        raise InvalidRequest("the file is empty")
    return import_events(session, actor, registry, file_format, text.splitlines(), filename)


@router.get("/imports/{job_id}", response_model=ImportReport, responses=responses(*AUTH, NotFound))
def read_import(job_id: Id, actor: Integrator, session: SessionDep) -> ImportReport:
    return import_job(session, actor, job_id)


@router.post("/webhooks", status_code=201, response_model=webhooks.SubscriptionView,
             responses=responses(*AUTH, InvalidRequest))
def subscribe(data: webhooks.SubscriptionCreate, actor: Integrator,
              session: SessionDep) -> webhooks.SubscriptionView:
    """Be told of every event on your organization's applications (or of the triggers given).
    The answer holds the signing secret, once."""
    return webhooks.subscribe(session, actor, data)


@router.get("/webhooks", response_model=list[webhooks.SubscriptionView], responses=responses(*AUTH))
def list_subscriptions(actor: Integrator, session: SessionDep) -> list[webhooks.SubscriptionView]:
    return webhooks.subscriptions(session, actor)


@router.delete("/webhooks/{subscription_id}", status_code=204, responses=responses(*AUTH, NotFound))
def unsubscribe(subscription_id: Id, actor: Integrator, session: SessionDep) -> Response:
    """Delete one of your organization's subscriptions: nothing more is delivered to it, and its
    deliveries still to send are cancelled (never sent); its secret is erased. Another
    organization's answers 404."""
    webhooks.unsubscribe(session, actor, subscription_id)
    return Response(status_code=204)


@router.get("/webhooks/{subscription_id}/deliveries", response_model=list[webhooks.DeliveryView],
            responses=responses(*AUTH, NotFound))
def list_deliveries(
    subscription_id: Id, actor: Integrator, session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 50,
) -> list[webhooks.DeliveryView]:
    """The latest deliveries, with every attempt's status."""
    return webhooks.deliveries(session, actor, subscription_id, limit)


@router.post("/webhooks/deliveries/{delivery_id}/replay", response_model=webhooks.DeliveryView,
             responses=responses(*AUTH, NotFound))
def replay_delivery(delivery_id: Id, actor: Integrator, session: SessionDep) -> webhooks.DeliveryView:
    """Send a delivery again (the worker sends it at once); its earlier attempts are kept."""
    return webhooks.replay_delivery(session, actor, delivery_id)
