"""Periodic work over meetings, run by a scheduler; each sweep is one idempotent statement."""

from __future__ import annotations

from datetime import datetime, timedelta

from tortoise.expressions import F

from domain.meetings.models import Meeting, MeetingStatus
from domain.meetings.rules import BookingRules


async def mark_missed(now: datetime, grace: timedelta = BookingRules().missed_grace) -> int:
    """SCHEDULED meetings that ended more than `grace` ago become MISSED; returns how many did."""
    return await Meeting.filter(status=MeetingStatus.SCHEDULED, ends_at__lt=now - grace).update(
        status=MeetingStatus.MISSED, sequence=F("sequence") + 1, updated_at=now
    )
