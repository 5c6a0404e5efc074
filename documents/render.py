"""One function turns a template into PDF bytes: the same catalogs and filters as the pages
(i18n.templating), WeasyPrint's PDF/UA-1 variant (tagged, the language and title set), and bytes
that depend only on the content: the creation date and the file identifier are given, never read
from the clock, so that a letter rendered again from the same data is the same file.

WeasyPrint is imported on first use: it loads Pango and fonts, which the server and the command
line need only when a document is asked for.
"""

import base64
import gc
import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from typing import TYPE_CHECKING, Any

from i18n import Language
from i18n.templating import TEMPLATES_DIR, environment

if TYPE_CHECKING:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

PDF_VARIANT = "pdf/ua-1"
# WeasyPrint does not promise that Pango and fontconfig may be driven from several threads at once
# (the server runs sync routes in a thread pool): one document is rendered at a time per process.
_RENDERING = threading.Lock()


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector held off while WeasyPrint builds and lays out a document: midway
    it holds hundreds of thousands of boxes, and one full collection over them took 0.23 s of a
    1.6 s report (bench/documents.py). Its boxes are freed by reference counting when it is done;
    the collector resumes as it was, and runs over what is left when it next would."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@dataclass(frozen=True)
class Stamp:
    """What every document says about itself, in its footer and its first lines: when it was made,
    with which parameters, and the log's chain head it was made from (None: a letter, whose own
    hash is in the chain instead)."""

    generated_at: datetime
    parameters: list[tuple[str, str]] = field(default_factory=list)
    chain_head: str | None = None


def data_uri(svg: str) -> str:
    """An SVG as an image source: WeasyPrint draws it as one tagged figure with its alt text, and
    faster than the same SVG inline."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def pdf_time(moment: datetime) -> str:
    """The W3C date WeasyPrint writes as the PDF's creation and modification date."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@cache
def fonts() -> "FontConfiguration":
    """The fonts WeasyPrint lays out with (fontconfig's configuration and a Pango font map), loaded
    once per process. Left to itself, WeasyPrint loads a new one for every document, which cost
    about 0.2 MB of memory never given back per letter (an import of 33,000 decisions grew past a
    gigabyte) and part of each letter's time."""
    from weasyprint.text.fonts import FontConfiguration  # noqa: PLC0415 - loads Pango: on first use

    return FontConfiguration()


@cache
def stylesheet() -> "CSS":
    """The documents' page style (templates/documents/document.css), parsed once per process and
    handed to every rendering (the template links none)."""
    from weasyprint import CSS  # noqa: PLC0415 - loads Pango: only when a document is made

    return CSS(filename=str(TEMPLATES_DIR / "documents" / "document.css"), font_config=fonts())


def render_pdf(template: str, lang: Language, context: dict[str, Any], *, title: str,
               stamp: Stamp, identifier: str) -> bytes:
    """The PDF of `template` rendered with `context`; `identifier` names the document (the same
    identifier and content give the same bytes)."""
    from weasyprint import HTML  # noqa: PLC0415 - loads Pango: only when a document is made

    html = environment(lang).get_template(template).render(
        **context, title=title, stamp=stamp, created=pdf_time(stamp.generated_at), data_uri=data_uri,
    )
    pdf_id = hashlib.sha256(identifier.encode()).hexdigest()[:32].encode()
    with _RENDERING, _no_cycle_collection():
        pdf: bytes = HTML(string=html, base_url=str(TEMPLATES_DIR)).write_pdf(
            stylesheets=[stylesheet()], font_config=fonts(), pdf_variant=PDF_VARIANT, pdf_identifier=pdf_id,
            uncompressed_pdf=False,
        )
    return pdf


def sha256(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()
