"""The one door every meeting write goes through to reach calendars: an outbox message per changed meeting.

Called inside the write's transaction, after the meeting row is written or locked, so per meeting the
messages are in commit order and a rolled-back write leaves no message behind.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from domain.outbox.service import enqueue

CALENDAR_TOPIC = "calendar.meeting"


async def meetings_changed(meeting_ids: Iterable[int], *, now: datetime) -> None:
    await enqueue(CALENDAR_TOPIC, [str(meeting_id) for meeting_id in meeting_ids], now=now)
