"""Loads and validates the regulator and assessor data files shipped in regulators/data/."""

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError

from regulators.schema import Assessor, Regulator

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
        problems = "; ".join(
            f"field '{'.'.join(str(p) for p in err['loc'])}': {err['msg']}" for err in exc.errors()
        )
        raise RegistryError(f"{path.name}: {problems}") from exc


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
