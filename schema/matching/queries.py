"""Queries: a program's matching runs, and the published proposals a participant is in."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.matching import models
from schema.context import Info
from schema.matching.types import MatchProposal, MatchRun, visible_proposals, visible_runs
from schema.relay_ids import decode_id


@strawberry.type
class MatchingQueries:
    @strawberry.field(description="A program's matching runs, newest first; empty unless you run or analyse it.")
    async def match_runs(self, info: Info, program_id: relay.GlobalID) -> list[MatchRun]:
        rows = await models.MatchRun.filter(program_id=decode_id(program_id, "Program", field="programId")).order_by(
            "-id"
        )
        return [run for run in await visible_runs(info, rows) if run is not None]

    @strawberry.field(description="Published proposals you are in, with their score breakdown.")
    async def my_match_proposals(self, info: Info) -> list[MatchProposal]:
        person_id = info.context.viewer.person_id
        if person_id is None:
            return []
        rows = await models.MatchProposal.filter(
            members__person_id=person_id, status=models.ProposalStatus.PUBLISHED
        ).order_by("id")
        return [proposal for proposal in await visible_proposals(info, rows) if proposal is not None]
