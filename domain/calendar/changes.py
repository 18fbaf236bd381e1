"""The one door every meeting write goes through to reach calendars: an outbox message per changed meeting.

Called inside the write's transaction, after the meeting row is written or locked, so per meeting the
messages are in commit order and a rolled-back write leaves no message behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.calendar.models import CalendarEvent, SyncStatus
from domain.outbox.service import enqueue

CALENDAR_TOPIC = "calendar.meeting"


async def meetings_changed(meeting_ids: Iterable[int], *, now: datetime) -> None:
    """Also shows each meeting's calendar sync as PENDING until the worker has sent this change."""
    ids = sorted(set(meeting_ids))
    if not ids:
        return
    await enqueue(CALENDAR_TOPIC, [str(meeting_id) for meeting_id in ids], now=now)
    await CalendarEvent.filter(meeting_id__in=ids).update(status=SyncStatus.PENDING)
    await CalendarEvent.bulk_create([CalendarEvent(meeting_id=meeting_id) for meeting_id in ids], ignore_conflicts=True)


# An attendee's answer, to be written to their own copy of the event: keyed per attendee, in the same outbox
# (and so the same workers, leases and retries) as the meetings, with keys no meeting id can take.
RSVP_KEY_PREFIX = "rsvp:"


def rsvp_key(meeting_id: int, person_id: int) -> str:
    return f"{RSVP_KEY_PREFIX}{meeting_id}:{person_id}"


def rsvp_of(key: str) -> tuple[int, int] | None:
    """(meeting id, person id) of an RSVP key; None for a meeting's key."""
    if not key.startswith(RSVP_KEY_PREFIX):
        return None
    meeting_id, _, person_id = key.removeprefix(RSVP_KEY_PREFIX).partition(":")
    return int(meeting_id), int(person_id)


async def attendee_answered(meeting_id: int, person_id: int, *, now: datetime) -> None:
    """Call it in the transaction that writes the answer: the worker makes the attendee's copy say it too."""
    await enqueue(CALENDAR_TOPIC, [rsvp_key(meeting_id, person_id)], now=now)
