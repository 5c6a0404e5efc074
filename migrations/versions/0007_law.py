"""the law, exactly: deadlines record receipt, use and extension; stage intervals and visits keep
their durations as recorded beside their durations as back-dated

Revision ID: 0007_law
Revises: 0006_visit_exit_dates
Create Date: 2026-12-01 09:00:00.000000

The road itself changed with this revision (law/road.py): a third-party route's submission now goes
to assessment_queued, a health registrar no longer refuses or sets requirements alone, a committee's
registration with terms opens HPARB's window (conditions_appealable), a FARPACTA body's referral
goes straight to committee_review. Logs recorded before keep their events as they were: this
revision adds columns and fills them, it rewrites no step. `fairtrack verify` replays every log
on today's road, so it reports each file recorded on the old road (on a 300-application demo made
at 0006: 127 files, every finding a replay difference, none a hash or a fact). There was no
production data; a development or demo database made before is rebuilt (`make clean`).
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

import fairtrack.columns
from law.calendar import business_days_between

revision: str = '0007_law'
down_revision: str | None = '0006_visit_exit_dates'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# workflow.calendar.TORONTO, spelled out: a migration keeps meaning what it meant when written.
TORONTO = ZoneInfo("America/Toronto")
BATCH = 500
STAMP = fairtrack.columns.UTCDateTime(timezone=True)

intervals = sa.table(
    'stage_intervals', sa.column('id', sa.Integer()), sa.column('application_id', sa.Integer()),
    sa.column('seq', sa.Integer()), sa.column('stage', sa.String()), sa.column('clock', sa.String()),
    sa.column('recorded_at', STAMP), sa.column('recorded_business_days', sa.Integer()),
)
visits = sa.table(
    'stage_visits', sa.column('id', sa.Integer()), sa.column('application_id', sa.Integer()),
    sa.column('seq', sa.Integer()),
    sa.column('attributable_business_days_as_recorded', sa.Integer()),
)
events = sa.table(
    'events', sa.column('application_id', sa.Integer()), sa.column('seq', sa.Integer()),
    sa.column('recorded_at', STAMP),
)


def _day(moment: datetime) -> date:
    return moment.astimezone(TORONTO).date()


def _backfill() -> None:
    """Each interval's recording time (its event's) and business days as recorded; each visit's
    attributable days as recorded (workflow/visits.py's fold), an application batch at a time."""
    bind = op.get_bind()
    last = 0
    while True:
        ids = [row.application_id for row in bind.execute(
            sa.select(events.c.application_id).where(events.c.application_id > last)
            .group_by(events.c.application_id).order_by(events.c.application_id).limit(BATCH)
        )]
        if not ids:
            return
        recorded = defaultdict(dict)
        for row in bind.execute(sa.select(events.c.application_id, events.c.seq,
                                          events.c.recorded_at)
                                .where(events.c.application_id.in_(ids))):
            recorded[row.application_id][row.seq] = row.recorded_at
        interval_rows, visit_rows = [], []
        starts = defaultdict(list)
        for row in bind.execute(sa.select(visits.c.id, visits.c.application_id, visits.c.seq)
                                .where(visits.c.application_id.in_(ids))):
            starts[row.application_id].append((row.seq, row.id))
        sums: dict[int, int] = defaultdict(int)
        for row in bind.execute(
            sa.select(intervals.c.id, intervals.c.application_id, intervals.c.seq,
                      intervals.c.clock)
            .where(intervals.c.application_id.in_(ids))
            .order_by(intervals.c.application_id, intervals.c.seq)
        ):
            times = recorded[row.application_id]
            entered, left = times.get(row.seq), times.get(row.seq + 1)
            days = (business_days_between(_day(entered), _day(left))
                    if entered is not None and left is not None else None)
            interval_rows.append({'interval_id': row.id, 'at': entered, 'days': days})
            visit = max((s for s in starts[row.application_id] if s[0] <= row.seq),
                        default=None)
            if visit is not None and row.clock != 'applicant' and days is not None:
                sums[visit[1]] += days
        bind.execute(
            intervals.update().where(intervals.c.id == sa.bindparam('interval_id'))
            .values(recorded_at=sa.bindparam('at'), recorded_business_days=sa.bindparam('days')),
            interval_rows,
        )
        if sums:
            bind.execute(
                visits.update().where(visits.c.id == sa.bindparam('visit_id'))
                .values(attributable_business_days_as_recorded=sa.bindparam('days')),
                [{'visit_id': visit_id, 'days': days} for visit_id, days in sums.items()],
            )
        last = ids[-1]


def upgrade() -> None:
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.add_column(sa.Column('receipt_basis', sa.String(length=500), nullable=True))
        batch_op.add_column(sa.Column('acted_on', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('extended_seq', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('original_due_on', sa.Date(), nullable=True))
    with op.batch_alter_table('stage_intervals', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_at', STAMP, nullable=True))
        batch_op.add_column(sa.Column('recorded_business_days', sa.Integer(), nullable=True))
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attributable_business_days_as_recorded', sa.Integer(),
                                      nullable=False, server_default='0'))
    _backfill()
    with op.batch_alter_table('stage_intervals', schema=None) as batch_op:
        batch_op.alter_column('recorded_at', existing_type=STAMP, nullable=False)
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.alter_column('attributable_business_days_as_recorded', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('stage_visits', schema=None) as batch_op:
        batch_op.drop_column('attributable_business_days_as_recorded')
    with op.batch_alter_table('stage_intervals', schema=None) as batch_op:
        batch_op.drop_column('recorded_business_days')
        batch_op.drop_column('recorded_at')
    with op.batch_alter_table('deadlines', schema=None) as batch_op:
        batch_op.drop_column('original_due_on')
        batch_op.drop_column('extended_seq')
        batch_op.drop_column('acted_on')
        batch_op.drop_column('receipt_basis')
