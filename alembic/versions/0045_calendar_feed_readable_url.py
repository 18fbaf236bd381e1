"""calendar feed URL readable by its owner

The feed's secret token, encrypted under MENTORGRAPH_SECRET_KEY, so `me { calendarFeed { url } }` can show
the current URL without rotating it. Null for feeds made before, or while no key is configured.

Revision ID: 0045
Revises: 0050
Create Date: 2026-12-01 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0045'
down_revision: str | None = '0050'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('calendar_feed') as batch:
        batch.add_column(sa.Column('token_encrypted', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('calendar_feed') as batch:
        batch.drop_column('token_encrypted')
