"""Documents need WeasyPrint's Pango and poppler's pdftotext/pdftoppm. Where they are missing the
tests are skipped, visibly, unless FAIRTRACK_REQUIRE_PDF=1 (CI), which fails them."""

import os
import shutil
import subprocess
from pathlib import Path

import pytest

PDFTOTEXT, PDFTOPPM = "/usr/bin/pdftotext", "/usr/bin/pdftoppm"
REQUIRE_PDF = os.environ.get("FAIRTRACK_REQUIRE_PDF") == "1"
PREVIEWS = Path(__file__).resolve().parents[2] / "build" / "documents"


def _missing() -> str | None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # Pango absent: WeasyPrint cannot load it
        return f"WeasyPrint cannot load Pango: {exc}"
    for tool in (PDFTOTEXT, PDFTOPPM):
        if shutil.which(tool) is None:  # the Debian package's path
            return f"{tool} (Debian poppler-utils) is not installed"
    return None


@pytest.fixture(autouse=True)
def pdf_tools() -> None:
    missing = _missing()
    if missing:
        if REQUIRE_PDF:
            pytest.fail(missing)
        pytest.skip(missing)


def pdf_text(pdf: bytes) -> str:
    """The text of a PDF as pdftotext reads it, with runs of spaces and line ends made single."""
    out = subprocess.run([PDFTOTEXT,  # noqa: S603 - our bytes, a fixed tool
                           "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True,
                         check=True).stdout.decode()
    return " ".join(out.split())


def preview(pdf: bytes, name: str) -> Path:
    """The first page as a PNG in build/documents/, for a person to look at."""
    PREVIEWS.mkdir(parents=True, exist_ok=True)
    source = PREVIEWS / f"{name}.pdf"
    source.write_bytes(pdf)
    subprocess.run([PDFTOPPM,  # noqa: S603 - a fixed tool
                    "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(PREVIEWS / name)], check=True)
    return PREVIEWS / f"{name}.png"
