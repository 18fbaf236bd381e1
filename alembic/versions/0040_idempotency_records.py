"""idempotency records

What a retried creating mutation needs: per viewer and key, the operation, its input's fingerprint and the
first answer, so a replay within 24 hours writes nothing and answers as the first run did.

Revision ID: 0040
Revises: 0070
Create Date: 2026-12-01 11:00:45.904077
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0040'
down_revision: str | None = '0070'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('idempotency_record',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('viewer_email', sa.String(length=254), autoincrement=False, nullable=False),
    sa.Column('key', sa.String(length=200), autoincrement=False, nullable=False),
    sa.Column('operation', sa.String(length=80), autoincrement=False, nullable=False),
    sa.Column('fingerprint', sa.String(length=64), autoincrement=False, nullable=False),
    sa.Column('answer', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_idempotency_record')),
    sa.UniqueConstraint('viewer_email', 'key', name=op.f('uq_idempotency_record_viewer_email_key'))
    )
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_idempotency_record_created_at'), ['created_at'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('idempotency_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_idempotency_record_created_at'))

    op.drop_table('idempotency_record')
