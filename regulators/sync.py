"""Loading the validated data files into the database: idempotent, append-only for rules versions.

A stored rules version is part of the record (applications point at it), so it never changes: new
rules need a new `rules_version`. A sync that would rewrite history is refused, naming the file.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select, text
from sqlalchemy.orm import Session
from sqlmodel import col

from fairtrack.columns import utcnow
from regulators.files import Regulator
from regulators.models import AssessorRecord, RegistrySync, RegulatorRecord, RegulatorRules
from regulators.registry import (
    Registry,
    RegistryError,
    as_current_schema,
    content_hash,
    document_of,
)
from regulators.service import forget_rules

# Any constant will do: it only has to be the same for every process syncing this database.
_SYNC_LOCK_KEY = 0x4654_5245_4753


class RegistryConflict(RegistryError):
    """The files disagree with the history in the database; the message names file and field."""


@dataclass
class SyncReport:
    digest: str
    changed: bool = False
    regulators_added: list[str] = field(default_factory=list)
    rules_versions_added: list[str] = field(default_factory=list)  # "cno v2"
    assessors_changed: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if not self.changed:
            return f"registry unchanged (digest {self.digest[:12]}); nothing written"
        return (
            f"{len(self.regulators_added)} regulators added, "
            f"{len(self.rules_versions_added)} rules versions added, "
            f"{len(self.assessors_changed)} assessors added or updated "
            f"(digest {self.digest[:12]})"
        )


@dataclass(frozen=True)
class _Stored:
    version: int
    effective_date: date
    content_hash: str
    # The same content read through today's schema (retired keys dropped, new fields at their
    # defaults): a version stored before a schema change is the same version as its unchanged
    # file, not a change needing a new rules_version.
    current_hash: str


def _lock(session: Session) -> None:
    """One sync at a time: on SQLite the writer's BEGIN IMMEDIATE already serializes them."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _SYNC_LOCK_KEY})


def _history(session: Session) -> dict[str, dict[int, _Stored]]:
    history: dict[str, dict[int, _Stored]] = {}
    for rules in session.scalars(select(RegulatorRules)):
        current = content_hash(as_current_schema(rules.document))
        history.setdefault(rules.regulator, {})[rules.version] = _Stored(
            rules.version, rules.effective_date, rules.content_hash, current
        )
    return history


def _conflicts(regulator: Regulator, stored: dict[int, _Stored], digest: str) -> list[str]:
    """Why this file's version cannot be stored beside the history (empty when it can)."""
    name = f"{regulator.slug}.toml"
    same = stored.get(regulator.rules_version)
    if same is not None:
        if digest not in (same.content_hash, same.current_hash):
            return [
                f"{name}: field 'rules_version': version {regulator.rules_version} is already "
                "stored with other content; a change needs a new rules_version and effective_date"
            ]
        return []
    if not stored:
        return []
    latest = stored[max(stored)]
    if regulator.rules_version < latest.version:
        return [f"{name}: field 'rules_version': {regulator.rules_version} is older than the "
                f"stored version {latest.version}; versions only go up"]
    if regulator.effective_date < latest.effective_date:
        return [f"{name}: field 'effective_date': {regulator.effective_date} is before version "
                f"{latest.version}'s ({latest.effective_date}); a new version cannot start earlier"]
    return []


def sync_registry(session: Session, registry: Registry, now: datetime | None = None) -> SyncReport:
    """Store what the files add to the history; nothing when the digest was synced already."""
    now = now or utcnow()
    _lock(session)
    report = SyncReport(digest=registry.digest())
    last = session.scalars(
        select(col(RegistrySync.digest)).order_by(col(RegistrySync.id).desc()).limit(1)
    )
    if last.first() == report.digest:
        return report
    history = _history(session)
    documents = {slug: document_of(r) for slug, r in registry.regulators.items()}
    hashes = {slug: content_hash(doc) for slug, doc in documents.items()}
    problems = [
        problem
        for slug, regulator in sorted(registry.regulators.items())
        for problem in _conflicts(regulator, history.get(slug, {}), hashes[slug])
    ]
    if problems:
        raise RegistryConflict("; ".join(problems))
    for slug, regulator in sorted(registry.regulators.items()):
        stored = history.get(slug, {})
        if regulator.rules_version in stored:
            continue
        record = session.get(RegulatorRecord, slug)
        if record is None:
            record = RegulatorRecord(slug=slug, current_version=0, acronym="", sector="",
                                     name_en="", name_fr="", updated_at=now)
            session.add(record)
            report.regulators_added.append(slug)
        if regulator.rules_version > record.current_version:
            record.current_version = regulator.rules_version
            record.acronym = regulator.acronym
            record.sector = regulator.sector.value
            record.name_en, record.name_fr = regulator.name.en, regulator.name.fr
            record.updated_at = now
        session.flush()
        session.add(RegulatorRules(
            regulator=slug, version=regulator.rules_version,
            effective_date=regulator.effective_date, content_hash=hashes[slug],
            document=documents[slug], loaded_at=now,
        ))
        report.rules_versions_added.append(f"{slug} v{regulator.rules_version}")
        forget_rules()
    for slug, assessor in sorted(registry.assessors.items()):
        document = document_of(assessor)
        digest = content_hash(document)
        existing = session.get(AssessorRecord, slug)
        if existing is not None and existing.content_hash == digest:
            continue
        if existing is None:
            existing = AssessorRecord(slug=slug, acronym="", name_en="", name_fr="",
                                      content_hash="", document={}, updated_at=now)
            session.add(existing)
        existing.acronym = assessor.acronym
        existing.name_en, existing.name_fr = assessor.name.en, assessor.name.fr
        existing.content_hash, existing.document, existing.updated_at = digest, document, now
        report.assessors_changed.append(slug)
    report.changed = True
    session.add(RegistrySync(
        digest=report.digest,
        regulators_added=len(report.regulators_added),
        rules_versions_added=len(report.rules_versions_added),
        assessors_changed=len(report.assessors_changed),
        synced_at=now,
    ))
    session.flush()
    return report
