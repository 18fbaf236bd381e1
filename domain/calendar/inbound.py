"""Applying what an organizer's calendar shows to Mentorgraph's meetings (inbound sync).

Only events Mentorgraph made are considered: their id is the one stored for the meeting (and, where the provider
returns it, our extended property names the meeting); every other event is left alone. Per event, under the
meeting's row lock, in one transaction:

- an attendee's answer that changed in the calendar becomes their RSVP, with `respondedAt`;
- the organizer moving the event reschedules the meeting (a reschedule record from the CALENDAR), even over
  another Mentorgraph meeting of an attendee: the calendar is the organizer's truth, and the clash is flagged
  on both meetings;
- the organizer deleting the event cancels the meeting ("Cancelled in the calendar");
- titles and descriptions edited there are left alone.

No echo: an event whose etag is the one Mentorgraph last wrote or took in is its own change and is skipped, and
time or status are taken only while the outbound worker has nothing left to write for the meeting (otherwise
Mentorgraph's newer version is on its way to the calendar and wins). A change taken from the calendar is marked
synced at once, so the outbound worker never writes it back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain.calendar.inbound_ports import SeenEvent
from domain.calendar.models import CalendarEvent, Provider, SyncStatus
from domain.meetings.booking import overlapping
from domain.meetings.models import (
    Meeting,
    MeetingAttendee,
    MeetingClash,
    MeetingReschedule,
    MeetingStatus,
    RescheduleSource,
    Rsvp,
)

CANCELLED_IN_CALENDAR = "Cancelled in the calendar."
MOVED_IN_CALENDAR = "Moved in the calendar."


@dataclass
class Applied:
    """What one batch of calendar events changed, for the worker's log and the benchmarks."""

    answers: int = 0
    moved: int = 0
    cancelled: int = 0
    clashes: int = 0
    echoes: int = 0
    foreign: int = 0

    def add(self, other: Applied) -> None:
        for name, value in vars(other).items():
            setattr(self, name, getattr(self, name) + value)


async def apply_seen(
    provider: Provider, calendar: str, seen: Sequence[SeenEvent], *, read_at: datetime, now: datetime
) -> Applied:
    """Takes each of our events' calendar state, as read from `read_at` on, into its meeting; returns what
    changed."""
    applied = Applied()
    ids = [event.event_id for event in seen]
    ours = {
        row.event_id: row
        for row in await CalendarEvent.filter(provider=provider, calendar=calendar.lower(), event_id__in=ids)
    }
    for event in seen:
        row = ours.get(event.event_id)
        if row is None:
            applied.foreign += 1
            continue
        applied.add(await _apply_one(row.meeting_id, event, read_at=read_at, now=now))
    return applied


async def _apply_one(meeting_id: int, seen: SeenEvent, *, read_at: datetime, now: datetime) -> Applied:
    applied = Applied()
    async with in_transaction():
        meeting = await Meeting.filter(id=meeting_id).select_for_update().first()
        row = await CalendarEvent.get_or_none(meeting_id=meeting_id)
        if meeting is None or row is None or row.event_id != seen.event_id:
            return applied
        if seen.meeting_uid is not None and seen.meeting_uid != meeting.uid:
            applied.foreign += 1
            return applied
        if meeting.status is not MeetingStatus.SCHEDULED:
            return applied
        if seen.etag and seen.etag == row.etag:
            applied.echoes += 1
            return applied
        # The outbound worker still has a change of Mentorgraph's to write (or wrote one after this read, which
        # then shows an older version): Mentorgraph's version wins for time and status.
        settled = row.status is SyncStatus.SYNCED and (row.synced_at is None or row.synced_at < read_at)
        changes: dict = {}
        if seen.cancelled:
            if settled:
                changes.update(
                    status=MeetingStatus.CANCELLED, cancelled_at=now, cancellation_reason=CANCELLED_IN_CALENDAR
                )
                applied.cancelled += 1
        else:
            applied.answers += await _take_answers(meeting, row, seen, now=now)
            moved = (
                seen.start is not None
                and seen.end is not None
                and (seen.start, seen.end)
                != (
                    meeting.starts_at,
                    meeting.ends_at,
                )
            )
            if settled and moved and seen.start < seen.end:
                applied.clashes += await _take_move(meeting, seen, now=now)
                changes.update(starts_at=seen.start, ends_at=seen.end)
                applied.moved += 1
        taken = bool(changes) or applied.answers > 0
        if taken:
            # The ICS feed re-reads an event when its sequence moves; the calendar already shows this version.
            await Meeting.filter(id=meeting.id).update(**changes, sequence=F("sequence") + 1, updated_at=now)
            if settled and row.synced_sequence == meeting.sequence:
                await CalendarEvent.filter(id=row.id).update(synced_sequence=meeting.sequence + 1)
        if settled or taken:
            await CalendarEvent.filter(id=row.id).update(etag="" if seen.cancelled else seen.etag or row.etag)
    return applied


async def _take_answers(meeting: Meeting, row: CalendarEvent, seen: SeenEvent, *, now: datetime) -> int:
    """Answers that changed in the calendar since it was last read; returns how many RSVPs moved."""
    attendees = {
        email.lower(): (attendee_id, rsvp)
        for attendee_id, email, rsvp in await MeetingAttendee.filter(meeting_id=meeting.id)
        .exclude(person_id=meeting.organizer_id)
        .values_list("id", "person__email", "rsvp")
    }
    previously = dict(row.seen_responses or {})
    taken = 0
    for email, (answer, answered_at) in seen.responses.items():
        if email not in attendees:
            continue
        before = previously.get(email)
        if before == answer.value:
            continue
        previously[email] = answer.value
        # A first look at an unanswered invite says nothing (the attendee may have answered in Mentorgraph).
        if before is None and answer is Rsvp.NEEDS_ACTION:
            continue
        attendee_id, current = attendees[email]
        if Rsvp(current) is answer:
            continue
        responded_at = None if answer is Rsvp.NEEDS_ACTION else answered_at or now
        await MeetingAttendee.filter(id=attendee_id).update(rsvp=answer, responded_at=responded_at)
        taken += 1
    if previously != (row.seen_responses or {}):
        await CalendarEvent.filter(id=row.id).update(seen_responses=previously)
    return taken


async def _take_move(meeting: Meeting, seen: SeenEvent, *, now: datetime) -> int:
    """Records the calendar's move and flags clashes with attendees' other meetings; returns how many."""
    await MeetingReschedule.create(
        meeting_id=meeting.id,
        old_starts_at=meeting.starts_at,
        old_ends_at=meeting.ends_at,
        new_starts_at=seen.start,
        new_ends_at=seen.end,
        rescheduled_by_id=meeting.organizer_id,
        reason=MOVED_IN_CALENDAR,
        rescheduled_at=now,
        source=RescheduleSource.CALENDAR,
    )
    people = await MeetingAttendee.filter(meeting_id=meeting.id).values_list("person_id", flat=True)
    others = await overlapping(people, seen.start, seen.end, ignore_meeting_id=meeting.id).values_list("id", flat=True)
    rows = [MeetingClash(meeting_id=meeting.id, other_id=other, detected_at=now) for other in others]
    rows += [MeetingClash(meeting_id=other, other_id=meeting.id, detected_at=now) for other in others]
    if rows:
        await MeetingClash.bulk_create(rows, ignore_conflicts=True)
    return len(others)
