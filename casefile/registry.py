"""Loading the regulator registry's files into the database, as one unit of work: from the command
line, and at start-up when the files changed."""

import logging

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from fairtrack.database import unit_of_work
from regulators.models import RegistrySync
from regulators.registry import Registry
from regulators.service import stored_versions
from regulators.sync import SyncReport, sync_registry

log = logging.getLogger("fairtrack.regulators")


def sync(session: Session, registry: Registry) -> tuple[SyncReport, int]:
    """Store what the files add to the history; returns the report and the versions now stored.
    RegistryConflict when the files would rewrite the stored history."""
    with unit_of_work(session):
        report = sync_registry(session, registry)
        return report, stored_versions(session)


def sync_on_start(session: Session, registry: Registry) -> None:
    """At start-up, load the files when their digest differs from the last sync.

    A database not yet migrated is left alone (`fairtrack db upgrade` comes first); a conflict
    stops the start, since the rules in force would otherwise be wrong.
    """
    if not inspect(session.get_bind()).has_table(RegistrySync.__tablename__):
        log.warning("registry not synced: the database has no %s table; run `fairtrack db "
                    "upgrade`", RegistrySync.__tablename__)
        return
    report, _ = sync(session, registry)
    if report.changed:
        log.info("regulator registry synced: %s", report.summary())
