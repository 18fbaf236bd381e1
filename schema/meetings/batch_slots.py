"""availableSlotsForRelationships: one query answering "when could each of these pairs meet?" for up to 200."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.meetings import batch_slots
from domain.meetings.availability import SlotSearchResult
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.meetings.scheduling import UNAVAILABLE_CALENDARS, AvailableSlot, people_of
from schema.meetings.types import PersonRef, RelationshipRef, relationship_of
from schema.relay_ids import decode_id, encode_id


@strawberry.type(description="Ranked free slots for one relationship's members.")
class RelationshipSlots:
    relationship_id: relay.GlobalID
    slots: list[AvailableSlot]
    key: strawberry.Private[int]
    unavailable_ids: strawberry.Private[list[int]]

    @strawberry.field
    async def relationship(self, info: Info) -> RelationshipRef | None:
        return await relationship_of(info, self.key)

    @strawberry.field(description=UNAVAILABLE_CALENDARS)
    async def unavailable_calendars(self, info: Info) -> list[PersonRef]:
        return await people_of(info, self.unavailable_ids)


@strawberry.type
class AvailableSlotsForRelationships:
    results: list[RelationshipSlots | None] = strawberry.field(
        description="One entry per relationshipId, in the order given; null where you are neither a member nor "
        "one of the program's coordinators, or no such relationship exists."
    )


AvailableSlotsForRelationshipsResult = result_union(
    "AvailableSlotsForRelationshipsResult", AvailableSlotsForRelationships
)


@strawberry.input
class AvailableSlotsForRelationshipsInput:
    relationship_ids: list[relay.GlobalID] = strawberry.field(
        description=f"1 to {batch_slots.MAX_RELATIONSHIPS} relationships."
    )
    from_: datetime.datetime = strawberry.field(name="from")
    to: datetime.datetime
    duration_minutes: int
    limit: int = strawberry.field(default=3, description="Slots per relationship.")


def _entry(relationship_id: int, found: SlotSearchResult | None) -> RelationshipSlots | None:
    if found is None:
        return None
    return RelationshipSlots(
        relationship_id=encode_id("Relationship", relationship_id),
        slots=[AvailableSlot.from_domain(slot) for slot in found.slots],
        key=relationship_id,
        unavailable_ids=found.unavailable_calendars,
    )


@strawberry.type
class BatchSchedulingQueries:
    @strawberry.field(
        description="Ranked free slots for many relationships in one request: a coordinator's planning view. "
        "Each relationship is searched as availableSlots would search it."
    )
    async def available_slots_for_relationships(
        self, info: Info, input: AvailableSlotsForRelationshipsInput
    ) -> AvailableSlotsForRelationshipsResult:
        async def action():
            ids = [
                decode_id(value, "Relationship", field=f"relationshipIds[{index}]")
                for index, value in enumerate(input.relationship_ids)
            ]
            found = await batch_slots.available_slots_for_relationships(
                info.context.viewer,
                relationship_ids=ids,
                start=input.from_,
                end=input.to,
                duration_minutes=input.duration_minutes,
                limit=input.limit,
                free_busy=info.context.free_busy,
                rules=info.context.booking_rules,
            )
            return ids, found

        return await run_mutation(
            action,
            lambda outcome: AvailableSlotsForRelationships(
                results=[_entry(key, found) for key, found in zip(*outcome, strict=True)]
            ),
        )
