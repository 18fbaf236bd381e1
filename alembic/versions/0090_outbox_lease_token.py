"""outbox lease token

Each claim of an outbox stream carries a token; outcomes, renewals and releases are fenced on it, so a worker
whose lease expired while it was still busy cannot record over (or clear) the lease of the worker that took over.

Revision ID: 0090
Revises: 0040
Create Date: 2026-12-01 13:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0090'
down_revision: str | None = '0040'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outbox_stream') as batch:
        batch.add_column(sa.Column('lease_token', sa.String(length=32), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outbox_stream') as batch:
        batch.drop_column('lease_token')
