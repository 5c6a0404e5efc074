"""The pages of regulators', assessors' and tribunals' staff: the work queue (and its CSV), a file as
staff see it, and the steps they may take on it, each with a check step and a confirmation that
says what was recorded and what the applicant is told.

What a person may see and do is the policy's (workflow.policy: `awaiting`, `visible_to`,
`events_for`, `may_fire`), asked through the same casefile functions as the JSON API.
"""

import secrets
from collections.abc import Iterator
from pathlib import Path as FilePath
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.csv_export import csv_response
from api.deps import RegistryDep, SessionDep
from api.pages.application_view import (
    StepForm,
    application_facts,
    application_page_context,
    next_state,
    step_form,
)
from api.pages.forms import form_text
from api.pages.rendering import CheckedStaff, StaffVisitor, Visitor
from api.pages.steps import SENT_BY, StepAnswers, refusal_beside_field
from casefile import applications as units
from casefile.detail import ApplicationFile, application_file
from casefile.queue import AGES, QueueFilter, work_queue
from fairtrack.columns import utcnow
from fairtrack.errors import (
    DeadlineConflict,
    DomainError,
    InvalidRequest,
    InvalidTrigger,
    NotFound,
    VersionConflict,
)
from flags.service import flags_of_application
from i18n import msg
from law.calendar import local_date
from law.road import CLOSED_STATES, REQUIREMENT_CODES, STATE_INFO, TRIGGER_ROLES, Stage
from law.windows import WINDOW_CODES
from regulators.registry import Registry
from workflow.policy import AWAITS

router = APIRouter(include_in_schema=False)
Reference = Annotated[str, Path(min_length=1, max_length=40)]
StepName = Annotated[str, Path(min_length=1, max_length=40)]
Text = Annotated[str, Form(max_length=20_000)]
Short = Annotated[str, Query(max_length=40)]
QUEUE_FILTERS = frozenset({"stage", "state", "flagged", "overdue", "age", "cursor"})


DATA_DICTIONARY = FilePath(__file__).resolve().parents[2] / "docs" / "data-dictionary.md"


@router.get("/data-dictionary")
def data_dictionary() -> Response:
    """What each column of the pages' CSV exports means (docs/data-dictionary.md), as written."""
    return Response(DATA_DICTIONARY.read_text(encoding="utf-8"),
                    media_type="text/markdown; charset=utf-8")


def refuse_unknown(request: Request, known: frozenset[str]) -> None:
    """A filter a page does not know is refused, not ignored (the list would not be what was asked)."""
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        raise InvalidRequest(msg("unknown filter '{name}'; the filters are: {known}",
                                 name=unknown[0], known=", ".join(sorted(known))),
                             field=unknown[0])


def _crumbs(visitor: Visitor, *more: tuple[str, str]) -> list[tuple[str, str]]:
    t = visitor.t
    return [(t.gettext("Home"), "/"), (t.gettext("Work queue"), "/staff/queue"), *more]


def _flag(value: str, name: str) -> bool:
    if value not in ("", "1"):
        raise InvalidRequest(msg("{name} is 1 or left out", name=name), field=name)
    return value == "1"


def queue_filter(request: Request, stage: str, state: str, flagged: str, overdue: str,
                 age: str) -> QueueFilter:
    refuse_unknown(request, QUEUE_FILTERS)
    if age and not age.isdigit():
        raise InvalidRequest(msg("age is one of {ages}", ages=", ".join(map(str, AGES))), field="age")
    return QueueFilter(stage=stage or None, state=state or None, flagged=_flag(flagged, "flagged"),
                       overdue=_flag(overdue, "overdue"), age=int(age) if age else None)


@router.get("/staff/queue", response_class=HTMLResponse)
def queue_page(
    request: Request, visitor: StaffVisitor, session: SessionDep, registry: RegistryDep,
    stage: Short = "", state: Short = "", flagged: Short = "", overdue: Short = "", age: Short = "",
    cursor: Annotated[str | None, Query(max_length=60)] = None,
) -> Response:
    filters = queue_filter(request, stage, state, flagged, overdue, age)
    queue = work_queue(session, visitor.actor, registry, filters, cursor)
    states = sorted(AWAITS.get(visitor.actor.role, frozenset()),
                    key=lambda s: list(STATE_INFO).index(s))
    query = {k: v for k, v in request.query_params.items() if k != "cursor"}
    return visitor.render(
        "pages/staff_queue.html", queue=queue, filters=filters, states=states,
        stages=[s.value for s in Stage if any(STATE_INFO[x].stage is s for x in states)],
        ages=AGES, query=query, organization=_organization(visitor, registry),
        today=local_date(utcnow()),
        breadcrumbs=[(visitor.t.gettext("Home"), "/")],
    )


