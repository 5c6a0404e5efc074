"""The applicant's pages: every application on one dashboard, opening one (with a check step), the
application's own page, and the steps the applicant may take, each with a check step and a
confirmation that says what happens next.

Which steps exist, where they lead and what they are called all come from the road (law/road.py)
and the catalogs: a new applicant step appears here by itself.
"""

import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Path, Query
from fastapi.responses import HTMLResponse, Response

from api.deps import RegistryDep, SessionDep
from api.documents import pdf_response, status_summary
from api.pages.application_view import (
    StepForm,
    application_facts,
    application_page_context,
    next_state,
    step_form,
)
from api.pages.forms import form_text
from api.pages.rendering import ApplicantVisitor, CheckedApplicant, Visitor
from api.pages.steps import StepAnswers, refusal_beside_field
from casefile import applications as units
from casefile.detail import application_file, dashboard, open_applications_like
from casefile.documents import letter_pdf, letters_of
from fairtrack.errors import (
    DeadlineConflict,
    DomainError,
    InvalidRequest,
    InvalidTrigger,
    NotFound,
    VersionConflict,
)
from i18n import msg
from law.road import CLOSED_STATES, CREATE_TRIGGER, TRIGGER_ROLES, Role
from regulators.registry import Registry
from regulators.views import ASSESSMENT_NOTICE
from workflow.schemas import ApplicationCreate

router = APIRouter(include_in_schema=False)
Reference = Annotated[str, Path(min_length=1, max_length=40)]
StepName = Annotated[str, Path(min_length=1, max_length=40)]
Text = Annotated[str, Form(max_length=20_000)]


def _crumbs(visitor: Visitor, *more: tuple[str, str]) -> list[tuple[str, str]]:
    t = visitor.t
    return [(t.gettext("Home"), "/"), (t.gettext("Your applications"), "/applications"), *more]


@router.get("/applications", response_class=HTMLResponse)
def my_applications(
    visitor: ApplicantVisitor, session: SessionDep, registry: RegistryDep,
    cursor: Annotated[str | None, Query(max_length=20)] = None,
) -> Response:
    rows, next_cursor = dashboard(session, visitor.actor, registry, cursor)
    t = visitor.t
    return visitor.render("pages/dashboard.html", rows=rows, next_cursor=next_cursor,
                          registry=registry, closed=CLOSED_STATES,
                          welcome=visitor.request.query_params.get("welcome") == "1",
                          breadcrumbs=[(t.gettext("Home"), "/")])


def _licence_choices(visitor: Visitor, registry: Registry) -> list[tuple[str, list[tuple[str, str]]]]:
    t = visitor.t
    named = t.gettext("%(name)s: %(value)s")
    groups = []
    for regulator in sorted(registry.regulators.values(), key=lambda r: t.names(r.name)):
        items = [
            (f"{regulator.slug}/{c.code}", named % {"name": t.names(p.name), "value": t.names(c.name)})
            for p in regulator.professions for c in p.licence_classes
        ]
        groups.append((f"{t.names(regulator.name)} ({regulator.acronym})", items))
    return groups


@router.get("/applications/new", response_class=HTMLResponse)
def new_application_form(
    visitor: ApplicantVisitor, registry: RegistryDep,
    licence: Annotated[str, Query(max_length=170)] = "",
) -> Response:
    return visitor.render("pages/new_application.html", choices=_licence_choices(visitor, registry),
                          licence=licence, errors={}, breadcrumbs=_crumbs(visitor))


