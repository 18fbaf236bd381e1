"""Meeting fields that other types carry: `Person.meetings`, and `Relationship.meetings`, `nextMeeting`, `health`."""

from __future__ import annotations

import datetime

from domain.clock import utc_now
from domain.meetings import health, models
from domain.meetings.policy import MeetingView
from domain.meetings.queries import meetings_of_people
from domain.meetings.validation import valid_instant
from schema.context import Info
from schema.meetings.health import RelationshipHealth
from schema.meetings.types import Meeting, visible_meetings


async def person_meetings(
    info: Info, person_id: int, start: datetime.datetime | None, end: datetime.datetime | None
) -> list[Meeting] | None:
    """The person's meetings overlapping [from, to), for that person only (null for anyone else)."""
    if not info.context.viewer.is_person(person_id):
        return None
    start = None if start is None else valid_instant(start, field="from")
    end = None if end is None else valid_instant(end, field="to")

    async def load(person_ids) -> list[list[models.Meeting]]:
        return await meetings_of_people(person_ids, start=start, end=end)

    loader = info.context.loaders.custom(f"meetings_of_people:{start}:{end}", load)
    # The viewer attends every one of their own meetings, so each is fully visible to them.
    return [Meeting.from_model(row, MeetingView.FULL) for row in await loader.load(person_id)]


async def relationship_meetings(info: Info, relationship_id: int) -> list[Meeting]:
    """The relationship's meetings, oldest first: in full for members, time and status for its coordinators."""
    rows = await info.context.loaders.children(models.Meeting, "relationship_id").load(relationship_id)
    return [meeting for meeting in await visible_meetings(info, rows) if meeting is not None]


async def next_meeting_of(info: Info, relationship_id: int) -> Meeting | None:
    """The relationship's next scheduled meeting, batched over every relationship the request reads."""
    now = utc_now()
    loader = info.context.loaders.custom("next_meetings", lambda ids: health.next_meetings(ids, now))
    row = await loader.load(relationship_id)
    return None if row is None else (await visible_meetings(info, [row]))[0]


async def health_of_relationship(info: Info, relationship_id: int) -> RelationshipHealth:
    """Whether its meetings keep up with its cadence, batched over every relationship the request reads."""
    now = utc_now()
    loader = info.context.loaders.custom("relationship_health", lambda ids: health.health_by_id(ids, now))
    return RelationshipHealth.from_domain(await loader.load(relationship_id))
