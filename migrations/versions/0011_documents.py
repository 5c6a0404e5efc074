"""documents: the decision letters, kept byte for byte beside the events whose payload holds their
SHA-256 (the hash chain covers the letter through it)

Revision ID: 0011_documents
Revises: 0009_integrations
Create Date: 2026-12-01 12:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import fairtrack.columns

revision: str = '0011_documents'
down_revision: str | None = '0009_integrations'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'decision_letters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('application_id', sa.Integer(), nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('lang', sa.String(length=5), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('created_at', fairtrack.columns.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['application_id'], ['applications.id']),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('application_id', 'seq', name='uq_decision_letters_application_seq'),
    )


def downgrade() -> None:
    op.drop_table('decision_letters')