@router.get("/applications/new/check", response_class=HTMLResponse)
def new_application_check(
    visitor: ApplicantVisitor, session: SessionDep, registry: RegistryDep,
    licence: Annotated[str, Query(max_length=170)] = "",
    assessor: Annotated[str, Query(max_length=80)] = "",
) -> Response:
    """Check your answers (or, first, choose the assessor): nothing is stored until confirmed."""
    t = visitor.t
    slug, _, code = licence.partition("/")
    regulator = registry.regulator(slug)
    if regulator is None or regulator.licence_class(code) is None:
        return visitor.render(
            "pages/new_application.html", status=422, choices=_licence_choices(visitor, registry),
            licence=licence, errors={"licence": t.gettext("Choose the licence you are applying for")},
            breadcrumbs=_crumbs(visitor))
    assessors = [a for a in regulator.assessors if a in registry.assessors]
    if regulator.third_party_assessment and len(assessors) == 1:
        assessor = assessors[0]
    needs_choice = regulator.third_party_assessment and assessor not in assessors
    return visitor.render(
        "pages/new_application_check.html", regulator=regulator, registry=registry,
        licence=licence, licence_class=regulator.licence_class(code), assessor=assessor or None,
        assessors=assessors, needs_choice=needs_choice,
        errors={"assessor": t.gettext("Choose the assessor")} if needs_choice and assessor else {},
        profession=next(p for p in regulator.professions if regulator.licence_class(code) in
                        p.licence_classes),
        already_open=open_applications_like(session, visitor.actor, registry, slug, code),
        notice=ASSESSMENT_NOTICE, breadcrumbs=_crumbs(visitor),
        idempotency_key=secrets.token_urlsafe(24),
    )


@router.post("/applications", response_class=HTMLResponse)
def open_application(
    visitor: CheckedApplicant, session: SessionDep, registry: RegistryDep,
    licence: Text = "", assessor: Text = "", idempotency_key: Text = "",
) -> Response:
    slug, _, code = form_text(licence).partition("/")
    data = ApplicationCreate(regulator=slug[:80] or "-", licence_class=code[:80] or "-",
                             assessor=form_text(assessor)[:80] or None)
    try:
        _, body = units.open_application(session, visitor.actor, registry, data,
                                         form_text(idempotency_key)[:255] or None)
    except InvalidRequest as exc:
        return visitor.render(
            "pages/new_application.html", status=422, choices=_licence_choices(visitor, registry),
            licence=licence, errors={"licence": visitor.t.say(exc.message)},
            breadcrumbs=_crumbs(visitor))
    return visitor.redirect(f"/applications/{body['reference']}/done/{CREATE_TRIGGER}")


@router.get("/applications/{reference}", response_class=HTMLResponse)
def application_page(
    visitor: ApplicantVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
) -> Response:
    file = application_file(session, visitor.actor, registry, reference)
    return visitor.render(
        "pages/application.html", breadcrumbs=_crumbs(visitor),
        letters=letters_of(session, visitor.actor, registry, reference),
        **application_page_context(file, registry, visitor.t),
    )


@router.get("/applications/{reference}/summary.pdf")
def summary_document(
    visitor: ApplicantVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
) -> Response:
    """The status summary, in the visitor's language."""
    pdf = status_summary(session, visitor.actor, registry, reference, visitor.lang)
    return visitor.finish(pdf_response(pdf, f"{reference}-summary.pdf"))


@router.get("/applications/{reference}/letters/{seq}.pdf")
def letter_document(
    visitor: ApplicantVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
    seq: Annotated[int, Path(ge=1, le=2**31 - 1)],
) -> Response:
    """A decision letter, byte for byte as it was sent."""
    pdf = letter_pdf(session, visitor.actor, registry, reference, seq)
    return visitor.finish(pdf_response(pdf, f"{reference}-decision-{seq}.pdf"))


def _applicant_step(file_triggers: list[str], trigger: str, reference: str) -> None:
    if TRIGGER_ROLES.get(trigger) is not Role.applicant or trigger not in file_triggers:
        raise InvalidTrigger(msg("'{trigger}' is not a step you can take on {reference} now",
                                 trigger=trigger, reference=reference))


def _step_page(
    visitor: Visitor, session: SessionDep, registry: Registry, reference: str, trigger: str,
    template: str, answers: StepAnswers, status: int = 200, **context: object,
) -> Response:
    file = application_file(session, visitor.actor, registry, reference)
    detail = file.detail
    _applicant_step([a.trigger for a in detail.allowed_triggers], trigger, reference)
    t = visitor.t
    regulator = registry.regulator(detail.regulator)
    return visitor.render(
        template, status=status, application=detail, trigger=trigger,
        form=step_form(trigger, detail.state, application_facts(detail, registry)),
        answers=answers, leads_to=next_state(detail, trigger, registry),
        regulator=regulator, closed=CLOSED_STATES,
        breadcrumbs=_crumbs(visitor, (detail.reference, f"/applications/{detail.reference}")),
        here=f"/applications/{detail.reference}/steps/{trigger}",
        step_title=t.label("step", trigger), **context,
    )


