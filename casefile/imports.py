"""Bulk import: an organization's own case system sends a file of events; each row is applied
through the same function as the API's event route (`casefile.applications.step`, after the same
lock and scope), in its own unit of work, so a row is applied whole or not at all. The row's key
(given, or the hash of the organization and the row) is stored in that same transaction: importing
the file again applies nothing twice. The job keeps the report: rows applied, already applied, and
refused with their line and reason."""

from collections.abc import Callable, Iterable
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlmodel import col

from accounts.actor import Actor
from casefile.applications import step
from fairtrack.columns import utcnow
from fairtrack.database import unit_of_work
from fairtrack.errors import DomainError, Forbidden, NotFound
from integrations.files import FileFormat, ImportRow, read_rows, row_key
from integrations.models import ImportedRow, ImportJob
from law.road import Role
from regulators.registry import Registry
from workflow.schemas import EventRequest
from workflow.service import load_application

# Who imports: the organizations on the road, their staff or their systems' API keys.
IMPORTERS = frozenset({Role.regulator, Role.assessor, Role.tribunal})
RUNNING, DONE = "running", "done"
MAX_REASON = 1000


class Refusal(BaseModel):
    line: int
    reason: str


class ImportReport(BaseModel):
    job: int
    filename: str
    format: str
    status: str
    rows: int
    applied: int
    already_applied: int
    refused: int
    refusals: list[Refusal]


def report_of(job: ImportJob) -> ImportReport:
    assert job.id is not None
    return ImportReport(
        job=job.id, filename=job.filename, format=job.format, status=job.status, rows=job.rows,
        applied=job.applied, already_applied=job.already_applied, refused=job.refused,
        refusals=[Refusal(**r) for r in job.refusals],
    )


def _reason(exc: ValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error["loc"]) or "row"
        parts.append(f"{where}: {error['msg']}")
    return "; ".join(parts)


def _already(session: Session, organization: str, key: str) -> bool:
    return session.scalar(select(col(ImportedRow.id)).where(
        col(ImportedRow.organization) == organization, col(ImportedRow.key) == key)) is not None


def _apply_row(
    session: Session, actor: Actor, registry: Registry, organization: str, job_id: int,
    row: ImportRow, key: str,
) -> bool:
    """Apply one row in its own unit of work; False if its key was applied before."""
    with unit_of_work(session):
        # Lock first (as the API's event route does), so that the same row imported twice at once
        # waits here and then finds the other's key.
        application = load_application(session, actor, registry, row.reference, lock=True)
        if _already(session, organization, key):
            return False
        fields: dict[str, Any] = row.event_fields()
        fields.setdefault("expected_version", application.version)
        request = EventRequest.model_validate(fields)
        application, event = step(session, actor, registry, application, request, None)
        assert application.id is not None
        session.add(ImportedRow(organization=organization, key=key, job_id=job_id, line=row.line,
                                application_id=application.id, seq=event.seq))
    return True


def import_events(
    session: Session,
    actor: Actor,
    registry: Registry,
    file_format: FileFormat,
    lines: Iterable[str],
    filename: str,
    progress: Callable[[int], None] | None = None,
) -> ImportReport:
    """Run one import job over the file's lines; the report is stored with the job."""
    if actor.role not in IMPORTERS or actor.organization is None:
        raise Forbidden("imports are for regulators, assessors and tribunals (their staff or "
                        "their systems' API keys)")
    organization = actor.organization
    with unit_of_work(session):
        job = ImportJob(organization=organization, actor_id=actor.user_id, filename=filename[:255],
                        format=file_format.value, status=RUNNING, started_at=utcnow())
        session.add(job)
        session.flush()
        assert job.id is not None
        job_id = job.id
    rows = applied = already = 0
    refusals: list[dict[str, Any]] = []
    for row in read_rows(file_format, lines):
        rows += 1
        reason: str | None = row.problem
        if reason is None:
            key = row_key(organization, row)
            try:
                if _apply_row(session, actor, registry, organization, job_id, row, key):
                    applied += 1
                else:
                    already += 1
            except ValidationError as exc:
                reason = _reason(exc)
            except NotFound:
                reason = f"no application '{row.reference[:40]}' of yours"
            except DomainError as exc:
                reason = f"{exc.code}: {exc.message}"
            except IntegrityError:
                # the same key, applied at this moment by another import of the same file
                if not _already(session, organization, key):
                    raise
                already += 1
        if reason is not None:
            refusals.append({"line": row.line, "reason": reason[:MAX_REASON]})
        if progress is not None:
            progress(1)
    with unit_of_work(session):
        finished = session.get(ImportJob, job_id)
        assert finished is not None
        job = finished
        job.status, job.finished_at = DONE, utcnow()
        job.rows, job.applied, job.already_applied = rows, applied, already
        job.refused, job.refusals = len(refusals), refusals
    return report_of(job)


def import_job(session: Session, actor: Actor, job_id: int) -> ImportReport:
    """A job's report, for the organization that ran it."""
    job = session.get(ImportJob, job_id)
    if job is None or actor.organization is None or job.organization != actor.organization:
        raise NotFound(f"no import job {job_id} of yours")
    return report_of(job)
