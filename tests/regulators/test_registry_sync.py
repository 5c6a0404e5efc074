"""Loading the registry into the database, and the rules version that governs each application."""

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from accounts.actor import Actor
from accounts.models import User
from api.app import create_app
from casefile.applications import apply_event, create_application
from cli.main import app as cli
from fairtrack.database import transaction
from fairtrack.settings import Settings, get_settings
from law.road import Role
from law.standards import StandardStage
from regulators.models import AssessorRecord, RegistrySync, RegulatorRecord, RegulatorRules
from regulators.registry import DATA_DIR, Registry, content_hash, load_registry
from regulators.service import rules_of, rules_version_in_force
from regulators.sync import RegistryConflict, sync_registry
from workflow.models import Application
from workflow.schemas import ApplicationCreate, EventRequest

PEO_V1 = '{ stage = "regulator_review", published = false },'
# A made-up published figure, for this scenario only: the shipped files publish none.
PEO_V2 = ('{ stage = "regulator_review", published = true, days = 45, counting = "business", '
          'source = "test scenario: a standard published by the regulator" },')


def _count(session: Session, table: type) -> int:
    return session.scalar(select(func.count()).select_from(table)) or 0


def _copy(tmp_path: Path) -> Path:
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


def _new_peo_version(data: Path, version: int, effective: str, review: str = PEO_V2) -> Registry:
    """Edit PEO's file as a reviewer would: a changed standard, a new version and date."""
    path = data / "peo.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace(PEO_V1, review)
    lines = [
        f"rules_version = {version}" if line.startswith("rules_version =")
        else f"effective_date = {effective}" if line.startswith("effective_date =")
        else line
        for line in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_registry(data)


def test_sync_loads_every_file_once_and_a_second_run_changes_nothing(
    sessions: sessionmaker[Session], registry: Registry
) -> None:
    with transaction(sessions) as session:
        first = sync_registry(session, registry)
    assert first.changed and len(first.regulators_added) == 42
    assert len(first.rules_versions_added) == 42 and len(first.assessors_changed) == 8
    with transaction(sessions) as session:
        second = sync_registry(session, registry)
    assert not second.changed and "nothing written" in second.summary()
    with sessions() as session:
        assert _count(session, RegulatorRecord) == 42
        assert _count(session, RegulatorRules) == 42
        assert _count(session, AssessorRecord) == 8
        assert _count(session, RegistrySync) == 1
        cno = session.get(RegulatorRecord, "cno")
        assert cno is not None and cno.current_version == 1 and cno.sector == "health"
        # The stored document gives back exactly the validated file.
        assert rules_of(session, registry, "cno", 1) == registry.regulators["cno"]


def test_a_changed_file_without_a_new_version_is_refused_naming_it(
    sessions: sessionmaker[Session], registry: Registry, tmp_path: Path
) -> None:
    with transaction(sessions) as session:
        sync_registry(session, registry)
    data = _copy(tmp_path)
    edited = _new_peo_version(data, version=1, effective="2024-01-01")
    with pytest.raises(RegistryConflict, match=r"peo.toml: field 'rules_version'"), \
            transaction(sessions) as session:
        sync_registry(session, edited)
    backwards = _new_peo_version(_copy(tmp_path / "again"), version=2, effective="2023-06-01")
    with pytest.raises(RegistryConflict, match=r"peo.toml: field 'effective_date'"), \
            transaction(sessions) as session:
        sync_registry(session, backwards)
    with sessions() as session:
        assert _count(session, RegulatorRules) == 42  # nothing written by the refused syncs


def _applicant(session: Session) -> Actor:
    user = User(email="engineer@example.test", password_hash="!", role="applicant")
    session.add(user)
    session.flush()
    assert user.id is not None
    return Actor(user_id=user.id, role=Role.applicant)


def _open(session: Session, actor: Actor, registry: Registry, on: datetime) -> Application:
    return create_application(
        session, actor, registry, ApplicationCreate(regulator="peo", licence_class="p-eng"), now=on
    )


def _submit(session: Session, actor: Actor, registry: Registry, app: Application,
            on: datetime) -> Application:
    request = EventRequest(trigger="submit", expected_version=app.version, occurred_at=on,
                           backdated_because="a submission on a past date, for the test")
    return apply_event(session, actor, registry, app.reference, request)[0]


def _day(year: int, month: int, day: int) -> datetime:
    return datetime(year, month, day, 14, tzinfo=UTC)  # mid-morning in Toronto


def test_the_rules_version_in_force_when_submitted_governs_the_application(
    sessions: sessionmaker[Session], registry: Registry, tmp_path: Path
) -> None:
    v1 = registry
    with transaction(sessions) as session:
        sync_registry(session, v1)
        engineer = _applicant(session)
        old = _open(session, engineer, v1, _day(2024, 6, 3))
        old = _submit(session, engineer, v1, old, _day(2024, 6, 4))
        draft = _open(session, engineer, v1, _day(2024, 11, 1))
        late = _open(session, engineer, v1, _day(2024, 12, 2))
    assert (old.rules_version, draft.rules_version) == (1, 1)

    v2 = _new_peo_version(_copy(tmp_path), version=2, effective="2025-01-01")
    with transaction(sessions) as session:
        report = sync_registry(session, v2)
        assert report.rules_versions_added == ["peo v2"] and report.regulators_added == []
        new = _open(session, engineer, v2, _day(2025, 2, 3))
        new = _submit(session, engineer, v2, new, _day(2025, 2, 4))
        draft = _submit(session, engineer, v2, draft, _day(2025, 1, 6))
        # Recorded only now, but submitted before version 2 took effect: version 1 governs it.
        late = _submit(session, engineer, v2, late, _day(2024, 12, 31))
    assert new.rules_version == 2
    assert draft.rules_version == 2  # opened under version 1, submitted under version 2
    assert late.rules_version == 1

    with sessions() as session:
        assert session.get(Application, old.id).rules_version == 1  # type: ignore[union-attr]
        old_review = rules_of(session, v2, "peo", 1).standard(StandardStage.regulator_review)
        new_review = rules_of(session, v2, "peo", 2).standard(StandardStage.regulator_review)
        assert old_review is not None and (old_review.days, old_review.is_default) == (60, True)
        assert new_review is not None and (new_review.days, new_review.is_default) == (45, False)
    # Announced ahead: a version effective later does not govern what is submitted before then.
    v3 = _new_peo_version(_copy(tmp_path / "v3"), version=3, effective="2099-01-01")
    with transaction(sessions) as session:
        sync_registry(session, v3)
        assert rules_version_in_force(session, v3, "peo", date(2026, 1, 1)) == 2
        assert rules_version_in_force(session, v3, "peo", date(2099, 1, 1)) == 3
        assert rules_version_in_force(session, v3, "peo", date(2020, 1, 1)) == 1  # earliest known


def test_the_api_shows_each_version_and_the_standards_it_holds_applications_to(
    sessions: sessionmaker[Session], registry: Registry, client: TestClient, tmp_path: Path
) -> None:
    with transaction(sessions) as session:
        sync_registry(session, registry)
        sync_registry(session, _new_peo_version(_copy(tmp_path), version=2, effective="2025-01-01"))
    history = client.get("/api/v1/regulators/peo/rules").json()
    assert [(v["version"], v["stored"]) for v in history["versions"]] == [(2, True), (1, True)]
    for version, days, default in ((1, 60, True), (2, 45, False)):
        rules = client.get(f"/api/v1/regulators/peo/rules/{version}").json()
        review = next(s for s in rules["service_standards"] if s["stage"] == "regulator_review")
        assert (rules["rules_version"], review["days"], review["is_default"]) == (
            version, days, default)
    missing = client.get("/api/v1/regulators/peo/rules/9")
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


def test_cli_sync_is_idempotent_and_says_so(
    sessions: sessionmaker[Session], database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FAIRTRACK_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        runner = CliRunner()
        first = runner.invoke(cli, ["regulators", "sync"])
        assert first.exit_code == 0, first.output
        assert "42 regulators added, 42 rules versions added" in first.output
        second = runner.invoke(cli, ["regulators", "sync"])
        assert second.exit_code == 0 and "nothing written" in second.output
    finally:
        get_settings.cache_clear()
    with sessions() as session:
        assert _count(session, RegulatorRules) == 42 and _count(session, RegistrySync) == 1


def test_start_up_syncs_only_when_the_files_changed(
    sessions: sessionmaker[Session], database_url: str
) -> None:
    settings = Settings(database_url=database_url, secret_key=SecretStr("x" * 40))
    for _ in range(2):
        app = create_app(settings)
        app.state.engine.dispose()
    with sessions() as session:
        assert _count(session, RegulatorRules) == 42
        assert _count(session, RegistrySync) == 1  # the second start found the same digest



def test_versions_stored_with_the_old_copy_of_the_windows_still_read_and_sync_unchanged(
    sessions: sessionmaker[Session], registry: Registry
) -> None:
    """Stored documents once carried `statutory_windows` (counting "calendar", never used): the
    files without them are the same versions, and the stored ones still read."""
    with transaction(sessions) as session:
        sync_registry(session, registry, now=datetime(2026, 1, 1, tzinfo=UTC))
        for row in session.scalars(select(RegulatorRules)):  # as stored before the windows left
            row.document = {**row.document, "statutory_windows": [
                {"window": "appeal_board_request", "days": 30, "counting": "calendar",
                 "runs_from": "receipt", "citation": "Code", "to_verify": None}]}
            row.content_hash = content_hash(row.document)
        session.add(RegistrySync(digest="before the windows left", regulators_added=0,
                                 rules_versions_added=0, assessors_changed=0,
                                 synced_at=datetime(2026, 1, 2, tzinfo=UTC)))
    with sessions() as session:
        assert rules_of(session, Registry({}, {}), "cno", 1).slug == "cno"
    with transaction(sessions) as session:
        assert sync_registry(session, registry).rules_versions_added == []
