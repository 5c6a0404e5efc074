"""Loads and validates the regulator and assessor data files shipped in regulators/data/."""

import hashlib
import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from regulators.files import Assessor, Regulator

DATA_DIR = Path(__file__).parent / "data"

# The Divisional Court hears appeals from every appeal body; its registry staff are one organization.
DIVISIONAL_COURT = "divisional-court"


class RegistryError(ValueError):
    """A data file that does not validate; the message names the file and the field."""


@dataclass(frozen=True)
class Registry:
    regulators: dict[str, Regulator]
    assessors: dict[str, Assessor]

    def regulator(self, slug: str) -> Regulator | None:
        return self.regulators.get(slug)

    def organizations(self) -> set[str]:
        """Every organization a staff account may belong to."""
        orgs = set(self.regulators) | set(self.assessors) | {DIVISIONAL_COURT}
        for regulator in self.regulators.values():
            orgs.add(regulator.appeal_body.slug)
        return orgs

    def digest(self) -> str:
        """One hash over every validated document: unchanged files give the same digest."""
        parts = {
            f"{kind}/{slug}": content_hash(document_of(item))
            for kind, items in (("regulator", self.regulators), ("assessor", self.assessors))
            for slug, item in items.items()
        }
        return content_hash(parts)


def document_of(item: BaseModel) -> dict[str, Any]:
    """The validated data as JSON, defaults applied: what the database keeps for each version."""
    return item.model_dump(mode="json")


# Keys a stored rules version may carry that the schema no longer has: `statutory_windows` was an
# unused copy of the windows (with a wrong counting rule; law/windows.py holds them);
# `canadian_experience_exemption` said `granted = false` by default, which no source supported: the
# dated `canadian_experience_exemptions` records replace it (none recorded: status unknown).
RETIRED_KEYS = frozenset({"statutory_windows", "canadian_experience_exemption"})


def without_retired_keys(document: dict[str, Any]) -> dict[str, Any]:
    """A stored document as the current schema reads it: what governed, minus retired copies."""
    return {key: value for key, value in document.items() if key not in RETIRED_KEYS}


def as_current_schema(document: dict[str, Any]) -> dict[str, Any]:
    """A stored document read through today's schema: retired keys dropped, fields added since
    given their defaults. Equal documents mean the same rules (a version need not change for a
    field the schema added). A document the schema no longer reads is returned as stored."""
    kept = without_retired_keys(document)
    try:
        return document_of(Regulator.model_validate(kept))
    except ValidationError:
        return kept


def content_hash(document: dict[str, Any]) -> str:
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def _load_file(path: Path) -> Regulator | Assessor:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise RegistryError(f"{path.name}: not valid TOML: {exc}") from exc
    kind = raw.pop("kind", None)
    model: type[Regulator] | type[Assessor]
    if kind == "regulator":
        model = Regulator
    elif kind == "assessor":
        model = Assessor
    else:
        raise RegistryError(f"{path.name}: field 'kind' must be 'regulator' or 'assessor'")
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        problems = "; ".join(_describe(err["loc"], err["msg"]) for err in exc.errors())
        raise RegistryError(f"{path.name}: {problems}") from exc


def _describe(loc: tuple[int | str, ...], message: str) -> str:
    """"field 'a.b': what is wrong"; a check across fields names its field first ("x: ...")."""
    message = message.removeprefix("Value error, ")
    if not loc and ": " in message:
        field, message = message.split(": ", 1)
        return f"field '{field}': {message}"
    where = ".".join(str(part) for part in loc) or "(file)"
    return f"field '{where}': {message}"


def load_registry(data_dir: Path = DATA_DIR) -> Registry:
    regulators: dict[str, Regulator] = {}
    assessors: dict[str, Assessor] = {}
    for path in sorted(data_dir.glob("*.toml")):
        item = _load_file(path)
        if path.stem != item.slug:
            raise RegistryError(f"{path.name}: field 'slug' must match the file name ({item.slug})")
        if isinstance(item, Regulator):
            regulators[item.slug] = item
        else:
            assessors[item.slug] = item
    for regulator in regulators.values():
        for slug in regulator.assessors:
            if slug not in assessors:
                raise RegistryError(f"{regulator.slug}.toml: field 'assessors': unknown '{slug}'")
        if regulator.third_party_assessment and not regulator.assessors:
            raise RegistryError(
                f"{regulator.slug}.toml: field 'assessors': required when third_party_assessment"
            )
    return Registry(regulators=regulators, assessors=assessors)


@lru_cache
def get_registry() -> Registry:
    return load_registry()
