"""reflection meeting foreign key

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-27 08:30:59.914914
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0021'
down_revision: str | None = '0020'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Reflections written before meetings existed may name a meeting id that is not there: unlink those.
    op.execute("UPDATE reflection SET meeting_id = NULL WHERE meeting_id NOT IN (SELECT id FROM meeting)")
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.create_foreign_key(batch_op.f('fk_reflection_meeting_id_meeting'), 'meeting', ['meeting_id'], ['id'], ondelete='RESTRICT')



def downgrade() -> None:
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_reflection_meeting_id_meeting'), type_='foreignkey')

