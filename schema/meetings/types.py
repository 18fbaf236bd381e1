"""GraphQL types for meetings: the meeting itself, attendees with RSVPs, agenda, reschedules and series."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from domain.meetings import models
from domain.meetings.booking import still_clashes
from domain.meetings.policy import MeetingView, meeting_view
from domain.people.models import Person as PersonRow
from domain.programs.models import ProgramCoordinator
from domain.relationships.access import access_from_rows
from domain.relationships.models import Relationship as RelationshipRow
from domain.relationships.models import RelationshipMember
from schema.context import Info
from schema.enums import Cadence, MeetingFormat
from schema.execution import answers_planned
from schema.relay_ids import encode_id

if TYPE_CHECKING:
    from schema.calendar.types import CalendarSync
    from schema.people.types import Person
    from schema.relationships.types import Relationship

PersonRef = Annotated["Person", strawberry.lazy("schema.people.types")]
RelationshipRef = Annotated["Relationship", strawberry.lazy("schema.relationships.types")]
MeetingStatus = strawberry.enum(models.MeetingStatus, name="MeetingStatus")
RsvpStatus = strawberry.enum(models.Rsvp, name="RsvpStatus")
RescheduleSource = strawberry.enum(
    models.RescheduleSource,
    name="RescheduleSource",
    description="Where a move was made: in Mentorgraph, or by the organizer in their own calendar.",
)


async def person_of(info: Info, person_id: int | None) -> Person | None:
    from schema.people.types import Person

    if person_id is None:
        return None
    row = await info.context.loaders.by_id(PersonRow).load(person_id)
    return Person.from_model(row) if row else None


async def relationship_of(info: Info, relationship_id: int) -> Relationship | None:
    """The relationship, if the viewer may see it (its members and its program's coordinators)."""
    from schema.relationships.types import visible_relationships

    row = await info.context.loaders.by_id(RelationshipRow).load(relationship_id)
    return (await visible_relationships(info, [row]))[0]


async def views_of(info: Info, rows: Sequence[models.Meeting]) -> list[MeetingView]:
    """How much of each meeting the viewer may see, from batched loads (a handful of queries for any count)."""
    loaders = info.context.loaders
    relationships = await loaders.by_id(RelationshipRow).load_many([row.relationship_id for row in rows])
    members = await loaders.children(RelationshipMember, "relationship_id").load_many(
        [row.relationship_id for row in rows]
    )
    coordinators = await loaders.children(ProgramCoordinator, "program_id").load_many(
        [relationship.program_id for relationship in relationships]
    )
    attendees = await loaders.children(models.MeetingAttendee, "meeting_id").load_many([row.id for row in rows])
    return [
        meeting_view(
            info.context.viewer,
            access_from_rows(relationship, [m.person_id for m in member_rows], [c.person_id for c in coordinator_rows]),
            {a.person_id for a in attendee_rows},
        )
        for relationship, member_rows, coordinator_rows, attendee_rows in zip(
            relationships, members, coordinators, attendees, strict=True
        )
    ]


async def visible_meetings(info: Info, rows: Sequence[models.Meeting | None]) -> list[Meeting | None]:
    present = [row for row in rows if row is not None]
    views = dict(zip([row.id for row in present], await views_of(info, present), strict=True))
    return [
        Meeting.from_model(row, views[row.id]) if row is not None and views[row.id] is not MeetingView.NONE else None
        for row in rows
    ]


@strawberry.type(description="One invited person and their answer.")
class MeetingAttendee:
    rsvp: RsvpStatus
    responded_at: datetime.datetime | None
    person_id: strawberry.Private[int]
    planned: strawberry.Private[dict | None] = None  # {"person": Person}, fetched with a whole list of relationships

    @strawberry.field
    @answers_planned
    def person(self, info: Info) -> PersonRef:
        return person_of(info, self.person_id)


@strawberry.type
class AgendaItem:
    position: int
    text: str
    created_at: datetime.datetime
    added_by_id: strawberry.Private[int | None]

    @strawberry.field
    async def added_by(self, info: Info) -> PersonRef | None:
        return await person_of(info, self.added_by_id)


@strawberry.type(description="One move of a meeting; the reason is shown to the relationship's members only.")
class MeetingReschedule:
    previous_start: datetime.datetime
    previous_end: datetime.datetime
    new_start: datetime.datetime
    new_end: datetime.datetime
    reason: str | None
    rescheduled_at: datetime.datetime
    source: RescheduleSource
    rescheduled_by_id: strawberry.Private[int | None]

    @strawberry.field
    async def rescheduled_by(self, info: Info) -> PersonRef | None:
        return await person_of(info, self.rescheduled_by_id)


@strawberry.type(
    description="Another meeting of an attendee at an overlapping time; its details belong to its own relationship."
)
class MeetingClash:
    other_start: datetime.datetime
    other_end: datetime.datetime
    detected_at: datetime.datetime


@strawberry.type(
    description="One person's cumulative inconvenience in a series: the sum of their per-occurrence costs "
    "(see SlotAttendee.cost for the units)."
)
class LedgerEntry:
    cost: float = strawberry.field(
        description="Sum of their costs so far; the thousands count night occurrences, the rest is hours outside "
        "the working day weighted by distance (1004.5 = one night plus 4.5 weighted hours)."
    )
    out_of_hours_count: int = strawberry.field(description="Occurrences outside their working hours.")
    night_count: int = strawberry.field(description="Occurrences touching their night.")
    person_id: strawberry.Private[int]

    @strawberry.field
    async def person(self, info: Info) -> PersonRef:
        return await person_of(info, self.person_id)


@strawberry.type(description="Meetings booked together from a fair rotation plan.")
class MeetingSeries:
    cadence: Cadence
    count: int
    duration_minutes: int
    first_date: datetime.date
    ledger: list[LedgerEntry] = strawberry.field(description="What each person carried when it was booked.")
    created_at: datetime.datetime
    series_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.MeetingSeries) -> MeetingSeries:
        return cls(
            cadence=row.cadence,
            count=row.count,
            duration_minutes=row.duration_minutes,
            first_date=row.first_date,
            ledger=[
                LedgerEntry(
                    person_id=int(key),
                    cost=entry["cost"],
                    out_of_hours_count=entry["out_of_hours"],
                    night_count=entry["nights"],
                )
                for key, entry in sorted(row.ledger.items(), key=lambda item: int(item[0]))
            ],
            created_at=row.created_at,
            series_id=row.id,
        )

    @strawberry.field(description="Its meetings you may see, in time order.")
    async def meetings(self, info: Info) -> list[Meeting]:
        rows = await info.context.loaders.children(models.Meeting, "series_id").load(self.series_id)
        return [meeting for meeting in await visible_meetings(info, rows) if meeting is not None]


