"""Meetings of a relationship: attendees with their RSVP, agenda, reschedule history, series, calendar feeds."""

from __future__ import annotations

import uuid
from enum import Enum

from tortoise import fields
from tortoise.models import Model

from domain.people.models import MeetingFormat
from domain.programs.models import Cadence


class MeetingStatus(str, Enum):
    SCHEDULED = "SCHEDULED"
    HELD = "HELD"
    MISSED = "MISSED"
    CANCELLED = "CANCELLED"


class Rsvp(str, Enum):
    NEEDS_ACTION = "NEEDS_ACTION"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    TENTATIVE = "TENTATIVE"


class RescheduleSource(str, Enum):
    MENTORGRAPH = "MENTORGRAPH"
    # The organizer moved the event in their own calendar; inbound sync took the move.
    CALENDAR = "CALENDAR"


def new_uid() -> str:
    return str(uuid.uuid4())


class MeetingSeries(Model):
    """A booked fair-rotation plan: its cadence and the inconvenience ledger each person ended with."""

    id = fields.IntField(primary_key=True)
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="meeting_series", on_delete=fields.RESTRICT
    )
    cadence = fields.CharEnumField(Cadence, max_length=16)
    count = fields.SmallIntField()
    duration_minutes = fields.SmallIntField()
    first_date = fields.DateField()
    # {"<person id>": cumulative cost} after the last occurrence, as the planner reported it.
    ledger = fields.JSONField(default=dict)
    created_by = fields.ForeignKeyField(
        "models.Person", related_name="meeting_series_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "meeting_series"
        ordering = ("id",)


class Meeting(Model):
    id = fields.IntField(primary_key=True)
    # RESTRICT: meetings are the history health checks and reports read; nothing vanishes with a relationship.
    relationship = fields.ForeignKeyField("models.Relationship", related_name="meetings", on_delete=fields.RESTRICT)
    series = fields.ForeignKeyField(
        "models.MeetingSeries", related_name="meetings", null=True, on_delete=fields.RESTRICT
    )
    organizer = fields.ForeignKeyField("models.Person", related_name="meetings_organized", on_delete=fields.RESTRICT)
    starts_at = fields.DatetimeField(db_index=True)
    ends_at = fields.DatetimeField(db_index=True)
    format = fields.CharEnumField(MeetingFormat, max_length=12)
    title = fields.CharField(max_length=200)
    location = fields.CharField(max_length=300, default="")
    conference_url = fields.CharField(max_length=500, default="")
    status = fields.CharEnumField(MeetingStatus, max_length=12, default=MeetingStatus.SCHEDULED, db_index=True)
    # The calendar identity of the event: stable for its whole life, so every calendar updates one entry.
    uid = fields.CharField(max_length=64, unique=True, default=new_uid)
    # RFC 5545 SEQUENCE: raised on every change so calendar apps replace their copy.
    sequence = fields.IntField(default=0)
    cancellation_reason = fields.TextField(default="")
    held_at = fields.DatetimeField(null=True)
    cancelled_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "meeting"
        ordering = ("starts_at", "id")


class MeetingAttendee(Model):
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("models.Meeting", related_name="attendees", on_delete=fields.CASCADE)
    person = fields.ForeignKeyField("models.Person", related_name="meeting_attendance", on_delete=fields.RESTRICT)
    rsvp = fields.CharEnumField(Rsvp, max_length=16, default=Rsvp.NEEDS_ACTION)
    responded_at = fields.DatetimeField(null=True)

    class Meta:
        table = "meeting_attendee"
        unique_together = (("meeting", "person"),)
        ordering = ("id",)


class AgendaItem(Model):
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("models.Meeting", related_name="agenda_items", on_delete=fields.CASCADE)
    position = fields.SmallIntField()
    text = fields.TextField()
    added_by = fields.ForeignKeyField(
        "models.Person", related_name="agenda_items_added", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "agenda_item"
        unique_together = (("meeting", "position"),)
        ordering = ("position",)


class MeetingReschedule(Model):
    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("models.Meeting", related_name="reschedules", on_delete=fields.CASCADE)
    old_starts_at = fields.DatetimeField()
    old_ends_at = fields.DatetimeField()
    new_starts_at = fields.DatetimeField()
    new_ends_at = fields.DatetimeField()
    rescheduled_by = fields.ForeignKeyField(
        "models.Person", related_name="meeting_reschedules", null=True, on_delete=fields.SET_NULL
    )
    reason = fields.TextField(default="")
    rescheduled_at = fields.DatetimeField()
    source = fields.CharEnumField(RescheduleSource, max_length=12, default=RescheduleSource.MENTORGRAPH)

    class Meta:
        table = "meeting_reschedule"
        ordering = ("rescheduled_at", "id")


class MeetingClash(Model):
    """Two meetings sharing an attendee at overlapping times: allowed only because a move made in the
    organizer's calendar is taken as the truth; flagged on both meetings (one row each way) for the members."""

    id = fields.IntField(primary_key=True)
    meeting = fields.ForeignKeyField("models.Meeting", related_name="clashes", on_delete=fields.CASCADE)
    other = fields.ForeignKeyField("models.Meeting", related_name="clashed_by", on_delete=fields.CASCADE)
    detected_at = fields.DatetimeField()

    class Meta:
        table = "meeting_clash"
        unique_together = (("meeting", "other"),)
        indexes = (("meeting_id",), ("other_id",))


class CalendarFeed(Model):
    """A person's secret ICS feed. Its token is found by SHA-256 hash and kept otherwise only encrypted under
    the server's secret key: a database leak alone reveals no URL."""

    id = fields.IntField(primary_key=True)
    person = fields.OneToOneField("models.Person", related_name="calendar_feed", on_delete=fields.CASCADE)
    token_hash = fields.CharField(max_length=64, unique=True)
    # For the owner to read their URL again; null while no secret key is configured.
    token_encrypted = fields.TextField(null=True)
    rotated_at = fields.DatetimeField()

    class Meta:
        table = "calendar_feed"
