"""GraphQL types and queries for relationship health (AT_RISK when meetings stop being held)."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.clock import utc_now
from domain.errors import DomainError
from domain.meetings import health
from schema.context import Info
from schema.enums import Cadence
from schema.meetings.types import RelationshipRef, relationship_of
from schema.relay_ids import decode_id, encode_id

HealthStatus = strawberry.enum(health.HealthStatus, name="HealthStatus")


@strawberry.type(description="Whether a relationship's meetings keep up with its cadence.")
class RelationshipHealth:
    relationship_id: relay.GlobalID
    status: HealthStatus
    cadence: Cadence
    last_held_at: datetime.datetime | None
    due_by: datetime.datetime | None = strawberry.field(
        description="When it turns AT_RISK (or turned) without another held meeting: twice the cadence after "
        "the last held meeting, or after the start. Null when not tracked (not ACTIVE)."
    )

    key: strawberry.Private[int]

    @strawberry.field
    async def relationship(self, info: Info) -> RelationshipRef | None:
        return await relationship_of(info, self.key)

    @classmethod
    def from_domain(cls, value: health.RelationshipHealth) -> RelationshipHealth:
        return cls(
            key=value.relationship_id,
            relationship_id=encode_id("Relationship", value.relationship_id),
            status=value.status,
            cadence=value.cadence,
            last_held_at=value.last_held_at,
            due_by=value.due_by,
        )


@strawberry.type
class HealthQueries:
    @strawberry.field(description="For the relationship's members and its program's coordinators; else null.")
    async def relationship_health(self, info: Info, relationship_id: relay.GlobalID) -> RelationshipHealth | None:
        try:
            value = await health.relationship_health(
                info.context.viewer,
                relationship_id=decode_id(relationship_id, "Relationship", field="relationshipId"),
                now=utc_now(),
            )
        except DomainError:
            return None
        return RelationshipHealth.from_domain(value)

    @strawberry.field(
        description="The program's ACTIVE relationships with no held meeting for twice their cadence, longest "
        "overdue first: the coordinators' check-in list. Null unless you coordinate the program."
    )
    async def at_risk_relationships(self, info: Info, program_id: relay.GlobalID) -> list[RelationshipHealth] | None:
        try:
            values = await health.at_risk_relationships(
                info.context.viewer, program_id=decode_id(program_id, "Program", field="programId"), now=utc_now()
            )
        except DomainError:
            return None
        return [RelationshipHealth.from_domain(value) for value in values]
