"""GraphQL types and queries for relationship health (AT_RISK when meetings stop being held)."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.clock import utc_now
from domain.errors import DomainError
from domain.feedback import signals
from domain.meetings import health
from schema.context import Info
from schema.enums import Cadence
from schema.meetings.types import RelationshipRef, relationship_of
from schema.relay_ids import decode_id, encode_id

HealthStatus = strawberry.enum(health.HealthStatus, name="HealthStatus")
RiskSignalKind = strawberry.enum(signals.RiskSignalKind, name="RiskSignalKind")


@strawberry.type(description="Why a relationship is AT_RISK; never what a member wrote.")
class RiskSignal:
    kind: RiskSignalKind
    value: int | None = strawberry.field(
        description="MISSED_MEETING_STREAK: how many meetings in a row were missed; LOW_PULSE: the lowest latest "
        "pulse rating (1-5) among the members' named answers; null otherwise."
    )


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

    signals: list[RiskSignal] = strawberry.field(description="What put it AT_RISK; empty when ON_TRACK.")

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
            signals=[RiskSignal(kind=signal.kind, value=signal.value) for signal in value.signals],
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
        description="The program's ACTIVE relationships with no held meeting for twice their cadence, a streak of "
        "missed meetings or a low named pulse score, longest overdue first, each with the signals that put it "
        "there: the coordinators' check-in list. Null unless you coordinate the program."
    )
    async def at_risk_relationships(self, info: Info, program_id: relay.GlobalID) -> list[RelationshipHealth] | None:
        try:
            values = await health.at_risk_relationships(
                info.context.viewer, program_id=decode_id(program_id, "Program", field="programId"), now=utc_now()
            )
        except DomainError:
            return None
        return [RelationshipHealth.from_domain(value) for value in values]
