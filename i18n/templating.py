"""Jinja2 environments that speak one language each: `{% trans %}` and `_()` from the catalogs,
filters for dates, numbers and the domain's vocabulary. Pages and documents (PDF) render with them."""

from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from i18n.catalogs import LANGUAGES, Language, catalog, translator

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"


@cache
def environment(lang: Language, directory: Path = TEMPLATES_DIR) -> Environment:
    """One environment per language (compiled templates are cached in each): no per-request state,
    so threads share them safely."""
    env = Environment(
        loader=FileSystemLoader(directory),
        autoescape=select_autoescape(["html", "xml", "svg"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.policies["ext.i18n.trimmed"] = True
    env.install_gettext_translations(catalog(lang), newstyle=True)  # type: ignore[attr-defined]
    t = translator(lang)
    env.globals.update(lang=lang, languages=LANGUAGES, t=t, label=t.label)
    filters: dict[str, Callable[..., Any]] = {
        "date": t.date, "number": t.number, "percent": t.percent, "days": t.days,
        "business_days": t.business_days, "say": t.say, "names": t.names,
    }
    env.filters.update(filters)
    return env
