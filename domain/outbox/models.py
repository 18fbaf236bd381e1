"""The transactional outbox: work for the outside world, written in the same transaction as the change.

A message says "this key changed"; a stream is the per-key queue state (lease, attempts, next try), so one
worker at a time handles a key and its messages in order, and a failed key backs off without holding others.
"""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class MessageStatus(str, Enum):
    PENDING = "PENDING"
    DONE = "DONE"
    # Gave up after the configured attempts (or on a permanent error); an admin may send it again.
    DEAD = "DEAD"


class OutboxMessage(Model):
    id = fields.IntField(primary_key=True)
    topic = fields.CharField(max_length=40)
    key = fields.CharField(max_length=80)
    status = fields.CharEnumField(MessageStatus, max_length=8, default=MessageStatus.PENDING)
    created_at = fields.DatetimeField()
    processed_at = fields.DatetimeField(null=True)

    class Meta:
        table = "outbox_message"
        ordering = ("id",)
        indexes = (("topic", "key", "status"), ("status", "created_at"))


class OutboxStream(Model):
    id = fields.IntField(primary_key=True)
    topic = fields.CharField(max_length=40)
    key = fields.CharField(max_length=80)
    attempts = fields.IntField(default=0)
    # Not before: the backoff after a failure (and Retry-After) lives here.
    available_at = fields.DatetimeField()
    # Who works on the key and until when; an expired lease (a killed worker) is free to take over.
    lease_until = fields.DatetimeField(null=True)
    leased_by = fields.CharField(max_length=80, default="")
    # Which claim holds the lease (one per claiming round): a worker records an outcome, renews or gives the key
    # back only while its token is still here, so a worker whose lease ran out cannot undo its successor's work.
    lease_token = fields.CharField(max_length=32, null=True)
    last_error = fields.TextField(default="")

    class Meta:
        table = "outbox_stream"
        unique_together = (("topic", "key"),)
        indexes = (("topic", "available_at"),)
