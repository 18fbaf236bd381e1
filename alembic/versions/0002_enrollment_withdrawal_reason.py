"""enrollment withdrawal reason

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 07:58:18.563834
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing rows get an empty reason; the default is then dropped so the table matches the model exactly.
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('withdrawal_reason', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.alter_column('withdrawal_reason', server_default=None)


def downgrade() -> None:
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_column('withdrawal_reason')
