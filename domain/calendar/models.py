"""Calendar connections (a company tenant or one person's account) and each meeting's event in a calendar."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class Provider(str, Enum):
    GOOGLE = "GOOGLE"
    MICROSOFT = "MICROSOFT"


class ConnectionKind(str, Enum):
    # A Workspace service account with domain-wide delegation, or an Entra app with application permission.
    COMPANY = "COMPANY"
    # One person's own account, through OAuth consent.
    PERSONAL = "PERSONAL"


class ConnectionStatus(str, Enum):
    ACTIVE = "ACTIVE"
    # The grant was revoked or expired: nothing is sent until the owner reconnects.
    BROKEN = "BROKEN"


class SyncStatus(str, Enum):
    PENDING = "PENDING"
    SYNCED = "SYNCED"
    FAILED = "FAILED"
    NOT_CONNECTED = "NOT_CONNECTED"


class CalendarConnection(Model):
    """Secrets are never stored in clear: a company's by reference (env variable or file), a person's encrypted."""

    id = fields.IntField(primary_key=True)
    kind = fields.CharEnumField(ConnectionKind, max_length=10)
    provider = fields.CharEnumField(Provider, max_length=10)
    # PERSONAL: whose account it is. Deleting a person takes their grant with them.
    person = fields.OneToOneField(
        "models.Person", related_name="calendar_connection", null=True, on_delete=fields.CASCADE
    )
    # PERSONAL: the account's address as the provider reported it.
    account_email = fields.CharField(max_length=320, default="")
    # COMPANY: the email domains whose people it covers, lower case.
    domains = fields.JSONField(default=list)
    # Non-secret settings (tenant, client id, token URL) and where each secret is read from.
    config = fields.JSONField(default=dict)
    # PERSONAL: the refresh token, Fernet-encrypted with MENTORGRAPH_SECRET_KEY.
    refresh_token_encrypted = fields.TextField(default="")
    status = fields.CharEnumField(ConnectionStatus, max_length=8, default=ConnectionStatus.ACTIVE)
    broken_reason = fields.TextField(default="")
    broken_at = fields.DatetimeField(null=True)
    connected_at = fields.DatetimeField()

    class Meta:
        table = "calendar_connection"
        ordering = ("id",)


class CalendarEvent(Model):
    """A meeting's event in its organizer's calendar: where it lives and what was last written there."""

    id = fields.IntField(primary_key=True)
    meeting = fields.OneToOneField("models.Meeting", related_name="calendar_event", on_delete=fields.CASCADE)
    status = fields.CharEnumField(SyncStatus, max_length=14, default=SyncStatus.PENDING)
    provider = fields.CharEnumField(Provider, max_length=10, null=True)
    connection = fields.ForeignKeyField(
        "models.CalendarConnection", related_name="events", null=True, on_delete=fields.SET_NULL
    )
    # The calendar written to: the organizer's address (Google calendar id, Outlook mailbox).
    calendar = fields.CharField(max_length=320, default="")
    # Raised when an event must be made anew (its calendar changed, or it vanished): new ids, new conference.
    generation = fields.IntField(default=1)
    # Google: our chosen id, stored before the insert. Microsoft: the id the server assigned.
    event_id = fields.CharField(max_length=512, default="")
    # A create was sent and its answer may have been lost: look the event up before creating again.
    create_sent = fields.BooleanField(default=False)
    etag = fields.CharField(max_length=200, default="")
    # The iCalendar UID the provider gave the event; attendees' own copies share it (RSVPs find them by it).
    ical_uid = fields.CharField(max_length=1024, default="")
    # The Meet or Teams link the provider made; a meeting showing it (or nothing) takes new links from here.
    conference_url = fields.CharField(max_length=500, default="")
    synced_sequence = fields.IntField(null=True)
    synced_at = fields.DatetimeField(null=True)
    attempts = fields.IntField(default=0)
    last_error = fields.TextField(default="")
    # Inbound sync: each attendee's answer as the organizer's calendar last showed it ({email: RSVP}), so only
    # an answer that changed there is taken (not one Mentorgraph reset on a reschedule the calendar still shows).
    seen_responses = fields.JSONField(default=dict)

    class Meta:
        table = "calendar_event"
        indexes = (("status",),)
