"""calendar sync outbox

The transactional outbox (messages and per-key streams with their lease), calendar connections (company
tenants and personal accounts) and each meeting's event in its organizer's calendar.

Revision ID: 0050
Revises: 0030
Create Date: 2026-12-01 10:15:29.263260
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = '0050'
down_revision: str | None = '0030'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outbox_message',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('topic', sa.String(length=40), autoincrement=False, nullable=False),
    sa.Column('key', sa.String(length=80), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=8), autoincrement=False, nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_message'))
    )
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_message_status_created_at'), ['status', 'created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_message_topic_key_status'), ['topic', 'key', 'status'], unique=False)

    op.create_table('outbox_stream',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('topic', sa.String(length=40), autoincrement=False, nullable=False),
    sa.Column('key', sa.String(length=80), autoincrement=False, nullable=False),
    sa.Column('attempts', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('available_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.Column('lease_until', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('leased_by', sa.String(length=80), autoincrement=False, nullable=False),
    sa.Column('last_error', sa.Text(), autoincrement=False, nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_stream')),
    sa.UniqueConstraint('topic', 'key', name=op.f('uq_outbox_stream_topic_key'))
    )
    with op.batch_alter_table('outbox_stream', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_stream_topic_available_at'), ['topic', 'available_at'], unique=False)

    op.create_table('calendar_connection',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=10), autoincrement=False, nullable=False),
    sa.Column('provider', sa.String(length=10), autoincrement=False, nullable=False),
    sa.Column('account_email', sa.String(length=320), autoincrement=False, nullable=False),
    sa.Column('domains', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('config', sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), 'postgresql'), autoincrement=False, nullable=False),
    sa.Column('refresh_token_encrypted', sa.Text(), autoincrement=False, nullable=False),
    sa.Column('status', sa.String(length=8), autoincrement=False, nullable=False),
    sa.Column('broken_reason', sa.Text(), autoincrement=False, nullable=False),
    sa.Column('broken_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('connected_at', sa.DateTime(timezone=True), autoincrement=False, nullable=False),
    sa.Column('person_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name=op.f('fk_calendar_connection_person_id_person'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_connection')),
    sa.UniqueConstraint('person_id', name=op.f('uq_calendar_connection_person_id'))
    )
    op.create_table('calendar_event',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('status', sa.String(length=14), autoincrement=False, nullable=False),
    sa.Column('provider', sa.String(length=10), autoincrement=False, nullable=True),
    sa.Column('calendar', sa.String(length=320), autoincrement=False, nullable=False),
    sa.Column('generation', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('event_id', sa.String(length=512), autoincrement=False, nullable=False),
    sa.Column('create_sent', sa.Boolean(), autoincrement=False, nullable=False),
    sa.Column('etag', sa.String(length=200), autoincrement=False, nullable=False),
    sa.Column('conference_url', sa.String(length=500), autoincrement=False, nullable=False),
    sa.Column('synced_sequence', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('synced_at', sa.DateTime(timezone=True), autoincrement=False, nullable=True),
    sa.Column('attempts', sa.Integer(), autoincrement=False, nullable=False),
    sa.Column('last_error', sa.Text(), autoincrement=False, nullable=False),
    sa.Column('connection_id', sa.Integer(), autoincrement=False, nullable=True),
    sa.Column('meeting_id', sa.Integer(), autoincrement=False, nullable=False),
    sa.ForeignKeyConstraint(['connection_id'], ['calendar_connection.id'], name=op.f('fk_calendar_event_connection_id_calendar_connection'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['meeting_id'], ['meeting.id'], name=op.f('fk_calendar_event_meeting_id_meeting'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_event')),
    sa.UniqueConstraint('meeting_id', name=op.f('uq_calendar_event_meeting_id'))
    )
    with op.batch_alter_table('calendar_event', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_event_connection_id'), ['connection_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_calendar_event_status'), ['status'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('calendar_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_event_status'))
        batch_op.drop_index(batch_op.f('ix_calendar_event_connection_id'))

    op.drop_table('calendar_event')
    op.drop_table('calendar_connection')
    with op.batch_alter_table('outbox_stream', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_stream_topic_available_at'))

    op.drop_table('outbox_stream')
    with op.batch_alter_table('outbox_message', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_message_topic_key_status'))
        batch_op.drop_index(batch_op.f('ix_outbox_message_status_created_at'))

    op.drop_table('outbox_message')