@router.get("/applications/{reference}/steps/{trigger}", response_class=HTMLResponse)
def step_page(
    visitor: ApplicantVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName,
) -> Response:
    return _step_page(visitor, session, registry, reference, trigger, "pages/step.html",
                      StepAnswers(), errors={})


def _form_of(session: SessionDep, visitor: Visitor, registry: Registry, reference: str,
             trigger: str) -> StepForm:
    detail = application_file(session, visitor.actor, registry, reference).detail
    return step_form(trigger, detail.state, application_facts(detail, registry))


@router.post("/applications/{reference}/steps/{trigger}/check", response_class=HTMLResponse)
def step_check(
    visitor: CheckedApplicant, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName, note: Text = "", documents: Text = "", review_or_hearing: Text = "",
    served_on: Text = "", received_on: Text = "",
) -> Response:
    """Check your answers before the step is recorded; a fresh key makes a double click harmless.
    A form that lacks what the step needs comes back with the fields to fix."""
    answers = StepAnswers.of(note, documents, review_or_hearing, served_on, received_on)
    errors = answers.problems(_form_of(session, visitor, registry, reference, trigger), visitor.t)
    if errors:
        return _step_page(visitor, session, registry, reference, trigger, "pages/step.html",
                          answers, status=422, errors=errors)
    return _step_page(visitor, session, registry, reference, trigger, "pages/step_check.html",
                      answers, errors={}, idempotency_key=secrets.token_urlsafe(24))


@router.post("/applications/{reference}/steps/{trigger}", response_class=HTMLResponse)
def take_step(
    visitor: CheckedApplicant, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName, note: Text = "", documents: Text = "", review_or_hearing: Text = "",
    served_on: Text = "", received_on: Text = "", expected_version: Text = "",
    idempotency_key: Text = "",
) -> Response:
    answers = StepAnswers.of(note, documents, review_or_hearing, served_on, received_on)
    form = _form_of(session, visitor, registry, reference, trigger)
    try:
        units.record_event(session, visitor.actor, registry, reference,
                           answers.request(trigger, expected_version, form),
                           form_text(idempotency_key)[:255] or None)
    except (VersionConflict, InvalidTrigger, InvalidRequest, DeadlineConflict) as exc:
        return _refused_step(visitor, session, registry, reference, trigger, exc, answers, form)
    return visitor.redirect(f"/applications/{reference}/done/{trigger}")


def _refused_step(
    visitor: Visitor, session: SessionDep, registry: Registry, reference: str, trigger: str,
    error: DomainError, answers: StepAnswers, form: StepForm,
) -> Response:
    """The step's form again, the refusal beside the field it names (else above the form)."""
    t = visitor.t
    errors = refusal_beside_field(
        t, error, form, t.gettext("Your application changed since you opened this page. Check it "
                                  "again before you go on."))
    try:
        return _step_page(visitor, session, registry, reference, trigger, "pages/step.html",
                          answers, status=error.status_code, errors=errors)
    except InvalidTrigger:  # the step is no longer possible at all: back to the application
        raise error from None


@router.get("/applications/{reference}/done/{trigger}", response_class=HTMLResponse)
def step_done(
    visitor: ApplicantVisitor, session: SessionDep, registry: RegistryDep, reference: Reference,
    trigger: StepName,
) -> Response:
    """The confirmation: what was recorded and what happens next."""
    file = application_file(session, visitor.actor, registry, reference)
    if not any(e.trigger == trigger for e in file.events):
        raise NotFound(msg("no step '{trigger}' on {reference}", trigger=trigger,
                           reference=reference))
    event = next(e for e in reversed(file.events) if e.trigger == trigger)
    return visitor.render(
        "pages/done.html", trigger=trigger, event=event, breadcrumbs=_crumbs(visitor),
        **application_page_context(file, registry, visitor.t),
    )
