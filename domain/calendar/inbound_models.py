"""Inbound calendar sync: each organizer calendar Mentorgraph follows, and the inbox its webhooks write to."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from domain.calendar.models import Provider


class CalendarWatch(Model):
    """One connected organizer calendar whose changes flow back: its sync cursor and its notification channel
    (a Google `events.watch` channel or a Graph subscription)."""

    id = fields.IntField(primary_key=True)
    connection = fields.ForeignKeyField("models.CalendarConnection", related_name="watches", on_delete=fields.CASCADE)
    provider = fields.CharEnumField(Provider, max_length=10)
    # The organizer's calendar id (Google) or mailbox (Graph).
    calendar = fields.CharField(max_length=320)
    # Google's syncToken or Graph's whole deltaLink; empty: the next round runs a bounded full sync.
    cursor = fields.TextField(default="")
    # The Google channel id or Graph subscription id notifications name; empty: none yet (or it was removed).
    channel_id = fields.CharField(max_length=128, default="", db_index=True)
    # Google's resourceId, which channels.stop needs alongside the channel id.
    channel_resource_id = fields.CharField(max_length=256, default="")
    # The per-channel secret (Google `token`, Graph `clientState`) every notification must carry.
    channel_secret = fields.CharField(max_length=128, default="")
    channel_expires_at = fields.DatetimeField(null=True)
    # A notification (or a lifecycle event) asked for a sync from this moment; null: nothing asked.
    sync_due_at = fields.DatetimeField(null=True, db_index=True)
    # The backstop: synced by then whatever the notifications did (jittered so calendars spread out).
    backstop_at = fields.DatetimeField(db_index=True)
    # One worker syncs a calendar at a time (several may run on PostgreSQL): it holds the watch until then.
    leased_until = fields.DatetimeField(null=True)
    last_synced_at = fields.DatetimeField(null=True)
    full_syncs = fields.IntField(default=0)
    last_error = fields.TextField(default="")

    class Meta:
        table = "calendar_watch"
        unique_together = (("connection", "calendar"),)
        indexes = (("connection_id",),)


class CalendarNotification(Model):
    """A provider's notification as received: persisted before the webhook answers, handled by the worker."""

    id = fields.IntField(primary_key=True)
    provider = fields.CharEnumField(Provider, max_length=10)
    channel_id = fields.CharField(max_length=128)
    # Google's X-Goog-Resource-State (sync, exists, not_exists); Graph's changeType or `lifecycle:<event>`.
    kind = fields.CharField(max_length=64)
    # Google's X-Goog-Message-Number or Graph's resource id, for the log.
    detail = fields.CharField(max_length=512, default="")
    received_at = fields.DatetimeField()
    processed_at = fields.DatetimeField(null=True, db_index=True)

    class Meta:
        table = "calendar_notification"
        ordering = ("id",)
