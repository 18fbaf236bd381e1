"""Mutations on matching: run it, review the proposals, block a pair, publish."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.clock import utc_now
from domain.idempotency.service import rows_of
from domain.matching import review, service
from domain.matching.models import MatchRun as MatchRunRow
from domain.matching.models import ProposalStatus
from schema.context import Info
from schema.enums import MatchObjective
from schema.errors import result_union, run_mutation
from schema.idempotency import IdempotentInput, run_once
from schema.matching.types import MatchProposal, MatchRun
from schema.people.mutations import given_fields
from schema.relay_ids import decode_id


@strawberry.input(
    description="Relative weights, 0 to 1000 each, not all 0; a weight left out keeps its default. Peer circles "
    "are scored on workingHours and crossDepartment (department mix) alone, so those two may not both be 0 there."
)
class MatchWeightsInput:
    skills: int | None = strawberry.UNSET
    topics: int | None = strawberry.UNSET
    cross_department: int | None = strawberry.UNSET
    seniority: int | None = strawberry.UNSET
    working_hours: int | None = strawberry.UNSET
    language: int | None = strawberry.UNSET
    formats: int | None = strawberry.UNSET


@strawberry.input(description="Match a ONE_ON_ONE or REVERSE program; the run shows RUNNING until DONE or FAILED.")
class RunMatchingInput(IdempotentInput):
    program_id: relay.GlobalID
    objective: MatchObjective = MatchObjective.BEST_SCORE
    weights: MatchWeightsInput | None = None
    dry_run: bool = strawberry.field(default=False, description="Preview only: its proposals cannot be published.")


@strawberry.input
class ProposalInput:
    proposal_id: relay.GlobalID


@strawberry.input
class LockProposalInput:
    proposal_id: relay.GlobalID
    locked: bool = True


@strawberry.input(description="Exchange the mentees of two proposals of one run.")
class SwapProposalInput:
    proposal_id: relay.GlobalID
    other_proposal_id: relay.GlobalID


@strawberry.input
class PublishMatchRunInput:
    run_id: relay.GlobalID


@strawberry.input(description="Keep two people apart in the program's later matching runs.")
class BlockMatchInput:
    program_id: relay.GlobalID
    person_id: relay.GlobalID
    other_person_id: relay.GlobalID


@strawberry.type
class RunMatchingPayload:
    run: MatchRun


@strawberry.type
class ProposalPayload:
    proposal: MatchProposal


@strawberry.type
class SwapProposalPayload:
    proposal: MatchProposal
    other_proposal: MatchProposal
    score_change: int = strawberry.field(description="New total of the two pairs minus the old.")


@strawberry.type
class PublishMatchRunPayload:
    run: MatchRun
    published: list[MatchProposal]
    refused: list[MatchProposal] = strawberry.field(description="Broken since the run; each says why.")


@strawberry.type
class BlockMatchPayload:
    program_id: relay.GlobalID


RunMatchingResult = result_union("RunMatchingResult", RunMatchingPayload)
ProposalResult = result_union("ProposalResult", ProposalPayload)
SwapProposalResult = result_union("SwapProposalResult", SwapProposalPayload)
PublishMatchRunResult = result_union("PublishMatchRunResult", PublishMatchRunPayload)
BlockMatchResult = result_union("BlockMatchResult", BlockMatchPayload)


def _proposal(gid: relay.GlobalID, field: str = "proposal_id") -> int:
    return decode_id(gid, "MatchProposal", field=field)


def _proposal_payload(row) -> ProposalPayload:
    return ProposalPayload(proposal=MatchProposal.from_model(row))


@strawberry.type
class MatchingMutations:
    @strawberry.mutation
    async def run_matching(self, info: Info, input: RunMatchingInput) -> RunMatchingResult:
        created: list[int] = []

        async def action():
            run = await service.start_run(
                info.context.viewer,
                program_id=decode_id(input.program_id, "Program", field="program_id"),
                objective=input.objective,
                weights=given_fields(input.weights) if input.weights else None,
                dry_run=input.dry_run,
                now=utc_now(),
            )
            created.append(run.id)
            return run

        result = await run_once(
            info,
            input,
            action,
            lambda run: RunMatchingPayload(run=MatchRun.from_model(run, sees_people=True)),
            codec=rows_of(MatchRunRow),
        )
        # Started once its row is committed, and only by the request that created it: a retry with the same
        # idempotency key gets the same run back and never solves it twice.
        for run_id in created:
            service.start_in_background(run_id)
        return result

    @strawberry.mutation
    async def approve_proposal(self, info: Info, input: ProposalInput) -> ProposalResult:
        async def action():
            return await review.decide(
                info.context.viewer, proposal_id=_proposal(input.proposal_id), to=ProposalStatus.APPROVED, now=utc_now()
            )

        return await run_mutation(action, _proposal_payload)

    @strawberry.mutation
    async def reject_proposal(self, info: Info, input: ProposalInput) -> ProposalResult:
        async def action():
            return await review.decide(
                info.context.viewer, proposal_id=_proposal(input.proposal_id), to=ProposalStatus.REJECTED, now=utc_now()
            )

        return await run_mutation(action, _proposal_payload)

    @strawberry.mutation(description="A locked proposal is kept as it is by the program's next run.")
    async def lock_proposal(self, info: Info, input: LockProposalInput) -> ProposalResult:
        async def action():
            return await review.lock(info.context.viewer, proposal_id=_proposal(input.proposal_id), locked=input.locked)

        return await run_mutation(action, _proposal_payload)

    @strawberry.mutation(description="Re-checks every hard rule on both new pairs and shows the score change.")
    async def swap_proposal(self, info: Info, input: SwapProposalInput) -> SwapProposalResult:
        async def action():
            return await review.swap(
                info.context.viewer,
                proposal_id=_proposal(input.proposal_id),
                other_proposal_id=_proposal(input.other_proposal_id, "other_proposal_id"),
                now=utc_now(),
            )

        return await run_mutation(
            action,
            lambda swapped: SwapProposalPayload(
                proposal=MatchProposal.from_model(swapped.first),
                other_proposal=MatchProposal.from_model(swapped.second),
                score_change=swapped.score_change,
            ),
        )

    @strawberry.mutation(description="Approved proposals become PROPOSED relationships, in one transaction.")
    async def publish_match_run(self, info: Info, input: PublishMatchRunInput) -> PublishMatchRunResult:
        async def action():
            return await review.publish(
                info.context.viewer, run_id=decode_id(input.run_id, "MatchRun", field="run_id"), now=utc_now()
            )

        return await run_mutation(
            action,
            lambda done: PublishMatchRunPayload(
                run=MatchRun.from_model(done.run, sees_people=True),
                published=[MatchProposal.from_model(p) for p in done.published],
                refused=[MatchProposal.from_model(p) for p in done.refused],
            ),
        )

    @strawberry.mutation
    async def block_match(self, info: Info, input: BlockMatchInput) -> BlockMatchResult:
        async def action():
            program_id = decode_id(input.program_id, "Program", field="program_id")
            await review.block(
                info.context.viewer,
                program_id=program_id,
                person_id=decode_id(input.person_id, "Person", field="person_id"),
                other_person_id=decode_id(input.other_person_id, "Person", field="other_person_id"),
            )
            return input.program_id

        return await run_mutation(action, lambda program_id: BlockMatchPayload(program_id=program_id))
