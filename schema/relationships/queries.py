"""Queries: relationship, relationships, and blockedProposals and reportingLineConflicts (for whoever runs
the program)."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.relationships import models
from domain.relationships.queries import program_relationships
from domain.relationships.reporting import BlockedProposal as DomainBlockedProposal
from domain.relationships.reporting import blocked_proposals, reporting_line_conflicts
from schema.context import Info
from schema.enums import RelationshipStatus
from schema.pagination import Connection, paginate
from schema.people.types import Person
from schema.relationships.planned import plan_relationships, selected_below
from schema.relationships.types import Relationship, visible_relationships
from schema.relay_ids import decode_id


@strawberry.type(description="A proposal the manager rule now blocks: a reporting line recorded since it was made.")
class BlockedProposal:
    relationship: Relationship
    manager: Person
    direct_report: Person
    reason: str = strawberry.field(description="What changed, as the members are told when they try to sign.")

    @classmethod
    def from_domain(cls, blocked: DomainBlockedProposal) -> BlockedProposal:
        return cls(
            relationship=Relationship.from_model(blocked.relationship),
            manager=Person.from_model(blocked.line.manager),
            direct_report=Person.from_model(blocked.line.direct_report),
            reason=blocked.line.explanation(),
        )


@strawberry.type(
    description="An open relationship two of whose members are now manager and direct report (a reporting line "
    "recorded since it began)."
)
class ReportingLineConflict(BlockedProposal):
    pass


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
        page = await paginate(query, first=first, after=after, convert=Relationship.from_model)
        await plan_relationships(
            info, [edge.node for edge in page.edges], selected_below(info.selected_fields, "edges", "node")
        )
        return page

    @strawberry.field(
        description="The program's proposals that can no longer go ACTIVE because two of their members are now "
        "manager and direct report; null unless you coordinate the program."
    )
    async def blocked_proposals(self, info: Info, program_id: relay.GlobalID) -> list[BlockedProposal] | None:
        found = await blocked_proposals(
            info.context.viewer, program_id=decode_id(program_id, "Program", field="programId")
        )
        return None if found is None else [BlockedProposal.from_domain(blocked) for blocked in found]

    @strawberry.field(
        description="The program's open relationships (PROPOSED, ACTIVE or PAUSED) whose members are now manager "
        "and direct report, as a directory sync or import recorded them: nobody mentors their manager or a direct "
        "report, so the coordinator ends or rematches them. Null unless you coordinate the program."
    )
    async def reporting_line_conflicts(
        self, info: Info, program_id: relay.GlobalID
    ) -> list[ReportingLineConflict] | None:
        found = await reporting_line_conflicts(
            info.context.viewer, program_id=decode_id(program_id, "Program", field="programId")
        )
        return None if found is None else [ReportingLineConflict.from_domain(conflict) for conflict in found]