def _organization(visitor: Visitor, registry: Registry) -> str:
    slug = visitor.actor.organization or ""
    body = registry.regulators.get(slug) or registry.assessors.get(slug)
    if body is not None:
        return visitor.t.names(body.name)
    for regulator in registry.regulators.values():
        if regulator.appeal_body.slug == slug:
            return visitor.t.names(regulator.appeal_body.name)
    return slug


@router.get("/staff/queue.csv")
def queue_csv(
    request: Request, visitor: StaffVisitor, session: SessionDep, registry: RegistryDep,
    stage: Short = "", state: Short = "", flagged: Short = "", overdue: Short = "", age: Short = "",
) -> Response:
    """The whole queue with the filters applied, a page of the query at a time (constant memory)."""
    filters = queue_filter(request, stage, state, flagged, overdue, age)
    actor = visitor.actor

    def rows() -> Iterator[tuple[object, ...]]:
        cursor = None
        while True:
            queue = work_queue(session, actor, registry, filters, cursor, limit=100)
            for row in queue.rows:
                a = row.application
                yield (a.reference, a.regulator, a.licence_class, a.state,
                       STATE_INFO[a.state].stage.value, int(row.flagged),
                       row.stage_since.date().isoformat(), row.days_in_stage,
                       row.standard.days if row.standard else None,
                       row.standard.counting if row.standard else None,
                       row.standard.due_on.isoformat() if row.standard else None,
                       " ".join(f"{w.code}:{w.due_on.isoformat()}" for w in row.windows))
            if queue.next_cursor is None:
                return
            cursor = queue.next_cursor

    header = ("reference", "regulator", "licence_class", "state", "stage", "open_flag",
              "stage_since", "business_days_in_stage", "standard_days", "standard_counting",
              "standard_due_on", "open_windows")
    return visitor.finish(csv_response("work-queue.csv", header, rows()))


def _file(visitor: Visitor, session: SessionDep, registry: Registry, reference: str) -> ApplicationFile:
    return application_file(session, visitor.actor, registry, reference)


def _page_context(visitor: Visitor, session: SessionDep, registry: Registry,
                  file: ApplicationFile) -> dict[str, Any]:
    context = application_page_context(file, registry, visitor.t, staff=True)
    detail = file.detail
    context["staff_steps"] = [a.trigger for a in detail.allowed_triggers
                              if TRIGGER_ROLES.get(a.trigger) is visitor.actor.role]
    context["flags"] = flags_of_application(session, visitor.actor, detail.reference)
    context["documents"] = [(entry.what, document) for entry in context["timeline"]
                            for document in entry.documents]
    return context


@router.get("/staff/applications/{reference}", response_class=HTMLResponse)
def staff_application(
    visitor: StaffVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
) -> Response:
    file = _file(visitor, session, registry, reference)
    return visitor.render("pages/staff_application.html", breadcrumbs=_crumbs(visitor),
                          **_page_context(visitor, session, registry, file))


def _staff_step(file: ApplicationFile, visitor: Visitor, trigger: str) -> None:
    detail = file.detail
    if TRIGGER_ROLES.get(trigger) is not visitor.actor.role or trigger not in [
            a.trigger for a in detail.allowed_triggers]:
        raise InvalidTrigger(msg("'{trigger}' is not a step you can take on {reference} now",
                                 trigger=trigger, reference=detail.reference))


def _step_page(
    visitor: Visitor, session: SessionDep, registry: Registry, reference: str, trigger: str,
    template: str, answers: StepAnswers, status: int = 200, **context: object,
) -> Response:
    file = _file(visitor, session, registry, reference)
    _staff_step(file, visitor, trigger)
    detail = file.detail
    page = application_page_context(file, registry, visitor.t, staff=True)
    applicant_windows = [d for d in page["open_deadlines"] if d.is_window and d.party == "applicant"]
    form = _form_of(file, registry, trigger)
    return visitor.render(
        template, status=status, application=detail, trigger=trigger,
        form=form, answers=answers,
        # The outcomes whose reasons the law requires: the field says so, as the check does.
        reasons_needed_for=[visitor.t.label("outcome", o) for o in form.outcomes_needing("reasons")],
        leads_to=next_state(detail, trigger, registry), regulator=page["regulator"],
        closed=CLOSED_STATES, applicant_windows=applicant_windows,
        requirement_codes=REQUIREMENT_CODES,
        sent_by_choices=[(code, visitor.t.label("sent_by", code)) for code in SENT_BY],
        windows=sorted({d.code for d in detail.deadlines if d.kind == "statutory_window"}
                       & set(WINDOW_CODES)),
        breadcrumbs=_crumbs(visitor, (detail.reference, f"/staff/applications/{detail.reference}")),
        here=f"/staff/applications/{detail.reference}/steps/{trigger}",
        step_title=visitor.t.label("trigger", trigger), **context,
    )


def _form_of(file: ApplicationFile, registry: Registry, trigger: str) -> StepForm:
    detail = file.detail
    return step_form(trigger, detail.state, application_facts(detail, registry))


