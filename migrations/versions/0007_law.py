"""the law, exactly: deadlines record receipt, use, extension

Revision ID: 0007_law
Revises: 0006_visit_exit_dates
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007_law'
down_revision: str | None = '0006_visit_exit_dates'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_basis', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('acted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('extended_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('original_due_on', sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_column('original_due_on')
        batch_op.drop_column('extended_seq')
        batch_op.drop_column('acted_on')
        batch_op.drop_column('receipt_basis')
