"""create the licensure road

Revision ID: 0001
Revises:
Create Date: 2026-11-25 07:07:07.341800
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from sqlalchemy.dialects import postgresql

import fairtrack.columns

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.Column('organization', sa.String(length=80), nullable=True),
    sa.Column('preferred_language', sa.String(length=2), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_users_email'), ['email'], unique=True)
        batch_op.create_index(batch_op.f('ix_users_organization'), ['organization'], unique=False)

    op.create_table('applications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('applicant_id', sa.Integer(), nullable=False),
    sa.Column('regulator', sa.String(length=80), nullable=False),
    sa.Column('licence_class', sa.String(length=80), nullable=False),
    sa.Column('assessor', sa.String(length=80), nullable=True),
    sa.Column('health_route', sa.Boolean(), nullable=False),
    sa.Column('rules_version', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('decided_by_committee', sa.Boolean(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('head_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['applicant_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_applications_applicant_id'), ['applicant_id'], unique=False)
        batch_op.create_index('ix_applications_assessor_state', ['assessor', 'state'], unique=False)
        batch_op.create_index('ix_applications_regulator_state', ['regulator', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_applications_state'), ['state'], unique=False)

    op.create_table('idempotency_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=255), nullable=False),
    sa.Column('request_hash', sa.String(length=64), nullable=False),
    sa.Column('status_code', sa.Integer(), nullable=False),
    sa.Column('response', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('created_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'key', name='uq_idempotency_user_key')
    )
    op.create_table('events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('trigger', sa.String(length=40), nullable=False),
    sa.Column('outcome', sa.String(length=40), nullable=True),
    sa.Column('from_state', sa.String(length=40), nullable=True),
    sa.Column('to_state', sa.String(length=40), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('actor_role', sa.String(length=20), nullable=False),
    sa.Column('actor_org', sa.String(length=80), nullable=True),
    sa.Column('occurred_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('recorded_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('payload', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('prev_hash', sa.String(length=64), nullable=False),
    sa.Column('hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], ),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id', 'seq', name='uq_events_application_seq')
    )
    op.create_table('stage_intervals',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('application_id', sa.Integer(), nullable=False),
    sa.Column('regulator', sa.String(length=80), nullable=False),
    sa.Column('seq', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=40), nullable=False),
    sa.Column('stage', sa.String(length=40), nullable=False),
    sa.Column('clock', sa.String(length=20), nullable=False),
    sa.Column('entered_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.Column('exited_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=True),
    sa.Column('calendar_days', sa.Integer(), nullable=True),
    sa.Column('business_days', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['application_id'], ['applications.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('application_id', 'seq', name='uq_stage_intervals_application_seq')
    )
    with op.batch_alter_table('stage_intervals', schema=None) as batch_op:
        batch_op.create_index('ix_stage_intervals_regulator_stage', ['regulator', 'stage', 'exited_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('stage_intervals', schema=None) as batch_op:
        batch_op.drop_index('ix_stage_intervals_regulator_stage')

    op.drop_table('stage_intervals')
    op.drop_table('events')
    op.drop_table('idempotency_records')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_applications_state'))
        batch_op.drop_index('ix_applications_regulator_state')
        batch_op.drop_index('ix_applications_assessor_state')
        batch_op.drop_index(batch_op.f('ix_applications_applicant_id'))

    op.drop_table('applications')
    with op.batch_alter_table('users', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_users_organization'))
        batch_op.drop_index(batch_op.f('ix_users_email'))

    op.drop_table('users')
