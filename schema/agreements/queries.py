"""Queries: a relationship's agreement."""

from __future__ import annotations

import strawberry
from strawberry import relay

from schema.agreements.types import Agreement, agreement_of_relationship
from schema.context import Info
from schema.relay_ids import decode_id


@strawberry.type
class AgreementQueries:
    @strawberry.field(
        description="Null when there is none yet, or you are neither a member nor one of the program's coordinators."
    )
    async def agreement(self, info: Info, relationship_id: relay.GlobalID) -> Agreement | None:
        return await agreement_of_relationship(info, decode_id(relationship_id, "Relationship", field="relationshipId"))
