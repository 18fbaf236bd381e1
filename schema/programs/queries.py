"""Queries: programs, program."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.programs import models, policy
from domain.programs.queries import visible_programs
from schema.context import Info
from schema.enums import ProgramKind, ProgramStatus, ProgramTier
from schema.pagination import Connection, paginate
from schema.programs.types import Program, coordinator_ids
from schema.relay_ids import decode_id


@strawberry.input
class ProgramFilter:
    status: ProgramStatus | None = None
    kind: ProgramKind | None = None
    tier: ProgramTier | None = None


@strawberry.type
class ProgramQueries:
    @strawberry.field
    async def programs(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: ProgramFilter | None = None,
    ) -> Connection[Program]:
        f = filter or ProgramFilter()
        query = visible_programs(info.context.viewer, status=f.status, kind=f.kind, tier=f.tier)
        return await paginate(query, first=first, after=after, convert=Program.from_model)

    @strawberry.field(description="Null when there is no such program or it is a draft you do not run.")
    async def program(self, info: Info, id: relay.GlobalID) -> Program | None:
        row = await info.context.loaders.by_id(models.Program).load(decode_id(id, "Program"))
        if row is None or not policy.can_view_program(info.context.viewer, row, await coordinator_ids(info, row.id)):
            return None
        return Program.from_model(row)
