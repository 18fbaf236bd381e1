"""Queries: a goal and a reflection by ID (a relationship's goals and reflections hang off Relationship)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.context import Info
from schema.goals.types import (
    Goal,
    Reflection,
    readable_goal,
)
from schema.relay_ids import decode_id


@strawberry.type
class GoalQueries:
    @strawberry.field(description="Null when there is no such goal or you are neither its owner nor a member.")
    async def goal(self, info: Info, id: relay.GlobalID) -> Goal | None:
        return await readable_goal(info, decode_id(id, "Goal"))

    @strawberry.field(description="Null unless you wrote it, or it was shared with a relationship you are in.")
    async def reflection(self, info: Info, id: relay.GlobalID) -> Reflection | None:
        found = await Reflection.resolve_nodes(info=info, node_ids=[decode_id(id, "Reflection")])
        return found[0]

