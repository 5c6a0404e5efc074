"""stage visits: the Ontario date each visit ended on, so that timeliness periods are Ontario periods

Revision ID: 0006_visit_exit_dates
Revises: 0005_visits
Create Date: 2026-11-26 09:00:00.000000
"""

from collections.abc import Sequence
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import fairtrack.columns

revision: str = '0006_visit_exit_dates'
down_revision: str | None = '0005_visits'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# workflow.calendar.TORONTO, spelled out: a migration keeps meaning what it meant when written.
TORONTO = ZoneInfo("America/Toronto")
BATCH = 5000


def _backfill_sqlite() -> None:
    """SQLite has no time zones: convert in Python, a batch of visits at a time."""
    visits = sa.table(
        'stage_visits', sa.column('id', sa.Integer()),
        sa.column('exited_at', fairtrack.columns.UTCDateTime(timezone=True)),
        sa.column('exited_on', sa.Date()),
    )
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.select(visits.c.id, visits.c.exited_at)
            .where(visits.c.exited_at.is_not(None), visits.c.id > last)
            .order_by(visits.c.id).limit(BATCH)
        ).all()
        if not rows:
            return
        bind.execute(
            visits.update().where(visits.c.id == sa.bindparam('visit_id'))
            .values(exited_on=sa.bindparam('day')),
            [{'visit_id': id_, 'day': exited_at.astimezone(TORONTO).date()} for id_, exited_at in rows],
        )
        last = rows[-1].id


def upgrade() -> None:
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('exited_on', sa.Date(), nullable=True))
    if op.get_bind().dialect.name == 'postgresql':
        op.execute("UPDATE stage_visits SET exited_on = (exited_at AT TIME ZONE 'America/Toronto')::date "
                   "WHERE exited_at IS NOT NULL")
    else:
        _backfill_sqlite()


def downgrade() -> None:
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.drop_column('exited_on')
