"""people skills programs enrollments

Revision ID: 0001
Revises: 
Create Date: 2026-11-27 07:54:54.427212
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('person',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('department', sa.String(length=120), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.Column('level', sa.SmallInteger(), nullable=True),
    sa.Column('time_zone', sa.String(length=64), nullable=False),
    sa.Column('languages', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('meeting_formats', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), nullable=False),
    sa.Column('bio', sa.Text(), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('manager_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['manager_id'], ['person.id'], name=op.f('fk_person_manager_id_person'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person')),
    sa.UniqueConstraint('email', name=op.f('uq_person_email'))
    )
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_department'), ['department'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_is_active'), ['is_active'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_manager_id'), ['manager_id'], unique=False)

    op.create_table('program',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('tier', sa.SmallInteger(), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('cadence', sa.String(length=16), nullable=False),
    sa.Column('meeting_minutes', sa.SmallInteger(), nullable=False),
    sa.Column('duration_months', sa.SmallInteger(), nullable=False),
    sa.Column('circle_size', sa.SmallInteger(), nullable=True),
    sa.Column('cross_department', sa.String(length=16), nullable=False),
    sa.Column('max_time_zone_gap_hours', sa.SmallInteger(), nullable=True),
    sa.Column('mentor_training_required', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program'))
    )
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_status'), ['status'], unique=False)

    op.create_table('skill',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('category', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill')),
    sa.UniqueConstraint('name', name=op.f('uq_skill_name')),
    sa.UniqueConstraint('slug', name=op.f('uq_skill_slug'))
    )
    op.create_table('demographics',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('gender', sa.String(length=32), nullable=True),
    sa.Column('gender_self_description', sa.String(length=100), nullable=True),
    sa.Column('ethnicity', sa.String(length=100), nullable=True),
    sa.Column('age_band', sa.String(length=32), nullable=True),
    sa.Column('generation', sa.String(length=32), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_demographics_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_demographics')),
    sa.UniqueConstraint('person_id', name=op.f('uq_demographics_person_id'))
    )
    op.create_table('enrollment',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('role', sa.String(length=8), nullable=False),
    sa.Column('capacity', sa.SmallInteger(), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('motivation', sa.Text(), nullable=False),
    sa.Column('mentor_training_completed_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('nominated_by_id', sa.Integer(), nullable=True),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['nominated_by_id'], ['person.id'], name=op.f('fk_enrollment_nominated_by_id_person'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_enrollment_person_id_person'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_enrollment_program_id_program'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment')),
    sa.UniqueConstraint('person_id', 'program_id', name=op.f('uq_enrollment_person_id_program_id'))
    )
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_nominated_by_id'), ['nominated_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_program_id'), ['program_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_status'), ['status'], unique=False)

    op.create_table('person_skill',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('proficiency', sa.SmallInteger(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_person_skill_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_person_skill_skill_id_skill'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_person_skill')),
    sa.UniqueConstraint('person_id', 'skill_id', 'direction', name=op.f('uq_person_skill_person_id_skill_id_direction'))
    )
    with op.batch_alter_table('person_skill', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_person_skill_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_person_skill_skill_id'), ['skill_id'], unique=False)

    op.create_table('program_coordinator',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('program_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_program_coordinator_person_id_person'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['program_id'], ['program.id'], name=op.f('fk_program_coordinator_program_id_program'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_program_coordinator')),
    sa.UniqueConstraint('program_id', 'person_id', name=op.f('uq_program_coordinator_program_id_person_id'))
    )
    with op.batch_alter_table('program_coordinator', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_program_coordinator_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_program_coordinator_program_id'), ['program_id'], unique=False)

    op.create_table('skill_alias',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('slug', sa.String(length=100), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_skill_alias_skill_id_skill'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_skill_alias')),
    sa.UniqueConstraint('slug', name=op.f('uq_skill_alias_slug'))
    )
    with op.batch_alter_table('skill_alias', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_skill_alias_skill_id'), ['skill_id'], unique=False)

    op.create_table('working_hours',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('weekday', sa.SmallInteger(), nullable=False),
    sa.Column('start_minute', sa.SmallInteger(), nullable=False),
    sa.Column('end_minute', sa.SmallInteger(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_working_hours_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_working_hours')),
    sa.UniqueConstraint('person_id', 'weekday', 'start_minute', name=op.f('uq_working_hours_person_id_weekday_start_minute'))
    )
    with op.batch_alter_table('working_hours', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_working_hours_person_id'), ['person_id'], unique=False)

    op.create_table('enrollment_topic',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('direction', sa.String(length=8), nullable=False),
    sa.Column('enrollment_id', sa.Integer(), nullable=False),
    sa.Column('skill_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['enrollment_id'], ['enrollment.id'], name=op.f('fk_enrollment_topic_enrollment_id_enrollment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['skill_id'], ['skill.id'], name=op.f('fk_enrollment_topic_skill_id_skill'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_enrollment_topic')),
    sa.UniqueConstraint('enrollment_id', 'skill_id', 'direction', name=op.f('uq_enrollment_topic_enrollment_id_skill_id_direction'))
    )
    with op.batch_alter_table('enrollment_topic', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_enrollment_topic_enrollment_id'), ['enrollment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_enrollment_topic_skill_id'), ['skill_id'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('enrollment_topic', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_topic_skill_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_topic_enrollment_id'))

    op.drop_table('enrollment_topic')
    with op.batch_alter_table('working_hours', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_working_hours_person_id'))

    op.drop_table('working_hours')
    with op.batch_alter_table('skill_alias', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_skill_alias_skill_id'))

    op.drop_table('skill_alias')
    with op.batch_alter_table('program_coordinator', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_coordinator_program_id'))
        batch_op.drop_index(batch_op.f('ix_program_coordinator_person_id'))

    op.drop_table('program_coordinator')
    with op.batch_alter_table('person_skill', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_skill_skill_id'))
        batch_op.drop_index(batch_op.f('ix_person_skill_person_id'))

    op.drop_table('person_skill')
    with op.batch_alter_table('enrollment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_enrollment_status'))
        batch_op.drop_index(batch_op.f('ix_enrollment_program_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_person_id'))
        batch_op.drop_index(batch_op.f('ix_enrollment_nominated_by_id'))

    op.drop_table('enrollment')
    op.drop_table('demographics')
    op.drop_table('skill')
    with op.batch_alter_table('program', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_program_status'))

    op.drop_table('program')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_person_manager_id'))
        batch_op.drop_index(batch_op.f('ix_person_is_active'))
        batch_op.drop_index(batch_op.f('ix_person_department'))

    op.drop_table('person')
