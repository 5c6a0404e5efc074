"""write path: the expected time at each regulator's stage kept by the scan (stage_expectations)

Revision ID: 0012_write_path
Revises: 0013_rollups
Create Date: 2026-12-01 12:30:00.000000

Each GET of an application used to recompute the percentiles of a year of visits to its stage; the
scan now keeps them here, per regulator and stage. Empty until the first scan: until then (and
when the last scan is over a day old) the read computes them as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fairtrack.columns

revision: str = '0012_write_path'
down_revision: str | None = '0013_rollups'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'stage_expectations',
        sa.Column('regulator', sa.String(length=80), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=False),
        sa.Column('visits', sa.Integer(), nullable=False),
        sa.Column('p50_calendar_days', sa.Float(), nullable=True),
        sa.Column('p80_calendar_days', sa.Float(), nullable=True),
        sa.Column('computed_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('regulator', 'stage'),
    )


def downgrade() -> None:
    op.drop_table('stage_expectations')
