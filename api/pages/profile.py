"""The applicant's profile page: every answer in a summary list, each changed on its own page, so
that saving one never empties another."""

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path
from fastapi.responses import HTMLResponse, Response
from pydantic import ValidationError

from api.deps import RegistryDep, SessionDep
from api.pages.forms import form_text
from api.pages.rendering import ApplicantVisitor, CheckedApplicant, Visitor
from casefile import accounts as account_units
from casefile.profiles import replace_profile
from fairtrack.errors import NotFound
from i18n import LANGUAGES, Message, msg
from i18n.messages import N_
from profiles.schemas import COUNTRIES, IRCC_LANGUAGE_TESTS, ImmigrationStatus, ProfileData
from profiles.service import get_profile

router = APIRouter(include_in_schema=False)
# The profile's questions in the order asked; the language lives on the account.
QUESTIONS = {
    "immigration_status": N_("Your immigration status"),
    "country_of_education": N_("The country where you studied for your profession"),
    "started_before_arrival": N_("Did you start this road before arriving in Canada?"),
    "arrival_date": N_("The day you arrived in Canada"),
    "language_test": N_("The English or French test you took for immigration"),
    "preferred_language": N_("The language FairTrack speaks to you in"),
}
FIELDS = tuple(QUESTIONS)
Field = Annotated[str, Path(max_length=40)]


def _crumbs(visitor: Visitor) -> list[tuple[str, str]]:
    t = visitor.t
    return [(t.gettext("Home"), "/"), (t.gettext("Your profile"), "/profile")]


def _answers(visitor: Visitor, session: SessionDep) -> dict[str, Any]:
    answers: dict[str, Any] = get_profile(session, visitor.actor).model_dump()
    assert visitor.person is not None
    answers["preferred_language"] = visitor.person.preferred_language
    return answers


def _choices(visitor: Visitor, field: str) -> list[tuple[str, str]]:
    t = visitor.t
    if field == "immigration_status":
        return [(s.value, t.label("immigration_status", s.value)) for s in ImmigrationStatus]
    if field == "country_of_education":
        names = t.locale.territories
        return sorted(((code, names.get(code, code)) for code in COUNTRIES), key=lambda c: c[1])
    if field == "started_before_arrival":
        return [("yes", t.gettext("Yes")), ("no", t.gettext("No"))]
    if field == "language_test":
        return [(code, t.label("language_test", code)) for code in IRCC_LANGUAGE_TESTS]
    if field == "preferred_language":
        return [("en", "English"), ("fr", "Français")]
    return []


def _shown(visitor: Visitor, field: str, value: Any) -> str:
    t = visitor.t
    if value is None:
        return t.gettext("Not answered")
    if isinstance(value, bool):
        return t.gettext("Yes") if value else t.gettext("No")
    if isinstance(value, date):
        return t.date(value)
    return dict(_choices(visitor, field)).get(str(value), str(value))


@router.get("/profile", response_class=HTMLResponse)
def profile_page(visitor: ApplicantVisitor, session: SessionDep) -> Response:
    answers = _answers(visitor, session)
    t = visitor.t
    rows = [(field, t.gettext(QUESTIONS[field]), _shown(visitor, field, answers.get(field)))
            for field in FIELDS]
    saved = visitor.request.query_params.get("saved")
    return visitor.render("pages/profile.html", rows=rows,
                          saved=t.gettext(QUESTIONS[saved]) if saved in QUESTIONS else None,
                          breadcrumbs=[(t.gettext("Home"), "/")])


def _edit(visitor: Visitor, field: str, value: str, errors: dict[str, str], status: int = 200) -> Response:
    return visitor.render("pages/profile_field.html", status=status, field=field, value=value,
                          question=visitor.t.gettext(QUESTIONS[field]),
                          choices=_choices(visitor, field), errors=errors, breadcrumbs=_crumbs(visitor))


def _known(field: str) -> str:
    if field not in FIELDS:
        raise NotFound(msg("no profile question '{field}'", field=field))
    return field


@router.get("/profile/{field}", response_class=HTMLResponse)
def profile_field_form(visitor: ApplicantVisitor, session: SessionDep, field: Field) -> Response:
    value = _answers(visitor, session).get(_known(field))
    shown = "" if value is None else ("yes" if value is True else "no" if value is False else str(value))
    if field == "language_test" and value is None:
        shown = ""
    return _edit(visitor, field, shown, {})


def _parsed(field: str, raw: str) -> Any:
    if raw == "":
        return None
    if field == "started_before_arrival":
        return {"yes": True, "no": False}.get(raw, raw)
    return raw


@router.post("/profile/{field}", response_class=HTMLResponse)
def save_profile_field(
    visitor: CheckedApplicant, session: SessionDep, registry: RegistryDep, field: Field,
    value: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """Change one answer: the others are read and kept as they are."""
    t = visitor.t
    raw = form_text(value)
    if _known(field) == "preferred_language":
        if raw not in LANGUAGES:
            return _edit(visitor, field, raw, {"value": t.gettext("Choose a language")}, 422)
        account_units.set_language(session, visitor.actor, raw)
        visitor.lang = raw
        return visitor.redirect("/profile", saved=field)
    answers = get_profile(session, visitor.actor).model_dump()
    answers[field] = _parsed(field, raw)
    try:
        data = ProfileData.model_validate(answers)
    except ValidationError as exc:
        return _edit(visitor, field, raw, {"value": _problem(t, field, exc)}, 422)
    replace_profile(session, visitor.actor, registry, data)
    return visitor.redirect("/profile", saved=field)


def _problem(t: Any, field: str, error: ValidationError) -> str:
    """The validator's own sentence where it wrote one (a `Message`), else one for the field."""
    for problem in error.errors():
        cause = (problem.get("ctx") or {}).get("error")
        if isinstance(cause, ValueError) and cause.args and isinstance(cause.args[0], Message):
            return str(t.say(cause.args[0]))
    if field == "arrival_date":
        return str(t.gettext("Enter a real date, for example 2024-09-30"))
    return str(t.gettext("Choose one of the answers"))
