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
