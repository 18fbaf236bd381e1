"""GraphQL types for relationships, mentor requests and rematch requests; visibility comes from the domain."""

from __future__ import annotations

import asyncio
import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from domain.people.models import Person as PersonRow
from domain.programs.models import Program as ProgramRow
from domain.relationships import models
from domain.relationships.access import (
    RelationshipAccess,
    access_from_rows,
    can_see_mentor_request,
    can_see_rematch_request,
)
from domain.relationships.lifecycle import allowed_transitions
from schema.context import Info
from schema.convert import from_row
from schema.enums import (
    ClosureReason,
    MemberRole,
    MentorRequestStatus,
    ProgramKind,
    RelationshipOrigin,
    RelationshipStatus,
    RematchStatus,
)
from schema.execution import answers_planned
from schema.programs.types import coordinator_ids

if TYPE_CHECKING:
    from schema.agreements.types import Agreement
    from schema.goals.types import Goal, GoalSummary, Reflection
    from schema.meetings.health import RelationshipHealth
    from schema.meetings.types import Meeting
    from schema.people.types import Person
    from schema.programs.types import Program

PersonRef = Annotated["Person", strawberry.lazy("schema.people.types")]
ProgramRef = Annotated["Program", strawberry.lazy("schema.programs.types")]
AgreementRef = Annotated["Agreement", strawberry.lazy("schema.agreements.types")]
GoalRef = Annotated["Goal", strawberry.lazy("schema.goals.types")]
GoalSummaryRef = Annotated["GoalSummary", strawberry.lazy("schema.goals.types")]
ReflectionRef = Annotated["Reflection", strawberry.lazy("schema.goals.types")]
MeetingRef = Annotated["Meeting", strawberry.lazy("schema.meetings.types")]
HealthRef = Annotated["RelationshipHealth", strawberry.lazy("schema.meetings.health")]


async def _person(info: Info, person_id: int | None) -> Person | None:
    from schema.people.types import Person

    if person_id is None:
        return None
    row = await info.context.loaders.by_id(PersonRow).load(person_id)
    return Person.from_model(row) if row else None


async def access_for(info: Info, row: models.Relationship) -> RelationshipAccess:
    """Members and coordinators through the request's loaders: batched across every relationship on the page."""
    members = await info.context.loaders.children(models.RelationshipMember, "relationship_id").load(row.id)
    coordinators = await coordinator_ids(info, row.program_id)
    return access_from_rows(row, [member.person_id for member in members], list(coordinators))


async def visible_relationships(info: Info, rows: list[models.Relationship | None]) -> list[Relationship | None]:
    """Each row as a Relationship if the viewer is a member or runs its program, else None."""
    present = [row for row in rows if row is not None]
    accesses = await asyncio.gather(*(access_for(info, row) for row in present))
    visible = {a.relationship.id for a in accesses if a.can_see_metadata(info.context.viewer)}
    return [Relationship.from_model(row) if row is not None and row.id in visible else None for row in rows]


@strawberry.type
class RelationshipMember:
    role: MemberRole
    joined_at: datetime.datetime
    person_id: strawberry.Private[int]
    planned: strawberry.Private[dict | None] = None  # {"person": Person}, fetched with the whole list (planned.py)

    @strawberry.field
    @answers_planned
    def person(self, info: Info) -> PersonRef:
        return _person(info, self.person_id)


