"""outcome rollups: one row per closed application (regulator, applicant, licensed, days to licence,
the stages reached), read by the outcome figures, and its first build

Revision ID: 0015_outcome_rollups
Revises: 0014_flag_history
Create Date: 2026-12-01 15:00:00.000000

The upgrade builds the rollup from every closed application (one INSERT ... SELECT in the
database; on PostgreSQL under a SHARE lock on stage_intervals, which holds the writes back while it
runs: a minute or two at a million applications) and sets the watermark 'outcomes'. Were it
skipped, the figures would still be exact (oversight/outcome_rollups.py computes the applications
above the watermark on the fly), only slower until the first `fairtrack scan`. The downgrade drops
the table and the watermark; nothing else refers to them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fairtrack.columns
from fairtrack.columns import utcnow
from oversight.outcome_rollups import WATERMARK, build, lock_and_top

revision: str = '0015_outcome_rollups'
down_revision: str | None = '0014_flag_history'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'outcome_rollups',
        sa.Column('application_id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('regulator', sa.String(length=80), nullable=False),
        sa.Column('applicant_id', sa.Integer(), nullable=False),
        sa.Column('licensed', sa.Integer(), nullable=False),
        sa.Column('days', sa.Float(), nullable=True),
        sa.Column('stages', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('application_id'),
    )
    op.create_index('ix_outcome_rollups_regulator', 'outcome_rollups', ['regulator'])
    # The first build, in the migration's transaction.
    connection = op.get_bind()
    top = lock_and_top(connection)
    build(connection)
    watermarks = sa.table(
        'rollup_watermarks', sa.column('name', sa.String), sa.column('last_id', sa.Integer),
        sa.column('refreshed_at', fairtrack.columns.UTCDateTime),
    )
    connection.execute(sa.delete(watermarks).where(watermarks.c.name == WATERMARK))
    connection.execute(sa.insert(watermarks).values(name=WATERMARK, last_id=top,
                                                    refreshed_at=utcnow()))


def downgrade() -> None:
    op.execute(f"DELETE FROM rollup_watermarks WHERE name = '{WATERMARK}'")  # noqa: S608
    op.drop_index('ix_outcome_rollups_regulator', table_name='outcome_rollups')
    op.drop_table('outcome_rollups')
