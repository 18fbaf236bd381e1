"""people import jobs

A large importPeople runs as a background job: its status, progress (rows decided of rows in the file), the
file until it ends, the report once it succeeds, and a heartbeat so a job whose server stopped reads FAILED.

Revision ID: 0080
Revises: 0100
Create Date: 2026-12-01 13:58:15.091136
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0080'
down_revision: str | None = '0100'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('people_import_job',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('started_by', sa.String(length=254), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=9), autoincrement=False, nullable=False),
    sa.Column('dry_run', sa.Boolean(), autoincrement=False, nullable=False),
    sa.Column('total_rows', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('processed_rows', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('csv', sa.Text(), autoincrement=False, nullable=True),
    sa.Column('report', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=True),
    sa.Column('failure', sa.Text(), autoincrement=False, nullable=False),
    sa.Column('runner', sa.String(length=80), autoincrement=False, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('heartbeat_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_people_import_job'))
    )
    with op.batch_alter_table('people_import_job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_people_import_job_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('people_import_job', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_people_import_job_status'))

    op.drop_table('people_import_job')
