"""What a person wrote on a step's form (an applicant's or a staff member's), what it still lacks
by the law's needs (api.pages.application_view.StepForm), and the step as the API takes it.

One builder for every role: the form asks what `step_form` says, from law.road.NEEDS; the domain
checks the rest when the step is recorded.
"""

from dataclasses import dataclass, field
from datetime import date

from api.pages.application_view import StepForm
from api.pages.forms import form_text
from fairtrack.columns import utcnow
from fairtrack.errors import DomainError, VersionConflict
from i18n import Translator
from i18n.messages import N_
from law.calendar import local_date
from law.road import REQUIREMENT_CODES
from law.windows import WINDOW_CODES, SentBy
from workflow.schemas import REVIEW_OR_HEARING, EventRequest

MAX_DOCUMENTS = 50
YES_NO = {"yes": True, "no": False}
SENT_BY = tuple(s.value for s in SentBy)

# A date a step asks: what to write when it is missing or not a date.
DATE_FIELDS = {
    "served_on": N_("Enter the day you served the notice of appeal, for example 2026-03-02"),
    "received_on": N_("Enter the day the notice or decision reached you, for example 2026-03-02"),
    "sent_on": N_("Enter the day it was sent, for example 2026-03-02"),
    "respond_by": N_("Enter the day the applicant must answer by, for example 2026-04-02"),
    "until": N_("Enter the new last day, for example 2026-04-02"),
}
# Days that cannot be after today: what happened. Answer-by days and new last days are ahead.
PAST_DAYS = frozenset({"served_on", "received_on", "sent_on"})
# When a step needs one of several details: what to write when all are empty.
ONE_OF = {
    "make_submissions": N_("Write your submissions, or list the documents that hold them"),
    "waive_submissions": N_("Write your waiver"),
    "decide_appeal": N_("Write the reasons, or list the decision document that holds them"),
    "decide_court": N_("Write the reasons, or list the decision document that holds them"),
    "extend_appeal_time": N_("Write the reasons, or list the order that holds them"),
    "extend_court_time": N_("Write the reasons, or list the order that holds them"),
    "": N_("Write a note, or list the documents you sent"),
}


@dataclass
class StepAnswers:
    """A step's form as sent back (text), cut to size."""

    note: str = ""
    documents: str = ""
    review_or_hearing: str = ""
    served_on: str = ""
    received_on: str = ""
    outcome: str = ""
    reasons: str = ""
    requirements: list[str] = field(default_factory=list)
    alternatives_accepted: str = ""
    consent_to_conditions: str = ""
    sent_on: str = ""
    sent_by: str = ""
    respond_by: str = ""
    window: str = ""
    until: str = ""

    @classmethod
    def of(cls, note: str = "", documents: str = "", review_or_hearing: str = "",
           served_on: str = "", received_on: str = "", *, requirements: list[str] | None = None,
           **short: str) -> "StepAnswers":
        return cls(form_text(note)[:5000], documents[:20_000], form_text(review_or_hearing)[:20],
                   form_text(served_on)[:20], form_text(received_on)[:20],
                   requirements=[r for r in (requirements or []) if r in REQUIREMENT_CODES],
                   **{name: form_text(value)[:20_000 if name == "reasons" else 40]
                      for name, value in short.items()})

    @property
    def document_list(self) -> list[str]:
        return [line.strip()[:255] for line in self.documents.splitlines()
                if line.strip()][:MAX_DOCUMENTS]

    def day(self, name: str) -> date | None:
        try:
            return date.fromisoformat(getattr(self, name))
        except ValueError:
            return None

    def given(self, name: str) -> bool:
        if name == "documents":
            return bool(self.document_list)
        return bool(getattr(self, name, ""))

    def problems(self, form: StepForm, t: Translator) -> dict[str, str]:
        """What the form still lacks, by field, in words (the domain checks the rest)."""
        errors: dict[str, str] = {}
        today = local_date(utcnow())
        if form.outcomes and self.outcome not in form.outcomes:
            errors["outcome"] = t.gettext("Choose the outcome")
        required, one_of = form.needs(self.outcome or None, self.requirements)
        for name in form.fields:
            if name in DATE_FIELDS and (name in required or getattr(self, name)):
                day = self.day(name)
                if day is None:
                    errors[name] = t.gettext(DATE_FIELDS[name])
                elif name in PAST_DAYS and day > today:
                    errors[name] = t.gettext("The date cannot be in the future")
        for name in required:
            if name == "review_or_hearing" and self.review_or_hearing not in REVIEW_OR_HEARING:
                errors[name] = t.gettext("Choose a review or a hearing")
            elif name == "reasons" and not self.reasons:
                errors[name] = t.gettext("Write the reasons: the law requires them for this outcome")
            elif name == "requirements" and not self.requirements:
                errors[name] = t.gettext("Choose at least one requirement")
            elif name in ("alternatives_accepted", "consent_to_conditions") \
                    and getattr(self, name) not in YES_NO:
                errors[name] = t.gettext("Choose yes or no")
            elif name == "window" and self.window not in WINDOW_CODES:
                errors[name] = t.gettext("Choose the time limit")
        if one_of and not any(self.given(name) for name in one_of):
            errors[one_of[0]] = t.gettext(ONE_OF.get(form.trigger, ONE_OF[""]))
        if "sent_by" in form.fields and self.sent_by and self.sent_by not in SENT_BY:
            errors["sent_by"] = t.gettext("Choose how it was sent")
        return errors

    def request(self, trigger: str, expected_version: str, form: StepForm) -> EventRequest:
        """The step as the API takes it: only what its form asks."""
        asked = set(form.fields)

        def day(name: str) -> date | None:
            return self.day(name) if name in asked else None

        def yes_no(name: str) -> bool | None:
            return YES_NO.get(getattr(self, name)) if name in asked else None

        return EventRequest(
            trigger=trigger,
            expected_version=int(expected_version) if expected_version.isdigit() else 0,
            outcome=self.outcome if form.outcomes and self.outcome in form.outcomes else None,
            reasons=self.reasons or None if "reasons" in asked else None,
            requirements=self.requirements if "requirements" in asked else [],
            note=self.note or None,
            documents=self.document_list if "documents" in asked else [],
            review_or_hearing=self.review_or_hearing
            if "review_or_hearing" in asked and self.review_or_hearing in REVIEW_OR_HEARING
            else None,
            served_on=day("served_on"), received_on=day("received_on"), sent_on=day("sent_on"),
            respond_by=day("respond_by"), until=day("until"),
            sent_by=SentBy(self.sent_by) if "sent_by" in asked and self.sent_by in SENT_BY
            else None,
            window=self.window or None if "window" in asked else None,
            alternatives_accepted=yes_no("alternatives_accepted"),
            consent_to_conditions=yes_no("consent_to_conditions"),
        )


def refusal_beside_field(
    t: Translator, error: DomainError, form: StepForm, changed: str, also: tuple[str, ...] = (),
) -> dict[str, str]:
    """Where a refused step's message goes on its form again: beside the field the refusal names
    (a field of the form, or one of `also`), else above the form. A version conflict says the file
    changed since the page was opened (`changed`, in the caller's words)."""
    message = changed if isinstance(error, VersionConflict) else t.say(error.message)
    field = error.details.get("field")
    where = field if isinstance(field, str) and (field in form.fields or field in also) else "_form"
    return {where: message}