@router.get("/staff/applications/{reference}/steps/{trigger}", response_class=HTMLResponse)
def staff_step_page(
    visitor: StaffVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName,
) -> Response:
    return _step_page(visitor, session, registry, reference, trigger, "pages/staff_step.html",
                      StepAnswers())


def _answers(note: str, documents: str, served_on: str, outcome: str, reasons: str,
             requirements: list[str], alternatives_accepted: str, consent_to_conditions: str,
             sent_on: str, sent_by: str, respond_by: str, window: str, until: str) -> StepAnswers:
    return StepAnswers.of(
        note, documents, "", served_on, "", requirements=requirements[:len(REQUIREMENT_CODES)],
        outcome=outcome, reasons=reasons, alternatives_accepted=alternatives_accepted,
        consent_to_conditions=consent_to_conditions, sent_on=sent_on, sent_by=sent_by,
        respond_by=respond_by, window=window, until=until)


Requirements = Annotated[list[str], Form(max_length=len(REQUIREMENT_CODES) * 2)]


@router.post("/staff/applications/{reference}/steps/{trigger}/check", response_class=HTMLResponse)
def staff_step_check(
    visitor: CheckedStaff, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName, note: Text = "", documents: Text = "", served_on: Text = "",
    outcome: Text = "", reasons: Text = "", requirements: Requirements = [],  # noqa: B006
    alternatives_accepted: Text = "", consent_to_conditions: Text = "", sent_on: Text = "",
    sent_by: Text = "", respond_by: Text = "", window: Text = "", until: Text = "",
) -> Response:
    """Check before the step is recorded; a form that lacks what the law needs comes back with the
    fields to fix, in the visitor's language."""
    answers = _answers(note, documents, served_on, outcome, reasons, requirements,
                       alternatives_accepted, consent_to_conditions, sent_on, sent_by, respond_by,
                       window, until)
    file = _file(visitor, session, registry, reference)
    _staff_step(file, visitor, trigger)
    errors = answers.problems(_form_of(file, registry, trigger), visitor.t)
    if errors:
        return _step_page(visitor, session, registry, reference, trigger, "pages/staff_step.html",
                          answers, status=422, errors=errors)
    return _step_page(visitor, session, registry, reference, trigger, "pages/staff_step_check.html",
                      answers, idempotency_key=secrets.token_urlsafe(24))


@router.post("/staff/applications/{reference}/steps/{trigger}", response_class=HTMLResponse)
def staff_take_step(
    visitor: CheckedStaff, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName, note: Text = "", documents: Text = "", served_on: Text = "",
    outcome: Text = "", reasons: Text = "", requirements: Requirements = [],  # noqa: B006
    alternatives_accepted: Text = "", consent_to_conditions: Text = "", sent_on: Text = "",
    sent_by: Text = "", respond_by: Text = "", window: Text = "", until: Text = "",
    expected_version: Text = "", idempotency_key: Text = "",
) -> Response:
    answers = _answers(note, documents, served_on, outcome, reasons, requirements,
                       alternatives_accepted, consent_to_conditions, sent_on, sent_by, respond_by,
                       window, until)
    file = _file(visitor, session, registry, reference)
    form = _form_of(file, registry, trigger)
    try:
        units.record_event(session, visitor.actor, registry, reference,
                           answers.request(trigger, expected_version, form),
                           form_text(idempotency_key)[:255] or None)
    except (VersionConflict, InvalidTrigger, InvalidRequest, DeadlineConflict) as exc:
        return _refused(visitor, session, registry, reference, trigger, exc, answers, form)
    return visitor.redirect(f"/staff/applications/{reference}/done/{trigger}")


def _refused(
    visitor: Visitor, session: SessionDep, registry: Registry, reference: str, trigger: str,
    error: DomainError, answers: StepAnswers, form: StepForm,
) -> Response:
    t = visitor.t
    errors = refusal_beside_field(
        t, error, form, t.gettext("The application changed since you opened this page. Check it "
                                  "again before you go on."), also=("outcome",))
    try:
        return _step_page(visitor, session, registry, reference, trigger, "pages/staff_step.html",
                          answers, status=error.status_code, errors=errors)
    except InvalidTrigger:
        raise error from None


@router.get("/staff/applications/{reference}/done/{trigger}", response_class=HTMLResponse)
def staff_step_done(
    visitor: StaffVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName,
) -> Response:
    """The confirmation: what was recorded, and what the applicant is told on their page."""
    file = _file(visitor, session, registry, reference)
    mine = [e for e in file.events if e.trigger == trigger and e.actor_role == visitor.actor.role]
    if not mine:
        raise NotFound(msg("no step '{trigger}' on {reference}", trigger=trigger,
                           reference=reference))
    context = application_page_context(file, registry, visitor.t, staff=True)
    told = application_page_context(file, registry, visitor.t)
    return visitor.render(
        "pages/staff_done.html", trigger=trigger, event=mine[-1], told=told,
        breadcrumbs=_crumbs(visitor), **context,
    )
