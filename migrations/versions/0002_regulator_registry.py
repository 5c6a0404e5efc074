"""regulator registry: regulators, every rules version ever in force, assessors, syncs

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 07:15:35.722173
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import fairtrack.columns

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# JSONB on PostgreSQL, JSON elsewhere: the type of regulators.models.JSONDocument.
JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql')


def upgrade() -> None:
    op.create_table('assessors',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('acronym', sa.String(length=40), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.Column('name_fr', sa.String(length=255), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('document', JSON_DOCUMENT, nullable=False),
    sa.Column('updated_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    op.create_table('registry_syncs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('digest', sa.String(length=64), nullable=False),
    sa.Column('regulators_added', sa.Integer(), nullable=False),
    sa.Column('rules_versions_added', sa.Integer(), nullable=False),
    sa.Column('assessors_changed', sa.Integer(), nullable=False),
    sa.Column('synced_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('registry_syncs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_registry_syncs_digest'), ['digest'], unique=False)

    op.create_table('regulators',
    sa.Column('slug', sa.String(length=80), nullable=False),
    sa.Column('acronym', sa.String(length=40), nullable=False),
    sa.Column('sector', sa.String(length=20), nullable=False),
    sa.Column('name_en', sa.String(length=255), nullable=False),
    sa.Column('name_fr', sa.String(length=255), nullable=False),
    sa.Column('current_version', sa.Integer(), nullable=False),
    sa.Column('updated_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('slug')
    )
    with op.batch_alter_table('regulators', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_regulators_sector'), ['sector'], unique=False)

    op.create_table('regulator_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('regulator', sa.String(length=80), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('effective_date', sa.Date(), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('document', JSON_DOCUMENT, nullable=False),
    sa.Column('loaded_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['regulator'], ['regulators.slug'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('regulator', 'version', name='uq_regulator_rules_regulator_version')
    )
    with op.batch_alter_table('regulator_rules', schema=None) as batch_op:
        batch_op.create_index(
            'ix_regulator_rules_regulator_effective', ['regulator', 'effective_date'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('regulator_rules', schema=None) as batch_op:
        batch_op.drop_index('ix_regulator_rules_regulator_effective')

    op.drop_table('regulator_rules')
    with op.batch_alter_table('regulators', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_regulators_sector'))

    op.drop_table('regulators')
    with op.batch_alter_table('registry_syncs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_registry_syncs_digest'))

    op.drop_table('registry_syncs')
    op.drop_table('assessors')