@strawberry.type(description="A mentoring relationship: visible to its members and to whoever runs its program.")
class Relationship(relay.Node):
    id: relay.NodeID[int]
    kind: ProgramKind
    status: RelationshipStatus
    origin: RelationshipOrigin
    closure_reason: ClosureReason | None
    closure_note: str
    started_at: datetime.datetime | None
    paused_at: datetime.datetime | None
    ended_at: datetime.datetime | None
    last_activity_at: datetime.datetime
    inactivity_notice_at: datetime.datetime | None = strawberry.field(
        description="When the members were warned that the relationship will auto-conclude if nothing happens."
    )
    created_at: datetime.datetime
    row: strawberry.Private[models.Relationship]
    # Answers fetched for a whole list up front (planned.py), by resolver name; None when not planned.
    planned: strawberry.Private[dict | None] = None

    @classmethod
    def from_model(cls, row: models.Relationship) -> Relationship:
        return from_row(cls, row, row=row, planned=None)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Relationship).load_many([int(i) for i in node_ids])
        return await visible_relationships(info, rows)

    @strawberry.field
    async def program(self, info: Info) -> ProgramRef:
        from schema.programs.types import Program

        return Program.from_model(await info.context.loaders.by_id(ProgramRow).load(self.row.program_id))

    @strawberry.field
    @answers_planned
    async def members(self, info: Info) -> list[RelationshipMember]:
        rows = await info.context.loaders.children(models.RelationshipMember, "relationship_id").load(self.id)
        return [RelationshipMember(role=row.role, joined_at=row.joined_at, person_id=row.person_id) for row in rows]

    @strawberry.field(description="The relationship this one replaced after a rematch; null if none or not yours.")
    async def previous(self, info: Info) -> Relationship | None:
        if self.row.previous_id is None:
            return None
        row = await info.context.loaders.by_id(models.Relationship).load(self.row.previous_id)
        return (await visible_relationships(info, [row]))[0]

    @strawberry.field(description="Relationships that replaced this one after a rematch, as far as you may see them.")
    async def successors(self, info: Info) -> list[Relationship]:
        rows = await info.context.loaders.children(models.Relationship, "previous_id").load(self.id)
        return [found for found in await visible_relationships(info, rows) if found is not None]

    @strawberry.field(description="The statuses this relationship may move to next.")
    def allowed_transitions(self) -> list[RelationshipStatus]:
        return list(allowed_transitions(self.status))

    @strawberry.field(description="The agreement: full terms for members, metadata for the program's coordinators.")
    @answers_planned
    def agreement(self, info: Info) -> AgreementRef | None:
        from schema.agreements.types import agreement_of_relationship

        return agreement_of_relationship(info, self.id)

    @strawberry.field(description="The members' goals with their texts; null unless you are a member.")
    @answers_planned
    def goals(self, info: Info) -> list[GoalRef] | None:
        from schema.goals.types import goals_of_relationship

        return goals_of_relationship(info, self.id)

    @strawberry.field(description="How many goals stand where: for members and the program's coordinators.")
    @answers_planned
    def goal_summary(self, info: Info) -> GoalSummaryRef | None:
        from schema.goals.types import goal_summary_of_relationship

        return goal_summary_of_relationship(info, self.id)

    @strawberry.field(description="Reflections members shared with the relationship; null unless you are a member.")
    async def shared_reflections(self, info: Info) -> list[ReflectionRef] | None:
        from schema.goals.types import shared_reflections_of_relationship

        return await shared_reflections_of_relationship(info, self.id)

    @strawberry.field(description="Its meetings, oldest first; coordinators see when and whether, not what.")
    @answers_planned
    def meetings(self, info: Info) -> list[MeetingRef]:
        from schema.meetings.fields import relationship_meetings

        return relationship_meetings(info, self.id)

    @strawberry.field(description="Its next scheduled meeting not yet over; null when none is booked.")
    @answers_planned
    def next_meeting(self, info: Info) -> MeetingRef | None:
        from schema.meetings.fields import next_meeting_of

        return next_meeting_of(info, self.id)

    @strawberry.field(description="Whether its meetings keep up with its cadence (AT_RISK when they stopped).")
    @answers_planned
    def health(self, info: Info) -> HealthRef:
        from schema.meetings.fields import health_of_relationship

        return health_of_relationship(info, self.id)

    @strawberry.field(description="Rematch requests you may see: your own, or all of them if you run the program.")
    async def rematch_requests(self, info: Info) -> list[RematchRequest]:
        access = await access_for(info, self.row)
        rows = await info.context.loaders.children(models.RematchRequest, "relationship_id").load(self.id)
        return [
            RematchRequest.from_model(row) for row in rows if can_see_rematch_request(info.context.viewer, row, access)
        ]


