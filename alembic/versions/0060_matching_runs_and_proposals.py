"""matching runs and proposals

Matching runs (inputs, certificate, unmatched people, audit), their proposals with their members, and the pairs a coordinator
keeps apart in a program's runs.

Revision ID: 0060
Revises: 0045
Create Date: 2026-12-01 10:28:26.275836
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0060'
down_revision: str | None = '0045'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('match_block',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.Column('created_by_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('other_person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('program_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_match_block_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['other_person_id'], ['person.id'], name=op.f('fk_match_block_other_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_match_block_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_match_block_program_id_program'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_block')),
    sa.UniqueConstraint('program_id', 'person_id', 'other_person_id', name=op.f('uq_match_block_program_id_person_id_other_person_id'))
    )
    with op.batch_alter_table('match_block', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_block_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_block_other_person_id'), ['other_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_block_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_block_program_id'), ['program_id'], unique=False)

    op.create_table('match_run',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('status', sa.String(length=8), autoincrement=False, nullable=False),
    sa.Column('objective', sa.String(length=20), autoincrement=False, nullable=False),
    sa.Column('dry_run', sa.Boolean(), autoincrement=False, nullable=False),
    sa.Column('weights', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('inputs', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('solver', sa.String(length=80), autoincrement=False, nullable=False),
    sa.Column('total_score', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('dual_objective', sa.BigInteger(), autoincrement=False, nullable=True),
    sa.Column('objective_value', sa.BigInteger(), autoincrement=False, nullable=True),
    sa.Column('certificate_rounds', sa.SmallInteger(), autoincrement=False, nullable=True),
    sa.Column('candidate_pairs', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('matched_count', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('unmatched', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('audit', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('failure', sa.Text(), autoincrement=False, nullable=False),
    sa.Column('duration_ms', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('started_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('created_by_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('program_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_match_run_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_match_run_program_id_program'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_run'))
    )
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_run_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_run_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_run_status'), ['status'], unique=False)

    op.create_table('match_proposal',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('status', sa.String(length=12), autoincrement=False, nullable=False),
    sa.Column('score', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('breakdown', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('lessons', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('locked', sa.Boolean(), autoincrement=False, nullable=False),
    sa.Column('refusal_reason', sa.Text(), autoincrement=False, nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.Column('decided_by_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('mentee_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('mentor_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('relationship_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('run_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['person.id'], name=op.f('fk_match_proposal_decided_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['mentee_id'], ['person.id'], name=op.f('fk_match_proposal_mentee_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mentor_id'], ['person.id'], name=op.f('fk_match_proposal_mentor_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationship.id'], name=op.f('fk_match_proposal_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['run_id'], ['match_run.id'], name=op.f('fk_match_proposal_run_id_match_run'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_proposal'))
    )
    with op.batch_alter_table('match_proposal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_proposal_decided_by_id'), ['decided_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_relationship_id'), ['relationship_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_status'), ['status'], unique=False)

    op.create_table('match_proposal_member',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('role', sa.String(length=12), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('proposal_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_match_proposal_member_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proposal_id'], ['match_proposal.id'], name=op.f('fk_match_proposal_member_proposal_id_match_proposal'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_proposal_member')),
    sa.UniqueConstraint('proposal_id', 'person_id', name=op.f('uq_match_proposal_member_proposal_id_person_id'))
    )
    with op.batch_alter_table('match_proposal_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_proposal_member_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_proposal_member_proposal_id'), ['proposal_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('match_proposal_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_proposal_member_proposal_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_member_person_id'))

    op.drop_table('match_proposal_member')
    with op.batch_alter_table('match_proposal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_proposal_status'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_run_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_mentee_id'))
        batch_op.drop_index(batch_op.f('ix_match_proposal_decided_by_id'))

    op.drop_table('match_proposal')
    with op.batch_alter_table('match_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_run_status'))
        batch_op.drop_index(batch_op.f('ix_match_run_program_id'))
        batch_op.drop_index(batch_op.f('ix_match_run_created_by_id'))

    op.drop_table('match_run')
    with op.batch_alter_table('match_block', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_block_program_id'))
        batch_op.drop_index(batch_op.f('ix_match_block_person_id'))
        batch_op.drop_index(batch_op.f('ix_match_block_other_person_id'))
        batch_op.drop_index(batch_op.f('ix_match_block_created_by_id'))

    op.drop_table('match_block')
