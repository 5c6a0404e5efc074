"""Which rules govern: the version in force on a date, a stored version's rules, the history."""

from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session
from sqlmodel import col

from fairtrack.errors import NotFound
from regulators.files import Regulator
from regulators.models import RegulatorRules
from regulators.registry import Registry, without_retired_keys


def _stored_versions(session: Session, slug: str) -> dict[int, date]:
    """version -> effective date, for every version of this regulator in the database."""
    rows = session.execute(
        select(col(RegulatorRules.version), col(RegulatorRules.effective_date)).where(
            col(RegulatorRules.regulator) == slug
        )
    )
    return {version: effective for version, effective in rows}


def rules_version_in_force(session: Session, registry: Registry, slug: str, on: date) -> int:
    """The latest version whose effective date is on or before `on`.

    Versions come from the synced history and from the shipped file (which may be newer than the
    last sync). A date before every known version takes the earliest one: nothing older is known.
    """
    known = _stored_versions(session, slug)
    current = registry.regulator(slug)
    if current is not None:
        known[current.rules_version] = current.effective_date
    if not known:
        raise NotFound(f"no regulator '{slug}'")
    in_force = [version for version, effective in known.items() if effective <= on]
    return max(in_force) if in_force else min(known)


# A stored rules version never changes (regulators.sync refuses to rewrite one): its validated
# document is kept per process, per database, once read. `forget_rules` empties it (a sync that
# adds versions, or a test that empties the tables).
_RULES: dict[tuple[str, str, int], Regulator] = {}


def forget_rules() -> None:
    _RULES.clear()


def rules_of(session: Session, registry: Registry, slug: str, version: int) -> Regulator:
    """A regulator's rules as they were in `version` (the stored document, or the current file)."""
    key = (session.get_bind().engine.url.render_as_string(), slug, version)
    cached = _RULES.get(key)
    if cached is not None:
        return cached
    document = session.scalar(
        select(col(RegulatorRules.document)).where(
            col(RegulatorRules.regulator) == slug, col(RegulatorRules.version) == version
        )
    )
    if document is not None:
        rules = _RULES[key] = Regulator.model_validate(without_retired_keys(document))
        return rules
    current = registry.regulator(slug)
    if current is not None and current.rules_version == version:
        return current
    raise NotFound(f"no rules version {version} for regulator '{slug}'")


def rules_history(session: Session, registry: Registry, slug: str) -> list[tuple[int, date, bool]]:
    """(version, effective date, stored in the database) for every known version, newest first."""
    current = registry.regulator(slug)
    stored = _stored_versions(session, slug)
    if current is None and not stored:
        raise NotFound(f"no regulator '{slug}'")
    versions = {v: (v, d, True) for v, d in stored.items()}
    if current is not None and current.rules_version not in versions:
        versions[current.rules_version] = (current.rules_version, current.effective_date, False)
    return [versions[v] for v in sorted(versions, reverse=True)]


def stored_versions(session: Session) -> int:
    """How many rules versions the database holds (for `fairtrack regulators sync` to report)."""
    return session.scalar(select(func.count()).select_from(RegulatorRules)) or 0
