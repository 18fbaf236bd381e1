"""Batched reads for the schema's DataLoaders: meetings per person, and what a viewer may see of meetings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime

from domain.meetings.models import Meeting, MeetingAttendee


async def meetings_of_people(
    person_ids: Sequence[int], *, start: datetime | None = None, end: datetime | None = None
) -> list[list[Meeting]]:
    """Per person, the meetings they attend overlapping [start, end) (open ends are unbounded), by start."""
    query = Meeting.filter(attendees__person_id__in=list(set(person_ids)))
    if start is not None:
        query = query.filter(ends_at__gt=start)
    if end is not None:
        query = query.filter(starts_at__lt=end)
    meetings = {m.id: m for m in await query.distinct()}
    links = await MeetingAttendee.filter(meeting_id__in=list(meetings), person_id__in=list(set(person_ids)))
    grouped: dict[int, list[Meeting]] = defaultdict(list)
    for link in links:
        grouped[link.person_id].append(meetings[link.meeting_id])
    for rows in grouped.values():
        rows.sort(key=lambda m: (m.starts_at, m.id))
    return [grouped.get(person_id, []) for person_id in person_ids]
