"""history keeps goal and agreement details

Milestones and progress updates of a goal, and the topics and goal links of an agreement version, are history
like the rows they hang from: ON DELETE RESTRICT instead of CASCADE, so deleting a goal or a version is refused
rather than silently taking its details with it.

Revision ID: 0030
Revises: 0021
Create Date: 2026-11-27 08:47:48.092280
"""

from collections.abc import Sequence

from alembic import op


revision: str = '0030'
down_revision: str | None = '0021'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (table, column, referenced table)
_DETAILS = (
    ('agreement_goal', 'version_id', 'agreement_version'),
    ('agreement_topic', 'version_id', 'agreement_version'),
    ('goal_progress', 'goal_id', 'goal'),
    ('milestone', 'goal_id', 'goal'),
)


def _set_on_delete(action: str) -> None:
    for table, column, referenced in _DETAILS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            name = batch_op.f(f'fk_{table}_{column}_{referenced}')
            batch_op.drop_constraint(name, type_='foreignkey')
            batch_op.create_foreign_key(name, referenced, [column], ['id'], ondelete=action)


def upgrade() -> None:
    _set_on_delete('RESTRICT')


def downgrade() -> None:
    _set_on_delete('CASCADE')