@strawberry.type(description="A mentee's request to a mentor in a self-service program.")
class MentorRequest(relay.Node):
    id: relay.NodeID[int]
    message: str
    status: MentorRequestStatus
    expires_at: datetime.datetime
    responded_at: datetime.datetime | None
    response_message: str
    created_at: datetime.datetime
    row: strawberry.Private[models.MentorRequest]

    @classmethod
    def from_model(cls, row: models.MentorRequest) -> MentorRequest:
        return from_row(cls, row, row=row)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.MentorRequest).load_many([int(i) for i in node_ids])
        return await visible_mentor_requests(info, rows)

    @strawberry.field
    async def program(self, info: Info) -> ProgramRef:
        from schema.programs.types import Program

        return Program.from_model(await info.context.loaders.by_id(ProgramRow).load(self.row.program_id))

    @strawberry.field
    async def mentee(self, info: Info) -> PersonRef:
        return await _person(info, self.row.mentee_id)

    @strawberry.field
    async def mentor(self, info: Info) -> PersonRef:
        return await _person(info, self.row.mentor_id)

    @strawberry.field(description="The relationship an accepted request created.")
    async def relationship(self, info: Info) -> Relationship | None:
        if self.row.relationship_id is None:
            return None
        row = await info.context.loaders.by_id(models.Relationship).load(self.row.relationship_id)
        return (await visible_relationships(info, [row]))[0]


async def visible_mentor_requests(info: Info, rows: list[models.MentorRequest | None]) -> list[MentorRequest | None]:
    present = [row for row in rows if row is not None]
    coordinators = await asyncio.gather(*(coordinator_ids(info, row.program_id) for row in present))
    visible = {
        row.id
        for row, ids in zip(present, coordinators, strict=True)
        if can_see_mentor_request(info.context.viewer, row, ids)
    }
    return [MentorRequest.from_model(row) if row is not None and row.id in visible else None for row in rows]


async def _confidential_to_viewer(info: Info, row: models.RematchRequest) -> bool:
    relationship = await info.context.loaders.by_id(models.Relationship).load(row.relationship_id)
    return can_see_rematch_request(info.context.viewer, row, await access_for(info, relationship))


@strawberry.type(description="A member asking for a different partner; the reason is confidential to coordinators.")
class RematchRequest(relay.Node):
    id: relay.NodeID[int]
    status: RematchStatus
    created_at: datetime.datetime
    resolved_at: datetime.datetime | None
    row: strawberry.Private[models.RematchRequest]

    @classmethod
    def from_model(cls, row: models.RematchRequest) -> RematchRequest:
        return cls(id=row.id, status=row.status, created_at=row.created_at, resolved_at=row.resolved_at, row=row)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.RematchRequest).load_many([int(i) for i in node_ids])
        visible = await asyncio.gather(*(_confidential_to_viewer(info, row) for row in rows if row is not None))
        shown = {row.id for row, ok in zip([r for r in rows if r is not None], visible, strict=True) if ok}
        return [cls.from_model(row) if row is not None and row.id in shown else None for row in rows]

    @strawberry.field(description="Why they asked: null unless you asked or you run the program.")
    async def reason(self, info: Info) -> str | None:
        return self.row.reason if await _confidential_to_viewer(info, self.row) else None

    @strawberry.field(description="The coordinator's note: null unless you asked or you run the program.")
    async def resolution_note(self, info: Info) -> str | None:
        return self.row.resolution_note if await _confidential_to_viewer(info, self.row) else None

    @strawberry.field
    async def requested_by(self, info: Info) -> PersonRef:
        return await _person(info, self.row.requested_by_id)

    @strawberry.field
    async def resolved_by(self, info: Info) -> PersonRef | None:
        return await _person(info, self.row.resolved_by_id)

    @strawberry.field
    async def relationship(self, info: Info) -> Relationship | None:
        row = await info.context.loaders.by_id(models.Relationship).load(self.row.relationship_id)
        return (await visible_relationships(info, [row]))[0]


@strawberry.type(description="Your unanswered mentor requests, both ways.")
class PendingMentorRequests:
    sent: list[MentorRequest]
    received: list[MentorRequest]
