"""Drivers for the integrations' tests: files to import, and PEO applications on the road."""

import json
from typing import Any

from tests.support.road import Person, Road


def csv_file(header: list[str], rows: list[list[str]]) -> bytes:
    lines = [",".join(header)] + [",".join(row) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def jsonl_file(rows: list[dict[str, Any]]) -> bytes:
    return ("\n".join(json.dumps(row) for row in rows) + "\n").encode()


def under_review(road: Road, applicant: Person, regulator: Person, n: int) -> list[str]:
    """n PEO applications, submitted and under review."""
    refs = []
    for _ in range(n):
        ref = applicant.open("peo", "p-eng")
        applicant.step(ref, "submit")
        regulator.step(ref, "begin_review")
        refs.append(ref)
    return refs


def post_import(person: Person, content: bytes, media: str = "text/csv") -> Any:
    return person.road.client.post("/api/v1/imports", content=content,
                                   headers={**person.headers, "Content-Type": media})
