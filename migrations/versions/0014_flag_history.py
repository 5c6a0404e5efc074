"""flag history: one row per action on a flag (raised, severity raised, acknowledged, resolved)

Revision ID: 0014_flag_history
Revises: 0012_write_path
Create Date: 2026-12-01 15:00:00.000000

Until now a flag kept only its latest step (acknowledged_at/by, resolved_at/by, one note). The
upgrade writes the history those columns still tell, in the order it happened: a `raised` row at
raised_at (by FairTrack; at the flag's current severity, the severity it was raised at being no
longer known), an `acknowledged` row when acknowledged_at is set (with the note if the flag is not
resolved: a resolution replaced the acknowledgement's note), a `resolved` row with the note when
resolved_at is set. The downgrade drops the table; the flags keep their columns.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fairtrack.columns

revision: str = '0014_flag_history'
down_revision: str | None = '0012_write_path'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "flag_id, action, actor_id, at, from_status, to_status, from_severity, to_severity, note"


def upgrade() -> None:
    op.create_table(
        'flag_actions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('flag_id', sa.Integer(), nullable=False),
        sa.Column('action', sa.String(length=20), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.Column('from_status', sa.String(length=20), nullable=True),
        sa.Column('to_status', sa.String(length=20), nullable=False),
        sa.Column('from_severity', sa.String(length=10), nullable=True),
        sa.Column('to_severity', sa.String(length=10), nullable=False),
        sa.Column('note', sa.String(length=5000), nullable=True),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id']),
        sa.ForeignKeyConstraint(['flag_id'], ['flags.id']),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_flag_actions_flag_at', 'flag_actions', ['flag_id', 'at'], unique=False)
    # The history the flags' columns tell, one statement per kind of step, in the order they
    # happen (ids follow it for steps at the same instant).
    op.execute(
        f"INSERT INTO flag_actions ({COLUMNS}) "
        "SELECT id, 'raised', NULL, raised_at, NULL, 'open', NULL, severity, NULL "
        "FROM flags ORDER BY id"
    )
    op.execute(
        f"INSERT INTO flag_actions ({COLUMNS}) "
        "SELECT id, 'acknowledged', acknowledged_by, acknowledged_at, 'open', 'acknowledged', "
        "severity, severity, CASE WHEN resolved_at IS NULL THEN note END "
        "FROM flags WHERE acknowledged_at IS NOT NULL ORDER BY id"
    )
    op.execute(
        f"INSERT INTO flag_actions ({COLUMNS}) "
        "SELECT id, 'resolved', resolved_by, resolved_at, "
        "CASE WHEN acknowledged_at IS NULL THEN 'open' ELSE 'acknowledged' END, 'resolved', "
        "severity, severity, note "
        "FROM flags WHERE resolved_at IS NOT NULL ORDER BY id"
    )


def downgrade() -> None:
    op.drop_index('ix_flag_actions_flag_at', table_name='flag_actions')
    op.drop_table('flag_actions')
