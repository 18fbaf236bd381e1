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
    return (await meetings_of_relationships(info, [relationship_id]))[0]


async def meetings_of_relationships(info: Info, relationship_ids: list[int]) -> list[list[Meeting]]:
    """Each relationship's meetings, oldest first: in full for members, time and status for its coordinators."""
    groups = await info.context.loaders.children(models.Meeting, "relationship_id").load_many(relationship_ids)
    visible = iter(await visible_meetings(info, [row for rows in groups for row in rows]))
    return [[meeting for meeting in [next(visible) for _ in rows] if meeting is not None] for rows in groups]


async def next_meeting_of(info: Info, relationship_id: int) -> Meeting | None:
    return (await next_meetings_of(info, [relationship_id]))[0]


async def next_meetings_of(info: Info, relationship_ids: list[int]) -> list[Meeting | None]:
    """Each relationship's next scheduled meeting, batched over every relationship the request reads."""
    now = utc_now()
    loader = info.context.loaders.custom("next_meetings", lambda ids: health.next_meetings(ids, now))
    rows = await loader.load_many(relationship_ids)
    visible = iter(await visible_meetings(info, [row for row in rows if row is not None]))
    return [None if row is None else next(visible) for row in rows]


async def health_of_relationship(info: Info, relationship_id: int) -> RelationshipHealth:
    return (await health_of_relationships(info, [relationship_id]))[0]


async def health_of_relationships(info: Info, relationship_ids: list[int]) -> list[RelationshipHealth]:
    """Whether their meetings keep up with their cadence, batched over every relationship the request reads."""
    now = utc_now()
    loader = info.context.loaders.custom("relationship_health", lambda ids: health.health_by_id(ids, now))
    return [RelationshipHealth.from_domain(value) for value in await loader.load_many(relationship_ids)]
