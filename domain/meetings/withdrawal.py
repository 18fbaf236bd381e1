"""Meetings of relationships that have closed: the ones still ahead are cancelled, so calendars drop them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import F

from domain.calendar.changes import meetings_changed
from domain.meetings.models import Meeting, MeetingStatus


async def cancel_upcoming(relationship_ids: Sequence[int], *, now: datetime, reason: str) -> int:
    """Cancels every SCHEDULED meeting of these relationships that has not started; returns how many.

    SEQUENCE rises like any other cancellation, so feeds and synced calendars show the event as cancelled.
    """
    if not relationship_ids:
        return 0
    upcoming = Meeting.filter(
        relationship_id__in=list(relationship_ids), status=MeetingStatus.SCHEDULED, starts_at__gt=now
    )
    # Locked first, so the outbox names exactly the meetings this UPDATE cancels.
    meeting_ids = [meeting.id for meeting in await upcoming.select_for_update()]
    if not meeting_ids:
        return 0
    cancelled = await Meeting.filter(id__in=meeting_ids).update(
        status=MeetingStatus.CANCELLED,
        cancelled_at=now,
        cancellation_reason=reason,
        sequence=F("sequence") + 1,
        updated_at=now,
    )
    await meetings_changed(meeting_ids, now=now)
    return cancelled