@strawberry.type(
    description="A meeting of a relationship. Its members see everything; the program's coordinators see "
    "when it is, who attends and its status, while title, agenda, place and reasons read null for them."
)
class Meeting(relay.Node):
    id: relay.NodeID[int]
    start: datetime.datetime
    end: datetime.datetime
    format: MeetingFormat
    status: MeetingStatus
    calendar_uid: str = strawberry.field(description="The event's stable UID in calendars (RFC 5545).")
    sequence: int = strawberry.field(description="RFC 5545 SEQUENCE; raised on every change.")
    held_at: datetime.datetime | None
    cancelled_at: datetime.datetime | None
    created_at: datetime.datetime
    relationship_id: relay.GlobalID
    row: strawberry.Private[models.Meeting]
    view: strawberry.Private[MeetingView]
    # Fetched with a whole list of relationships (schema/relationships/planned.py); None when not.
    planned: strawberry.Private[dict | None] = None  # {"attendees": [...]}

    @classmethod
    def from_model(cls, row: models.Meeting, view: MeetingView) -> Meeting:
        return cls(
            id=row.id,
            start=row.starts_at,
            end=row.ends_at,
            format=row.format,
            status=row.status,
            calendar_uid=row.uid,
            sequence=row.sequence,
            held_at=row.held_at,
            cancelled_at=row.cancelled_at,
            created_at=row.created_at,
            relationship_id=encode_id("Relationship", row.relationship_id),
            row=row,
            view=view,
        )

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Meeting).load_many([int(i) for i in node_ids])
        return await visible_meetings(info, rows)

    def _members_only(self, value):
        return value if self.view is MeetingView.FULL else None

    @strawberry.field
    def title(self) -> str | None:
        return self._members_only(self.row.title)

    @strawberry.field
    def location(self) -> str | None:
        return self._members_only(self.row.location)

    @strawberry.field
    def conference_url(self) -> str | None:
        return self._members_only(self.row.conference_url)

    @strawberry.field
    def cancellation_reason(self) -> str | None:
        return self._members_only(self.row.cancellation_reason)

    @strawberry.field(description="Whether it reached its organizer's Google or Outlook calendar.")
    async def calendar_sync(self, info: Info) -> Annotated[CalendarSync, strawberry.lazy("schema.calendar.types")]:
        from domain.calendar.models import CalendarEvent
        from schema.calendar.types import CalendarSync

        rows = await info.context.loaders.children(CalendarEvent, "meeting_id").load(self.row.id)
        return CalendarSync.from_row(rows[0] if rows else None)

    @strawberry.field(description="Null for an attendee who has since left the relationship.")
    async def relationship(self, info: Info) -> RelationshipRef | None:
        return await relationship_of(info, self.row.relationship_id)

    @strawberry.field
    async def organizer(self, info: Info) -> PersonRef:
        return await person_of(info, self.row.organizer_id)

    @strawberry.field
    @answers_planned
    async def attendees(self, info: Info) -> list[MeetingAttendee]:
        rows = await info.context.loaders.children(models.MeetingAttendee, "meeting_id").load(self.id)
        return [MeetingAttendee(rsvp=r.rsvp, responded_at=r.responded_at, person_id=r.person_id) for r in rows]

    @strawberry.field(description="Null unless you are a member of the relationship.")
    async def agenda(self, info: Info) -> list[AgendaItem] | None:
        if self.view is not MeetingView.FULL:
            return None
        rows = await info.context.loaders.children(models.AgendaItem, "meeting_id").load(self.id)
        return [
            AgendaItem(position=r.position, text=r.text, created_at=r.created_at, added_by_id=r.added_by_id)
            for r in rows
        ]

    @strawberry.field
    async def reschedules(self, info: Info) -> list[MeetingReschedule]:
        rows = await info.context.loaders.children(models.MeetingReschedule, "meeting_id").load(self.id)
        return [
            MeetingReschedule(
                previous_start=r.old_starts_at,
                previous_end=r.old_ends_at,
                new_start=r.new_starts_at,
                new_end=r.new_ends_at,
                reason=self._members_only(r.reason),
                rescheduled_at=r.rescheduled_at,
                source=r.source,
                rescheduled_by_id=r.rescheduled_by_id,
            )
            for r in rows
        ]

    @strawberry.field(
        description="Null unless you are a member of the relationship. Other meetings of its attendees at an "
        "overlapping time: a move made in the organizer's calendar is taken even onto another meeting, and "
        "flagged here on both. Only clashes that still stand are listed."
    )
    async def calendar_clashes(self, info: Info) -> list[MeetingClash] | None:
        if self.view is not MeetingView.FULL:
            return None
        rows = await info.context.loaders.children(models.MeetingClash, "meeting_id").load(self.id)
        others = await info.context.loaders.by_id(models.Meeting).load_many([r.other_id for r in rows])
        return [
            MeetingClash(other_start=other.starts_at, other_end=other.ends_at, detected_at=r.detected_at)
            for r, other in zip(rows, others, strict=True)
            if still_clashes(self.row, other)
        ]

    @strawberry.field
    async def series(self, info: Info) -> MeetingSeries | None:
        if self.row.series_id is None:
            return None
        row = await info.context.loaders.by_id(models.MeetingSeries).load(self.row.series_id)
        return MeetingSeries.from_model(row) if row else None
