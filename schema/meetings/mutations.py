"""Mutations on single meetings and on the viewer's calendar feed."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.clock import utc_now
from domain.idempotency.service import rows_of
from domain.meetings import feed, models, service
from domain.meetings.models import Meeting as MeetingRow
from domain.meetings.policy import MeetingView
from schema.context import Info
from schema.enums import MeetingFormat
from schema.errors import result_union, run_mutation
from schema.idempotency import IdempotentInput, run_once
from schema.meetings.feed import feed_url
from schema.meetings.types import Meeting, RsvpStatus
from schema.relay_ids import decode_id


def _payload(meeting: models.Meeting) -> MeetingPayload:
    # Only members reach a successful write, and they see the whole meeting.
    return MeetingPayload(meeting=Meeting.from_model(meeting, MeetingView.FULL))


@strawberry.type
class MeetingPayload:
    meeting: Meeting


@strawberry.input
class BookMeetingInput(IdempotentInput):
    relationship_id: relay.GlobalID
    start: datetime.datetime = strawberry.field(description="With its UTC offset.")
    end: datetime.datetime | None = strawberry.field(default=None, description="Give end or durationMinutes.")
    duration_minutes: int | None = None
    format: MeetingFormat = MeetingFormat.VIDEO
    title: str = "Mentoring session"
    location: str | None = None
    conference_url: str | None = None
    agenda: list[str] = strawberry.field(default_factory=list)


BookMeetingResult = result_union("BookMeetingResult", MeetingPayload)


@strawberry.input
class RescheduleMeetingInput:
    meeting_id: relay.GlobalID
    start: datetime.datetime
    end: datetime.datetime | None = None
    duration_minutes: int | None = None
    reason: str | None = None


RescheduleMeetingResult = result_union("RescheduleMeetingResult", MeetingPayload)


@strawberry.input
class CancelMeetingInput:
    meeting_id: relay.GlobalID
    reason: str | None = None


CancelMeetingResult = result_union("CancelMeetingResult", MeetingPayload)


@strawberry.input
class RespondToMeetingInput:
    meeting_id: relay.GlobalID
    response: RsvpStatus = strawberry.field(description="ACCEPTED, DECLINED or TENTATIVE.")


RespondToMeetingResult = result_union("RespondToMeetingResult", MeetingPayload)


@strawberry.input
class MarkMeetingHeldInput:
    meeting_id: relay.GlobalID


MarkMeetingHeldResult = result_union("MarkMeetingHeldResult", MeetingPayload)


@strawberry.input
class AddAgendaItemInput:
    meeting_id: relay.GlobalID
    text: str


AddAgendaItemResult = result_union("AddAgendaItemResult", MeetingPayload)


@strawberry.type
class RotateMyCalendarFeedPayload:
    url: str = strawberry.field(
        description="Your new secret feed URL (read it again with me { calendarFeed }); the old one stops working."
    )


RotateMyCalendarFeedResult = result_union("RotateMyCalendarFeedResult", RotateMyCalendarFeedPayload)


def _meeting_id(input) -> int:
    return decode_id(input.meeting_id, "Meeting", field="meetingId")


@strawberry.type
class MeetingMutations:
    @strawberry.mutation(description="Books a meeting of a relationship you belong to; every member is invited.")
    async def book_meeting(self, info: Info, input: BookMeetingInput) -> BookMeetingResult:
        async def action():
            return await service.book(
                info.context.viewer,
                relationship_id=decode_id(input.relationship_id, "Relationship", field="relationshipId"),
                start=input.start,
                end=input.end,
                duration_minutes=input.duration_minutes,
                format=input.format,
                title=input.title,
                location=input.location,
                conference_url=input.conference_url,
                agenda=input.agenda,
                rules=info.context.booking_rules,
            )

        return await run_once(info, input, action, _payload, codec=rows_of(MeetingRow))

    @strawberry.mutation(description="Moves a scheduled meeting; the others are asked to answer again.")
    async def reschedule_meeting(self, info: Info, input: RescheduleMeetingInput) -> RescheduleMeetingResult:
        async def action():
            return await service.reschedule(
                info.context.viewer,
                meeting_id=_meeting_id(input),
                start=input.start,
                end=input.end,
                duration_minutes=input.duration_minutes,
                reason=input.reason,
                rules=info.context.booking_rules,
            )

        return await run_mutation(action, _payload)

    @strawberry.mutation(description="Cancels a scheduled meeting; calendars keep it, marked cancelled.")
    async def cancel_meeting(self, info: Info, input: CancelMeetingInput) -> CancelMeetingResult:
        async def action():
            return await service.cancel(info.context.viewer, meeting_id=_meeting_id(input), reason=input.reason)

        return await run_mutation(action, _payload)

    @strawberry.mutation(description="Your answer to a meeting you are invited to.")
    async def respond_to_meeting(self, info: Info, input: RespondToMeetingInput) -> RespondToMeetingResult:
        async def action():
            return await service.respond(
                info.context.viewer, meeting_id=_meeting_id(input), response=models.Rsvp(input.response.value)
            )

        return await run_mutation(action, _payload)

    @strawberry.mutation(description="Confirms a meeting took place; it counts as the relationship's activity.")
    async def mark_meeting_held(self, info: Info, input: MarkMeetingHeldInput) -> MarkMeetingHeldResult:
        async def action():
            return await service.mark_held(info.context.viewer, meeting_id=_meeting_id(input))

        return await run_mutation(action, _payload)

    @strawberry.mutation
    async def add_agenda_item(self, info: Info, input: AddAgendaItemInput) -> AddAgendaItemResult:
        async def action():
            return await service.add_agenda_item(info.context.viewer, meeting_id=_meeting_id(input), text=input.text)

        return await run_mutation(action, _payload)

    @strawberry.mutation(
        description="A new secret URL for your calendar feed (RFC 5545, for any calendar app), for a leaked URL: "
        "the old one stops working, so every calendar subscribed to it must subscribe again."
    )
    async def rotate_my_calendar_feed(self, info: Info) -> RotateMyCalendarFeedResult:
        async def action():
            return await feed.rotate_feed(info.context.viewer, now=utc_now(), cipher=info.context.cipher)

        def to_payload(token: str) -> RotateMyCalendarFeedPayload:
            return RotateMyCalendarFeedPayload(url=feed_url(info, token))

        return await run_mutation(action, to_payload)
