"""Queries: goal, reflection, and a relationship's goals, goal summary and shared reflections by its ID."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.context import Info
from schema.goals.types import (
    Goal,
    GoalSummary,
    Reflection,
    goal_summary_of_relationship,
    goals_of_relationship,
    readable_goal,
    shared_reflections_of_relationship,
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

    @strawberry.field(description="A relationship's goals with their texts; null unless you are a member.")
    async def relationship_goals(self, info: Info, relationship_id: relay.GlobalID) -> list[Goal] | None:
        return await goals_of_relationship(info, decode_id(relationship_id, "Relationship", field="relationshipId"))

    @strawberry.field(description="Counts of a relationship's goals by status; for members and its coordinators.")
    async def goal_summary(self, info: Info, relationship_id: relay.GlobalID) -> GoalSummary | None:
        return await goal_summary_of_relationship(
            info, decode_id(relationship_id, "Relationship", field="relationshipId")
        )

    @strawberry.field(description="Reflections members shared with the relationship; null unless you are a member.")
    async def shared_reflections(self, info: Info, relationship_id: relay.GlobalID) -> list[Reflection] | None:
        return await shared_reflections_of_relationship(
            info, decode_id(relationship_id, "Relationship", field="relationshipId")
        )
