"""Form helpers shared by pages: a domain refusal as an error beside its field, in the visitor's
language."""

from fairtrack.errors import DomainError
from i18n import Translator


def form_text(value: str | None) -> str:
    return (value or "").strip()


def field_errors(t: Translator, error: DomainError, default_field: str) -> dict[str, str]:
    """{field id: message} for the error summary and the field itself."""
    field = error.details.get("field")
    return {str(field) if isinstance(field, str) and field else default_field: t.say(error.message)}
