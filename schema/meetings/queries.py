"""Queries: one meeting by ID."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.meetings import models
from schema.context import Info
from schema.meetings.types import Meeting, visible_meetings
from schema.relay_ids import decode_id


@strawberry.type
class MeetingQueries:
    @strawberry.field(description="Null unless you attend it, belong to its relationship or coordinate its program.")
    async def meeting(self, info: Info, id: relay.GlobalID) -> Meeting | None:
        row = await info.context.loaders.by_id(models.Meeting).load(decode_id(id, "Meeting"))
        return (await visible_meetings(info, [row]))[0]
