"""The write path every booking shares: lock the people, refuse overlaps, create the meeting and its attendees.

No person may sit in two overlapping SCHEDULED meetings. The check and the insert must not interleave with
another booking for the same people, so the attendees' Person rows are locked first (ordered by id, so two
bookings that share people always lock in the same order and never deadlock). Under READ COMMITTED the
overlap query that follows each lock sees whatever the previous lock holder committed. SQLite serialises
whole transactions, which gives the same guarantee there. Call these inside `in_transaction()`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import Subquery

from domain.calendar.changes import meetings_changed
from domain.errors import Conflict
from domain.meetings.models import AgendaItem, Meeting, MeetingAttendee, MeetingStatus, Rsvp
from domain.people.models import Person


async def lock_people(person_ids: Sequence[int]) -> None:
    # Whole rows on purpose: Tortoise silently drops FOR UPDATE from a values()/values_list() query.
    await Person.filter(id__in=sorted(set(person_ids))).order_by("id").select_for_update()


async def clashing_meeting(
    person_ids: Sequence[int], start: datetime, end: datetime, *, ignore_meeting_id: int | None = None
) -> Meeting | None:
    """A SCHEDULED meeting of any of these people overlapping [start, end); touching ends do not clash."""
    return await overlapping(person_ids, start, end, ignore_meeting_id=ignore_meeting_id).order_by("starts_at").first()


def overlapping(person_ids: Sequence[int], start: datetime, end: datetime, *, ignore_meeting_id: int | None = None):
    """Every SCHEDULED meeting of any of these people overlapping [start, end), as a query."""
    attended = MeetingAttendee.filter(person_id__in=list(person_ids)).values("meeting_id")
    query = Meeting.filter(
        id__in=Subquery(attended), status=MeetingStatus.SCHEDULED, starts_at__lt=end, ends_at__gt=start
    )
    return query.exclude(id=ignore_meeting_id) if ignore_meeting_id is not None else query


def still_clashes(meeting: Meeting, other: Meeting | None) -> bool:
    """Whether a clash flagged between two meetings still stands: the other is SCHEDULED and overlaps the
    meeting's [start, end) as they are now, by the same rule as `overlapping` (touching ends do not clash)."""
    return (
        other is not None
        and other.status is MeetingStatus.SCHEDULED
        and other.starts_at < meeting.ends_at
        and other.ends_at > meeting.starts_at
    )


async def refuse_clash(
    person_ids: Sequence[int],
    start: datetime,
    end: datetime,
    *,
    ignore_meeting_id: int | None = None,
    field: str = "start",
) -> None:
    clash = await clashing_meeting(person_ids, start, end, ignore_meeting_id=ignore_meeting_id)
    if clash is not None:
        raise Conflict(
            f"Someone invited already has a meeting from {clash.starts_at:%Y-%m-%d %H:%M} "
            f"to {clash.ends_at:%H:%M} UTC.",
            field=field,
        )


async def create_meeting(
    *,
    relationship_id: int,
    organizer_id: int,
    attendee_ids: Sequence[int],
    start: datetime,
    end: datetime,
    details: dict,
    agenda: Sequence[str] = (),
    series_id: int | None = None,
    now: datetime,
) -> Meeting:
    """Writes one meeting; the organizer has accepted, everyone else has yet to answer."""
    meeting = await Meeting.create(
        relationship_id=relationship_id,
        organizer_id=organizer_id,
        series_id=series_id,
        starts_at=start,
        ends_at=end,
        **details,
    )
    await MeetingAttendee.bulk_create(
        [
            MeetingAttendee(
                meeting_id=meeting.id,
                person_id=person_id,
                rsvp=Rsvp.ACCEPTED if person_id == organizer_id else Rsvp.NEEDS_ACTION,
                responded_at=now if person_id == organizer_id else None,
            )
            for person_id in attendee_ids
        ]
    )
    await AgendaItem.bulk_create(
        [
            AgendaItem(meeting_id=meeting.id, position=position, text=text, added_by_id=organizer_id)
            for position, text in enumerate(agenda, start=1)
        ]
    )
    await meetings_changed([meeting.id], now=now)
    return meeting
