"""relationships agreements goals

Revision ID: 0010
Revises: 0002
Create Date: 2026-11-27 07:57:17.379148
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0010'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('relationship',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('closure_reason', sa.String(length=20), nullable=True),
    sa.Column('closure_note', sa.Text(), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('ended_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_activity_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('inactivity_notice_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('previous_id', sa.Integer(), nullable=True),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['created_by_id'], ['person.id'], name=op.f('fk_relationship_created_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['previous_id'], ['relationship.id'], name=op.f('fk_relationship_previous_id_relationship'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_relationship_program_id_program'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship'))
    )
    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relationship_created_by_id'), ['created_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_last_activity_at'), ['last_activity_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_previous_id'), ['previous_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_status'), ['status'], unique=False)

    op.create_table('agreement',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('current_version', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationship.id'], name=op.f('fk_agreement_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement')),
    sa.UniqueConstraint('relationship_id', name=op.f('uq_agreement_relationship_id'))
    )
    op.create_table('goal',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('success_criteria', sa.Text(), nullable=False),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('achieved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name=op.f('fk_goal_owner_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationship.id'], name=op.f('fk_goal_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal'))
    )
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_relationship_id'), ['relationship_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_status'), ['status'], unique=False)

    op.create_table('match_exclusion',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('needs_rematch', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('excluded_person_id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('source_relationship_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['excluded_person_id'], ['person.id'], name=op.f('fk_match_exclusion_excluded_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_match_exclusion_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_match_exclusion_program_id_program'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['source_relationship_id'], ['relationship.id'], name=op.f('fk_match_exclusion_source_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_match_exclusion')),
    sa.UniqueConstraint('program_id', 'person_id', 'excluded_person_id', name=op.f('uq_match_exclusion_program_id_person_id_excluded_person_id'))
    )
    with op.batch_alter_table('match_exclusion', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_match_exclusion_excluded_person_id'), ['excluded_person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_exclusion_needs_rematch'), ['needs_rematch'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_exclusion_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_exclusion_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_match_exclusion_source_relationship_id'), ['source_relationship_id'], unique=False)

    op.create_table('mentor_request',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('message', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('responded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('response_message', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('mentee_id', sa.Integer(), nullable=False),
    sa.Column('mentor_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['mentee_id'], ['person.id'], name=op.f('fk_mentor_request_mentee_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['mentor_id'], ['person.id'], name=op.f('fk_mentor_request_mentor_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_mentor_request_program_id_program'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationship.id'], name=op.f('fk_mentor_request_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mentor_request'))
    )
    with op.batch_alter_table('mentor_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mentor_request_mentee_id'), ['mentee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_request_mentee_id_mentor_id_status'), ['mentee_id', 'mentor_id', 'status'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_request_mentor_id'), ['mentor_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_request_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_request_relationship_id'), ['relationship_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mentor_request_status'), ['status'], unique=False)

    op.create_table('reflection',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('meeting_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('shared_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_reflection_author_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationship.id'], name=op.f('fk_reflection_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reflection'))
    )
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reflection_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflection_meeting_id'), ['meeting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_reflection_relationship_id'), ['relationship_id'], unique=False)

    op.create_table('relationship_member',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('role', sa.String(length=12), nullable=False),
    sa.Column('joined_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('relationship_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_relationship_member_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationship.id'], name=op.f('fk_relationship_member_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_relationship_member')),
    sa.UniqueConstraint('relationship_id', 'person_id', name=op.f('uq_relationship_member_relationship_id_person_id'))
    )
    with op.batch_alter_table('relationship_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_relationship_member_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_relationship_member_relationship_id'), ['relationship_id'], unique=False)

    op.create_table('rematch_request',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('resolution_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('resolved_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('relationship_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=False),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['relationship_id'], ['relationship.id'], name=op.f('fk_rematch_request_relationship_id_relationship'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['person.id'], name=op.f('fk_rematch_request_requested_by_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['person.id'], name=op.f('fk_rematch_request_resolved_by_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rematch_request'))
    )
    with op.batch_alter_table('rematch_request', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rematch_request_relationship_id'), ['relationship_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rematch_request_requested_by_id'), ['requested_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rematch_request_resolved_by_id'), ['resolved_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rematch_request_status'), ['status'], unique=False)

    op.create_table('agreement_version',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('number', sa.SmallInteger(), nullable=False),
    sa.Column('cadence', sa.String(length=16), nullable=False),
    sa.Column('meeting_minutes', sa.SmallInteger(), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=False),
    sa.Column('ends_on', sa.Date(), nullable=False),
    sa.Column('confidentiality', sa.Text(), nullable=False),
    sa.Column('channels', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('meeting_formats', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('change_note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('agreement_id', sa.Integer(), nullable=False),
    sa.Column('amended_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['agreement_id'], ['agreement.id'], name=op.f('fk_agreement_version_agreement_id_agreement'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['amended_by_id'], ['person.id'], name=op.f('fk_agreement_version_amended_by_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_version')),
    sa.UniqueConstraint('agreement_id', 'number', name=op.f('uq_agreement_version_agreement_id_number'))
    )
    with op.batch_alter_table('agreement_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_version_agreement_id'), ['agreement_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_version_amended_by_id'), ['amended_by_id'], unique=False)

    op.create_table('goal_progress',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('percent', sa.SmallInteger(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['person.id'], name=op.f('fk_goal_progress_author_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_goal_progress_goal_id_goal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_goal_progress'))
    )
    with op.batch_alter_table('goal_progress', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_goal_progress_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_goal_progress_goal_id'), ['goal_id'], unique=False)

    op.create_table('milestone',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('due_on', sa.Date(), nullable=True),
    sa.Column('completed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_milestone_goal_id_goal'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone'))
    )
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_goal_id'), ['goal_id'], unique=False)

    op.create_table('agreement_goal',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('goal_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['goal_id'], ['goal.id'], name=op.f('fk_agreement_goal_goal_id_goal'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_agreement_goal_version_id_agreement_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_goal')),
    sa.UniqueConstraint('version_id', 'goal_id', name=op.f('uq_agreement_goal_version_id_goal_id'))
    )
    with op.batch_alter_table('agreement_goal', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_goal_goal_id'), ['goal_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_goal_version_id'), ['version_id'], unique=False)

    op.create_table('agreement_signature',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('signed_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_agreement_signature_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_agreement_signature_version_id_agreement_version'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_signature')),
    sa.UniqueConstraint('version_id', 'person_id', name=op.f('uq_agreement_signature_version_id_person_id'))
    )
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_signature_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_signature_version_id'), ['version_id'], unique=False)

    op.create_table('agreement_topic',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('topic', sa.String(length=200), nullable=False),
    sa.Column('learner_id', sa.Integer(), nullable=True),
    sa.Column('skill_id', sa.Integer(), nullable=True),
    sa.Column('teacher_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['learner_id'], ['person.id'], name=op.f('fk_agreement_topic_learner_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_agreement_topic_skill_id_skill'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['teacher_id'], ['person.id'], name=op.f('fk_agreement_topic_teacher_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['version_id'], ['agreement_version.id'], name=op.f('fk_agreement_topic_version_id_agreement_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agreement_topic'))
    )
    with op.batch_alter_table('agreement_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agreement_topic_learner_id'), ['learner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_topic_skill_id'), ['skill_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_topic_teacher_id'), ['teacher_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agreement_topic_version_id'), ['version_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('agreement_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_topic_version_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_topic_teacher_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_topic_skill_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_topic_learner_id'))

    op.drop_table('agreement_topic')
    with op.batch_alter_table('agreement_signature', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_signature_version_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_signature_person_id'))

    op.drop_table('agreement_signature')
    with op.batch_alter_table('agreement_goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_goal_version_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_goal_goal_id'))

    op.drop_table('agreement_goal')
    with op.batch_alter_table('milestone', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_milestone_goal_id'))

    op.drop_table('milestone')
    with op.batch_alter_table('goal_progress', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_progress_goal_id'))
        batch_op.drop_index(batch_op.f('ix_goal_progress_author_id'))

    op.drop_table('goal_progress')
    with op.batch_alter_table('agreement_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agreement_version_amended_by_id'))
        batch_op.drop_index(batch_op.f('ix_agreement_version_agreement_id'))

    op.drop_table('agreement_version')
    with op.batch_alter_table('rematch_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rematch_request_status'))
        batch_op.drop_index(batch_op.f('ix_rematch_request_resolved_by_id'))
        batch_op.drop_index(batch_op.f('ix_rematch_request_requested_by_id'))
        batch_op.drop_index(batch_op.f('ix_rematch_request_relationship_id'))

    op.drop_table('rematch_request')
    with op.batch_alter_table('relationship_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relationship_member_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_relationship_member_person_id'))

    op.drop_table('relationship_member')
    with op.batch_alter_table('reflection', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reflection_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_reflection_meeting_id'))
        batch_op.drop_index(batch_op.f('ix_reflection_author_id'))

    op.drop_table('reflection')
    with op.batch_alter_table('mentor_request', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mentor_request_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_request_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_request_program_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_request_mentor_id'))
        batch_op.drop_index(batch_op.f('ix_mentor_request_mentee_id_mentor_id_status'))
        batch_op.drop_index(batch_op.f('ix_mentor_request_mentee_id'))

    op.drop_table('mentor_request')
    with op.batch_alter_table('match_exclusion', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_match_exclusion_source_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_match_exclusion_program_id'))
        batch_op.drop_index(batch_op.f('ix_match_exclusion_person_id'))
        batch_op.drop_index(batch_op.f('ix_match_exclusion_needs_rematch'))
        batch_op.drop_index(batch_op.f('ix_match_exclusion_excluded_person_id'))

    op.drop_table('match_exclusion')
    with op.batch_alter_table('goal', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_goal_status'))
        batch_op.drop_index(batch_op.f('ix_goal_relationship_id'))
        batch_op.drop_index(batch_op.f('ix_goal_owner_id'))

    op.drop_table('goal')
    op.drop_table('agreement')
    with op.batch_alter_table('relationship', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_relationship_status'))
        batch_op.drop_index(batch_op.f('ix_relationship_program_id'))
        batch_op.drop_index(batch_op.f('ix_relationship_previous_id'))
        batch_op.drop_index(batch_op.f('ix_relationship_last_activity_at'))
        batch_op.drop_index(batch_op.f('ix_relationship_created_by_id'))

    op.drop_table('relationship')
