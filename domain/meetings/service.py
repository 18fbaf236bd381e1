"""Use cases for single meetings: book, reschedule, cancel, answer, mark held, add to the agenda.

Each one checks who is asking, validates, then writes inside one transaction, so a failure writes nothing.
Every change raises the meeting's ICS SEQUENCE, RSVPs included: a subscribed calendar re-reads an event
only when its sequence or stamp moves, and the feed is where attendees see each other's answers.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.agreements.queries import agreed_terms
from domain.calendar.changes import attendee_answered, meetings_changed
from domain.clock import utc_now
from domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from domain.meetings import validation as v
from domain.meetings.booking import create_meeting, lock_people, refuse_clash
from domain.meetings.coverage import refuse_past_agreement
from domain.meetings.models import AgendaItem, Meeting, MeetingAttendee, MeetingReschedule, MeetingStatus, Rsvp
from domain.meetings.policy import MeetingView, meeting_view
from domain.meetings.rules import BookingRules
from domain.people.models import MeetingFormat
from domain.relationships.access import RelationshipAccess, relationship_access
from domain.relationships.inactivity import touch_activity
from domain.relationships.models import Relationship, RelationshipStatus
from domain.relationships.sessions import check_room_for_meetings, complete_after_session

# A first conversation before the agreement is signed is how a proposed pair gets to know each other
# (the guide's "a first meeting should feel like getting to know someone"), so PROPOSED may book too.
BOOKABLE = frozenset({RelationshipStatus.ACTIVE, RelationshipStatus.PROPOSED})


def require_bookable(relationship: Relationship, allowed: frozenset[RelationshipStatus] = BOOKABLE) -> None:
    if relationship.status not in allowed:
        allowed_names = " or ".join(sorted(s.value for s in allowed))
        raise InvalidTransition(
            f"This relationship is {relationship.status.value}; meetings are booked only while it is {allowed_names}.",
            field="relationship_id",
        )


async def member_ids(relationship_id: int) -> list[int]:
    access = await relationship_access(relationship_id)
    return sorted(access.member_ids)


async def book(
    viewer: Viewer,
    *,
    relationship_id: int,
    start: datetime,
    end: datetime | None = None,
    duration_minutes: int | None = None,
    format: MeetingFormat = MeetingFormat.VIDEO,
    title: str,
    location: str | None = None,
    conference_url: str | None = None,
    agenda: Sequence[str] = (),
    rules: BookingRules = BookingRules(),
    now: datetime | None = None,
) -> Meeting:
    """A meeting of the whole relationship, organised by the viewer, who must be a member."""
    now = now or utc_now()
    access = await relationship_access(relationship_id)
    organizer_id = access.require_member(viewer)
    require_bookable(access.relationship)
    if end is None and duration_minutes is None:
        # Neither given: as long as the members agreed their meetings would be.
        duration_minutes = (await agreed_terms([access.relationship]))[access.relationship.id].meeting_minutes
    start, end = v.valid_span(start, end, duration_minutes, now=now, rules=rules)
    await refuse_past_agreement(access.relationship, start, organizer_id=organizer_id, now=now)
    details = dict(
        format=MeetingFormat(format),
        title=v.valid_title(title),
        location=v.valid_location(location),
        conference_url=v.valid_conference_url(conference_url),
    )
    items = v.valid_agenda(agenda)
    attendees = sorted(access.member_ids)
    async with in_transaction():
        await lock_people(attendees)
        await refuse_clash(attendees, start, end)
        await check_room_for_meetings(access.relationship, 1)
        return await create_meeting(
            relationship_id=relationship_id,
            organizer_id=organizer_id,
            attendee_ids=attendees,
            start=start,
            end=end,
            details=details,
            agenda=items,
            now=now,
        )


async def _locked_meeting(viewer: Viewer, meeting_id: int) -> tuple[Meeting, RelationshipAccess, list[int]]:
    """The meeting, locked, with who may see it; outsiders get NotFound, as if it did not exist."""
    meeting = await Meeting.filter(id=meeting_id).select_for_update().first()
    if meeting is None:
        raise NotFound("No such meeting.", field="meeting_id")
    access = await relationship_access(meeting.relationship_id, field="meeting_id")
    attendee_ids = await MeetingAttendee.filter(meeting_id=meeting_id).values_list("person_id", flat=True)
    if meeting_view(viewer, access, attendee_ids) is MeetingView.NONE:
        raise NotFound("No such meeting.", field="meeting_id")
    return meeting, access, sorted(attendee_ids)


def _require_member(viewer: Viewer, access: RelationshipAccess) -> int:
    if not access.is_member(viewer):
        raise PermissionDenied("Only the relationship's members can change its meetings.", field="meeting_id")
    return viewer.person_id  # type: ignore[return-value]


def _require_status(meeting: Meeting, *allowed: MeetingStatus, action: str) -> None:
    if meeting.status not in allowed:
        raise InvalidTransition(f"A {meeting.status.value} meeting cannot be {action}.", field="meeting_id")


async def _bump(meeting: Meeting, now: datetime, *, calendars: bool = True, **changes) -> None:
    """Saves `changes` and raises the sequence in the same UPDATE, so concurrent bumps never collapse.

    `calendars`: whether the change is one the organizer's calendar event shows (time, status, title, agenda)
    and so goes to the outbox; an RSVP or a meeting marked held is not.
    """
    await Meeting.filter(id=meeting.id).update(**changes, sequence=F("sequence") + 1, updated_at=now)
    await meeting.refresh_from_db()
    if calendars:
        await meetings_changed([meeting.id], now=now)


async def reschedule(
    viewer: Viewer,
    *,
    meeting_id: int,
    start: datetime,
    end: datetime | None = None,
    duration_minutes: int | None = None,
    reason: str | None = None,
    rules: BookingRules = BookingRules(),
    now: datetime | None = None,
) -> Meeting:
    """Moves a scheduled meeting; everyone but the mover is asked to answer again."""
    now = now or utc_now()
    reason_text = v.valid_reason(reason)
    async with in_transaction():
        meeting, access, attendees = await _locked_meeting(viewer, meeting_id)
        mover_id = _require_member(viewer, access)
        _require_status(meeting, MeetingStatus.SCHEDULED, action="rescheduled")
        require_bookable(access.relationship)
        new_start, new_end = v.valid_span(start, end, duration_minutes, now=now, rules=rules)
        if (new_start, new_end) == (meeting.starts_at, meeting.ends_at):
            raise ValidationFailed("The meeting is already at that time.", field="start")
        await refuse_past_agreement(access.relationship, new_start, organizer_id=meeting.organizer_id, now=now)
        await lock_people(attendees)
        await refuse_clash(attendees, new_start, new_end, ignore_meeting_id=meeting.id)
        await MeetingReschedule.create(
            meeting_id=meeting.id,
            old_starts_at=meeting.starts_at,
            old_ends_at=meeting.ends_at,
            new_starts_at=new_start,
            new_ends_at=new_end,
            rescheduled_by_id=mover_id,
            reason=reason_text,
            rescheduled_at=now,
        )
        await (
            MeetingAttendee.filter(meeting_id=meeting.id)
            .exclude(person_id=mover_id)
            .update(rsvp=Rsvp.NEEDS_ACTION, responded_at=None)
        )
        await MeetingAttendee.filter(meeting_id=meeting.id, person_id=mover_id).update(
            rsvp=Rsvp.ACCEPTED, responded_at=now
        )
        await _bump(meeting, now, starts_at=new_start, ends_at=new_end)
    return meeting


async def cancel(viewer: Viewer, *, meeting_id: int, reason: str | None = None, now: datetime | None = None) -> Meeting:
    """Cancels a scheduled meeting; it stays listed (calendars show it cancelled) and frees everyone's time."""
    now = now or utc_now()
    reason_text = v.valid_reason(reason)
    async with in_transaction():
        meeting, access, _ = await _locked_meeting(viewer, meeting_id)
        _require_member(viewer, access)
        _require_status(meeting, MeetingStatus.SCHEDULED, action="cancelled")
        await _bump(meeting, now, status=MeetingStatus.CANCELLED, cancelled_at=now, cancellation_reason=reason_text)
    return meeting


