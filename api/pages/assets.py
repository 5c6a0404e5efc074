"""Static assets (static/) served by the app at /static, each URL carrying its file's digest so that
browsers keep it for a year and a changed file is a new URL; nothing comes from a CDN."""

import hashlib
import os
from functools import cache
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

import static

STATIC_DIR = Path(static.__file__).resolve().parent
PREFIX = "/static"
IMMUTABLE = "public, max-age=31536000, immutable"
# A URL without its digest (a font named inside a stylesheet, say) is kept but checked again.
REVALIDATE = "public, max-age=0, must-revalidate"


@cache
def digest(path: str) -> str:
    return hashlib.sha256((STATIC_DIR / path).read_bytes()).hexdigest()[:16]


def asset_url(path: str) -> str:
    """/static/<path>?v=<digest>: the URL pages write for an asset."""
    return f"{PREFIX}/{path}?v={digest(path)}"


# Only what a browser loads: the build script, the Sass source and the package marker stay private.
SERVED = frozenset({".css", ".woff2", ".woff", ".ttf", ".eot", ".svg", ".png"})


class CachedStatic(StaticFiles):
    """Files under static/, with Cache-Control: a year when the URL names the file's own digest
    or a vendored, versioned folder; otherwise revalidated (ETag, Last-Modified)."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if Path(path).suffix not in SERVED:
            return "", None
        return super().lookup_path(path)

    def file_response(self, full_path: str | Path, stat_result: object, scope: Scope,  # type: ignore[override]
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)  # type: ignore[arg-type]
        relative = Path(full_path).resolve().relative_to(STATIC_DIR).as_posix()
        query = scope.get("query_string", b"").decode("latin-1")
        versioned = relative.startswith("ontario-design-system-") or (
            f"v={digest(relative)}" in query.split("&")
        )
        response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
        return response


def static_files() -> CachedStatic:
    return CachedStatic(directory=STATIC_DIR)
