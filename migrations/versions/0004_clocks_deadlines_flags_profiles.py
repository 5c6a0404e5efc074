"""clocks, deadlines and fairness flags: the deadlines table, flags, applicant profiles

Revision ID: 0004
Revises: 0003_access
Create Date: 2026-11-25 07:20:16.963669
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


import fairtrack.columns
from sqlalchemy.dialects import postgresql
revision: str = '0004'
down_revision: str | None = '0003_access'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table('applicant_profiles',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('immigration_status', sa.String(length=30), nullable=True),
    sa.Column('country_of_education', sa.String(length=2), nullable=True),
    sa.Column('started_before_arrival', sa.Boolean(), nullable=True),
    sa.Column('arrival_date', sa.Date(), nullable=True),
    sa.Column('language_test', sa.String(length=40), nullable=True),
    sa.Column('updated_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id')
    )
    with op.batch_alter_table('applicant_profiles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applicant_profiles_immigration_status'), ['immigration_status'], unique=False)

    op.create_table('deadlines',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('party', sa.String(length=20), nullable=False),
    sa.Column('days', sa.Integer(), nullable=False),
    sa.Column('counting', sa.String(length=20), nullable=False),
    sa.Column('legal_basis', sa.String(length=500), nullable=False),
    sa.Column('to_verify', sa.String(length=500), nullable=True),
    sa.Column('is_default', sa.Boolean(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('paused_on', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('opened_seq', sa.Integer(), nullable=False),
    sa.Column('closed_seq', sa.Integer(), nullable=True),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.create_index('ix_deadlines_application_status', ['application_id', 'status'], unique=False)
        batch_op.create_index('ix_deadlines_status_due', ['status', 'due_on'], unique=False)

    op.create_table('flags',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('regulator', sa.String(length=80), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('occurrence', sa.String(length=80), nullable=False),
    sa.Column('severity', sa.String(length=10), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('evidence', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('raised_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('acknowledged_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('acknowledged_by', sa.Integer(), nullable=True),
    sa.Column('resolved_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('resolved_by', sa.Integer(), nullable=True),
    sa.Column('note', sa.String(length=5000), nullable=True),
    sa.ForeignKeyConstraint(['acknowledged_by'], ['users.id'], ),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ),
    sa.ForeignKeyConstraint(['resolved_by'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id', 'kind', 'occurrence', name='uq_flags_occurrence')
    )
    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.create_index('ix_flags_regulator_status', ['regulator', 'status'], unique=False)
        batch_op.create_index('ix_flags_status_kind', ['status', 'kind'], unique=False)




def downgrade() -> None:

    with op.batch_alter_table('flags', schema=None) as batch_op:
        batch_op.drop_index('ix_flags_status_kind')
        batch_op.drop_index('ix_flags_regulator_status')

    op.drop_table('flags')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_index('ix_deadlines_status_due')
        batch_op.drop_index('ix_deadlines_application_status')

    op.drop_table('deadlines')
    with op.batch_alter_table('applicant_profiles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applicant_profiles_immigration_status'))

    op.drop_table('applicant_profiles')

