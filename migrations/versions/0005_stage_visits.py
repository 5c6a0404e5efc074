"""stage visits: the stored projection timeliness and expectations read, filled from stage intervals

Revision ID: 0005_visits
Revises: 0004
Create Date: 2026-11-25 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fairtrack.columns

revision: str = '0005_visits'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The visits the intervals already stored make (workflow/visits.py's fold, in SQL): a visit starts
# where the stage differs from the previous interval's; it has ended when all its intervals have.
FILL = """
    INSERT INTO stage_visits (application_id, regulator, seq, stage, entered_at, exited_at,
                              calendar_days, business_days, attributable_calendar_days,
                              attributable_business_days)
    SELECT application_id, MIN(regulator), MIN(seq), stage, MIN(entered_at),
           CASE WHEN COUNT(exited_at) = COUNT(*) THEN MAX(exited_at) END,
           COALESCE(SUM(calendar_days), 0), COALESCE(SUM(business_days), 0),
           COALESCE(SUM(CASE WHEN clock <> 'applicant' THEN calendar_days END), 0),
           COALESCE(SUM(CASE WHEN clock <> 'applicant' THEN business_days END), 0)
    FROM (
        SELECT marked.*, SUM(starts) OVER (PARTITION BY application_id ORDER BY seq) AS visit
        FROM (
            SELECT application_id, regulator, stage, clock, seq, entered_at, exited_at,
                   business_days, calendar_days,
                   CASE WHEN LAG(stage) OVER (PARTITION BY application_id ORDER BY seq) = stage
                        THEN 0 ELSE 1 END AS starts
            FROM stage_intervals
        ) AS marked
    ) AS numbered
    GROUP BY application_id, stage, visit
"""


def upgrade() -> None:
    op.create_table('stage_visits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('regulator', sa.String(length=80), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('entered_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('exited_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('calendar_days', sa.Integer(), nullable=False),
    sa.Column('business_days', sa.Integer(), nullable=False),
    sa.Column('attributable_calendar_days', sa.Integer(), nullable=False),
    sa.Column('attributable_business_days', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id', 'seq', name='uq_stage_visits_application_seq')
    )
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.create_index('ix_stage_visits_exited_stage', ['exited_at', 'stage'], unique=False)
        batch_op.create_index('ix_stage_visits_regulator_stage', ['regulator', 'stage', 'exited_at'], unique=False)
    op.execute(FILL)


def downgrade() -> None:
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_visits_regulator_stage')
        batch_op.drop_index('ix_stage_visits_exited_stage')

    op.drop_table('stage_visits')
