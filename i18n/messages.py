"""Sentences the domain says (refusals, mostly) that people may read in either language.

`msg("password needs at least {minimum} characters", minimum=12)` is the English sentence, a plain
`str` wherever it goes (JSON errors, logs of tests), that also remembers its template and values,
so that a page can say it in French from the catalog. `make messages` extracts every `msg(...)`.
"""

from typing import Any


class Message(str):
    """An English sentence made from a catalog template and its values."""

    template: str
    params: dict[str, Any]

    def __new__(cls, template: str, **params: Any) -> "Message":
        made = super().__new__(cls, template.format(**params) if params else template)
        made.template = template
        made.params = params
        return made

    def __reduce__(self) -> tuple[Any, ...]:  # pickles (xdist, multiprocessing) keep the template
        return (_rebuild, (self.template, self.params))


def _rebuild(template: str, params: dict[str, Any]) -> Message:
    return Message(template, **params)


def msg(template: str, **params: Any) -> Message:
    """A sentence for people, in English here, translatable by its template."""
    return Message(template, **params)


def N_(text: str) -> str:
    """Marks a constant for extraction into the catalogs; translated where it is shown."""
    return text