async def respond(viewer: Viewer, *, meeting_id: int, response: Rsvp, now: datetime | None = None) -> Meeting:
    """An attendee's answer to a scheduled meeting."""
    now = now or utc_now()
    response = Rsvp(response)
    if response is Rsvp.NEEDS_ACTION:
        raise ValidationFailed("Answer ACCEPTED, DECLINED or TENTATIVE.", field="response")
    async with in_transaction():
        meeting, _, attendees = await _locked_meeting(viewer, meeting_id)
        if viewer.person_id not in attendees:
            raise PermissionDenied("Only the meeting's attendees can answer it.", field="meeting_id")
        _require_status(meeting, MeetingStatus.SCHEDULED, action="answered")
        await MeetingAttendee.filter(meeting_id=meeting.id, person_id=viewer.person_id).update(
            rsvp=response, responded_at=now
        )
        await _bump(meeting, now, calendars=False)
        # Their own calendar's copy of the invitation is answered too, where a company connection acts for them.
        await attendee_answered(meeting.id, viewer.person_id, now=now)
    return meeting


async def mark_held(viewer: Viewer, *, meeting_id: int, now: datetime | None = None) -> Meeting:
    """Confirms a meeting took place (also one the sweep had marked missed) and counts as relationship activity."""
    now = now or utc_now()
    async with in_transaction():
        meeting, access, _ = await _locked_meeting(viewer, meeting_id)
        _require_member(viewer, access)
        _require_status(meeting, MeetingStatus.SCHEDULED, MeetingStatus.MISSED, action="marked held")
        if now < meeting.starts_at:
            raise InvalidTransition("A meeting can be marked held only once it has started.", field="meeting_id")
        await _bump(meeting, now, calendars=False, status=MeetingStatus.HELD, held_at=now)
        await touch_activity(meeting.relationship_id, now)
        await complete_after_session(meeting.relationship_id, now)
    return meeting


async def add_agenda_item(viewer: Viewer, *, meeting_id: int, text: str, now: datetime | None = None) -> Meeting:
    now = now or utc_now()
    item_text = v.valid_agenda_text(text, field="text")
    async with in_transaction():
        meeting, access, _ = await _locked_meeting(viewer, meeting_id)
        author_id = _require_member(viewer, access)
        _require_status(meeting, MeetingStatus.SCHEDULED, action="given new agenda items")
        positions = await AgendaItem.filter(meeting_id=meeting.id).values_list("position", flat=True)
        if len(positions) >= v.MAX_AGENDA_ITEMS:
            raise ValidationFailed(f"A meeting has at most {v.MAX_AGENDA_ITEMS} agenda items.", field="text")
        await AgendaItem.create(
            meeting_id=meeting.id, position=max(positions, default=0) + 1, text=item_text, added_by_id=author_id
        )
        await _bump(meeting, now)
    return meeting
