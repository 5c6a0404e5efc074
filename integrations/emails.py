"""Emails to applicants, in their language, from the Jinja2 text templates in templates/emails/:
what changed on an application (its stage, a decision, with the time limits the law opened) and
reminders before a deadline. Rendered when queued, so the portal shows the very text sent."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from deadlines.models import Deadline
from i18n import LANGUAGES, Language
from i18n.templating import environment

REMINDER_DAYS = (14, 7, 2)


@dataclass(frozen=True)
class Email:
    subject: str
    body: str


def language_of(preferred: str | None) -> Language:
    return preferred if preferred in LANGUAGES else "en"  # type: ignore[return-value]


def render(template: str, lang: Language, **context: Any) -> Email:
    """A template's first line is the subject, the rest (after a blank line) the body."""
    text = environment(lang).get_template(f"emails/{template}.txt").render(**context)
    subject, _, body = text.strip().partition("\n")
    return Email(subject.strip(), body.strip() + "\n")


def reminder_due(deadline: Deadline, today: date) -> int | None:
    """The reminder (14, 7 or 2 days before) this open deadline is due for today, if any: the
    nearest one whose day has come, so a deadline opened with 10 days left gets the 14-day reminder
    at once, the 7-day one three days later, and a scan that missed a day catches up."""
    left = (deadline.due_on - today).days
    if left < 0:
        return None
    due = [days for days in REMINDER_DAYS if left <= days]
    return min(due) if due else None
