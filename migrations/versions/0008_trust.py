"""trust: every fact of an application in its hash chain (events.changes), with every chain and its
head recomputed; page sessions kept server side; throttles shared by every server process

Revision ID: 0008_trust
Revises: 0007_law
Create Date: 2026-12-01 09:00:00.000000

The first event of every application now states, under its hash, the facts the application was
opened with (applicant, regulator, licence class, assessor, health route, rules version), and each
submission the rules version it fixed. For the applications already stored, this migration writes
those facts from the rows as they are now (the rules version of a submitted application is the one
its submission fixed: the one at opening was not kept) and recomputes every event's hash, every
chain's head, and so every daily head. Day heads exported before this migration no longer match:
check the log against them with `fairtrack verify --heads` BEFORE upgrading, then export them again
(`fairtrack verify --export-heads`) and hand the new file to the auditors. The downgrade recomputes
the chains without the facts, which gives back the hashes from before the upgrade.
"""

import hashlib
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

import fairtrack.columns

revision: str = '0008_trust'
down_revision: str | None = '0007_law'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 2000
# Spelled out as they were when this was written (workflow/ledger.py, law/road.py): a migration
# keeps meaning what it meant.
GENESIS_HASH = "0" * 64
FACTS = ("applicant_id", "regulator", "licence_class", "assessor", "health_route", "rules_version")
FIXES_RULES_VERSION = "submit"

applications = sa.table(
    'applications', sa.column('id', sa.Integer()), sa.column('applicant_id', sa.Integer()),
    sa.column('regulator', sa.String()), sa.column('licence_class', sa.String()),
    sa.column('assessor', sa.String()), sa.column('health_route', sa.Boolean()),
    sa.column('rules_version', sa.Integer()), sa.column('head_hash', sa.String()),
)


def _events(with_changes: bool) -> sa.TableClause:
    columns = [
        sa.column('id', sa.Integer()), sa.column('application_id', sa.Integer()),
        sa.column('seq', sa.Integer()), sa.column('trigger', sa.String()),
        sa.column('outcome', sa.String()), sa.column('from_state', sa.String()),
        sa.column('to_state', sa.String()), sa.column('actor_id', sa.Integer()),
        sa.column('actor_role', sa.String()), sa.column('actor_org', sa.String()),
        sa.column('occurred_at', fairtrack.columns.UTCDateTime(timezone=True)),
        sa.column('recorded_at', fairtrack.columns.UTCDateTime(timezone=True)),
        sa.column('payload', fairtrack.columns.JSONDocument),
        sa.column('prev_hash', sa.String()), sa.column('hash', sa.String()),
    ]
    if with_changes:
        columns.append(sa.column('changes', fairtrack.columns.JSONDocument))
    return sa.table('events', *columns)


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _content(event: Any, changes: dict[str, Any] | None) -> dict[str, Any]:
    content = {
        "application_id": event.application_id, "seq": event.seq, "trigger": event.trigger,
        "outcome": event.outcome, "from_state": event.from_state, "to_state": event.to_state,
        "actor": {"id": event.actor_id, "role": event.actor_role, "organization": event.actor_org},
        "occurred_at": _time(event.occurred_at), "recorded_at": _time(event.recorded_at),
        "payload": event.payload,
    }
    if changes is not None:  # the content from this revision on
        content["changes"] = changes
    return content


def _hash(prev_hash: str, content: dict[str, Any]) -> str:
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def _application_batches(bind: sa.Connection) -> Iterator[list[Any]]:
    last = 0
    while True:
        rows = bind.execute(sa.select(applications).where(applications.c.id > last)
                            .order_by(applications.c.id).limit(BATCH)).all()
        if not rows:
            return
        yield rows
        last = rows[-1].id


def _rechain(with_changes: bool) -> None:
    """Every chain again: with the facts stated (upgrade) or without them (downgrade)."""
    bind = op.get_bind()
    events = _events(with_changes)
    for batch in _application_batches(bind):
        by_id = {row.id: row for row in batch}
        updates: list[dict[str, Any]] = []
        heads: list[dict[str, Any]] = []
        current, prev_hash = None, GENESIS_HASH
        rows = bind.execute(sa.select(events).where(events.c.application_id.in_(list(by_id)))
                            .order_by(events.c.application_id, events.c.seq)).all()
        for event in rows:
            if event.application_id != current:
                if current is not None:
                    heads.append({'app_id': current, 'head': prev_hash})
                current, prev_hash = event.application_id, GENESIS_HASH
            changes: dict[str, Any] | None = None
            if with_changes:
                application = by_id[event.application_id]
                changes = ({name: getattr(application, name) for name in FACTS} if event.seq == 1
                           else {"rules_version": application.rules_version}
                           if event.trigger == FIXES_RULES_VERSION else {})
            digest = _hash(prev_hash, _content(event, changes))
            update = {'event_id': event.id, 'prev': prev_hash, 'digest': digest}
            if with_changes:
                update['facts'] = changes
            updates.append(update)
            prev_hash = digest
        if current is not None:
            heads.append({'app_id': current, 'head': prev_hash})
        values: dict[str, Any] = {'prev_hash': sa.bindparam('prev'), 'hash': sa.bindparam('digest')}
        if with_changes:
            values['changes'] = sa.bindparam('facts', type_=fairtrack.columns.JSONDocument)
        if updates:
            bind.execute(events.update().where(events.c.id == sa.bindparam('event_id'))
                         .values(**values), updates)
        if heads:
            bind.execute(applications.update().where(applications.c.id == sa.bindparam('app_id'))
                         .values(head_hash=sa.bindparam('head')), heads)


def upgrade() -> None:
    op.create_table(
        'page_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('created_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('revoked_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index(op.f('ix_page_sessions_token_hash'), 'page_sessions', ['token_hash'], unique=True)
    op.create_index(op.f('ix_page_sessions_user_id'), 'page_sessions', ['user_id'], unique=False)
    op.create_table(
        'throttles',
        sa.Column('key', sa.String(length=64), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('window_started_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('blocked_until', fairtrack.columns.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('key'),
    )
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('changes', fairtrack.columns.JSONDocument, nullable=False,
                                      server_default=sa.text("'{}'")))
    _rechain(with_changes=True)


def downgrade() -> None:
    _rechain(with_changes=False)
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_column('changes')
    op.drop_table('throttles')
    op.drop_index(op.f('ix_page_sessions_user_id'), table_name='page_sessions')
    op.drop_index(op.f('ix_page_sessions_token_hash'), table_name='page_sessions')
    op.drop_table('page_sessions')
