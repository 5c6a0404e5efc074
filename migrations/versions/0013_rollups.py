"""rollups: completed stage visits per regulator, stage and Ontario month and day (the timeliness
figures' histograms and sums) and the watermark of the scan that keeps them current

Revision ID: 0013_rollups
Revises: 0011_documents
Create Date: 2026-12-01 12:00:00.000000

Empty on upgrade: the first `fairtrack scan` (or `fairtrack demo`) reads every completed visit into
them; until then the figures count the visits themselves (oversight/rollups.py), the same answer,
more slowly. The downgrade drops them; nothing else refers to them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fairtrack.columns

revision: str = '0013_rollups'
down_revision: str | None = '0011_documents'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'timeliness_rollups',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('span', sa.String(length=5), nullable=False),
        sa.Column('regulator', sa.String(length=80), nullable=False),
        sa.Column('stage', sa.String(length=40), nullable=False),
        sa.Column('starts_on', sa.Date(), nullable=False),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('business_days', fairtrack.columns.JSONDocument, nullable=False),
        sa.Column('standard_days', sa.Integer(), nullable=True),
        sa.Column('standard_business', sa.Integer(), nullable=True),
        sa.Column('standard_is_default', sa.Integer(), nullable=True),
        sa.Column('judged', sa.Integer(), nullable=False),
        sa.Column('over', sa.Integer(), nullable=False),
        sa.Column('attributable_business_days', sa.Integer(), nullable=False),
        sa.Column('attributable_business_days_as_recorded', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('span', 'regulator', 'stage', 'starts_on',
                            name='uq_timeliness_rollups_key'),
    )
    op.create_table(
        'rollup_watermarks',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('last_id', sa.Integer(), nullable=False),
        sa.Column('refreshed_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('name'),
    )


def downgrade() -> None:
    op.drop_table('rollup_watermarks')
    op.drop_table('timeliness_rollups')
