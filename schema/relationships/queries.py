"""Queries: relationship, relationships (for whoever runs the program)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.relationships import models
from domain.relationships.queries import program_relationships
from schema.context import Info
from schema.enums import RelationshipStatus
from schema.pagination import Connection, paginate
from schema.relationships.types import Relationship, visible_relationships
from schema.relay_ids import decode_id


@strawberry.type
class RelationshipQueries:
    @strawberry.field(
        description="Null when there is no such relationship or you are neither a member nor its coordinator."
    )
    async def relationship(self, info: Info, id: relay.GlobalID) -> Relationship | None:
        row = await info.context.loaders.by_id(models.Relationship).load(decode_id(id, "Relationship"))
        return (await visible_relationships(info, [row]))[0]

    @strawberry.field(description="A program's relationships; null unless you coordinate the program.")
    async def relationships(
        self,
        info: Info,
        program_id: relay.GlobalID,
        status: list[RelationshipStatus] | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Relationship] | None:
        query = await program_relationships(
            info.context.viewer,
            program_id=decode_id(program_id, "Program", field="programId"),
            statuses=status or (),
        )
        if query is None:
            return None
        return await paginate(query, first=first, after=after, convert=Relationship.from_model)
