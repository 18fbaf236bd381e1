"""calendar event iCalUID

The iCalendar UID the provider gave the organizer's event, which every attendee's copy shares: an RSVP given in
Mentorgraph finds the attendee's own copy by it.

Revision ID: 0150
Revises: 0130
Create Date: 2026-12-01 17:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0150'
down_revision: str | None = '0130'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('calendar_event') as batch:
        batch.add_column(sa.Column('ical_uid', sa.String(length=1024), nullable=False, server_default=''))
    with op.batch_alter_table('calendar_event') as batch:
        batch.alter_column('ical_uid', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('calendar_event') as batch:
        batch.drop_column('ical_uid')
