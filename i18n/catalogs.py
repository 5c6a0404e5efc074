"""The compiled catalogs (locales/<lang>/LC_MESSAGES/messages.mo) and the language a person reads.

A person's language comes from their account; without one (not logged in), from what they chose on
this browser, then from the browser's Accept-Language; English last.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent
from babel.support import NullTranslations, Translations

from i18n.messages import Message
from law.calendar import TORONTO as ONTARIO

Language = Literal["en", "fr"]
LANGUAGES: tuple[Language, ...] = ("en", "fr")
DEFAULT_LANGUAGE: Language = "en"
# Babel locales: Canadian English and Canadian French (dates, numbers, the order of day and month).
LOCALES: dict[Language, str] = {"en": "en_CA", "fr": "fr_CA"}
LOCALES_DIR = Path(__file__).resolve().parent / "locales"
DOMAIN = "messages"


def language_or_default(value: object) -> Language:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def negotiate(accept_language: str | None) -> Language | None:
    """The best of our languages for an Accept-Language header (RFC 9110 12.5.4), or None."""
    if not accept_language:
        return None
    ranked: list[tuple[float, int, Language]] = []
    for position, part in enumerate(accept_language.split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            ranked.append((-quality, position, primary))
    return min(ranked)[2] if ranked else None


@cache
def catalog(lang: Language) -> NullTranslations:
    """The compiled catalog of a language (an empty one if it was never compiled)."""
    return Translations.load(str(LOCALES_DIR), [lang], domain=DOMAIN)


def humanized(code: str) -> str:
    """A code's words, for a name the catalogs do not have yet: 'under_review' -> 'Under review'."""
    words = code.replace("_", " ").replace("-", " ").strip()
    return words[:1].upper() + words[1:]


@dataclass(frozen=True)
class Translator:
    """Everything a page, a document or an email needs to speak one language."""

    lang: Language

    @property
    def locale(self) -> Locale:
        return Locale.parse(LOCALES[self.lang])

    def gettext(self, message: str, **params: Any) -> str:
        text = catalog(self.lang).gettext(message)
        return text.format(**params) if params else text

    def ngettext(self, singular: str, plural: str, n: int, **params: Any) -> str:
        text = catalog(self.lang).ngettext(singular, plural, n)
        return text.format(n=n, **params)

    def label(self, kind: str, code: str) -> str:
        """The name of one word of the domain's vocabulary (a state, a trigger...): the catalog's
        entry in context `kind`, else the code's own words (tests/i18n fails while one is missing)."""
        text = str(catalog(self.lang).pgettext(kind, code))
        return humanized(code) if text == code else text

    def has_label(self, kind: str, code: str) -> bool:
        return catalog(self.lang).pgettext(kind, code) != code

    def say(self, sentence: str) -> str:
        """A sentence from the domain (a refusal): by its template when it is a `Message`."""
        if isinstance(sentence, Message):
            return self.gettext(sentence.template, **self._shown(sentence.params))
        return self.gettext(sentence)

    def _shown(self, params: dict[str, Any]) -> dict[str, Any]:
        """A sentence's values as this language writes them: lists joined, dates in words."""
        return {
            k: ", ".join(map(str, v)) if isinstance(v, list | tuple)
            else self.date(v) if isinstance(v, date) else v
            for k, v in params.items()
        }

    def date(self, day: date | datetime | None, form: str = "long") -> str:
        """'March 2, 2026' / '2 mars 2026' (a moment is shown on its Ontario date)."""
        if day is None:
            return ""
        if isinstance(day, datetime):
            return format_datetime(day, form, tzinfo=ONTARIO, locale=self.locale) if form != "long" \
                else format_date(day.astimezone(ONTARIO).date(), form, locale=self.locale)
        return format_date(day, form, locale=self.locale)

    def number(self, value: float | int | None) -> str:
        """'1,234.5' / '1 234,5'."""
        return "" if value is None else format_decimal(value, locale=self.locale)

    def percent(self, value: float | None) -> str:
        return "" if value is None else format_percent(value, locale=self.locale)

    def days(self, n: int) -> str:
        """'1 day', '12 days' / '1 jour', '12 jours'."""
        return self.ngettext("{count} day", "{count} days", n, count=self.number(n))

    def business_days(self, n: int) -> str:
        return self.ngettext("{count} business day", "{count} business days", n, count=self.number(n))

    def names(self, names: Mapping[str, str] | Any) -> str:
        """One of a registry's bilingual names ({en, fr})."""
        return str(names.fr if self.lang == "fr" else names.en) if not isinstance(names, Mapping) \
            else str(names.get(self.lang) or names.get("en"))


@cache
def translator(lang: Language) -> Translator:
    return Translator(lang)
