"""Reviewing a run: approve, reject, lock, swap two mentees, block a pair, and publish as relationships."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np
from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.errors import DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from domain.matching import policy
from domain.matching.cohort import build_cohort
from domain.matching.constraints import Rejection
from domain.matching.inputs import pair_rules, profiles_of
from domain.matching.models import (
    MatchBlock,
    MatchProposal,
    MatchProposalMember,
    MatchRun,
    MatchRunStatus,
    ProposalStatus,
)
from domain.matching.profiles import Mentor, Weights
from domain.matching.scoring import breakdowns, candidate_graph, pair_rejection
from domain.matching.service import coordinators_of, managed_program
from domain.matching.storing import member_rows
from domain.programs.models import Program
from domain.relationships import guards
from domain.relationships.models import MemberRole, RelationshipOrigin
from domain.relationships.rules import Seat
from domain.relationships.service import check_takes_relationships, create_relationship

_OPEN = (ProposalStatus.PROPOSED, ProposalStatus.APPROVED)


async def _run_for(viewer: Viewer, run_id: int, *, field: str) -> tuple[MatchRun, Program]:
    """The run and its program for whoever runs it; others cannot tell it exists (analysts read, never steer)."""
    run = await MatchRun.get_or_none(id=run_id)
    coordinators = await coordinators_of(run.program_id) if run else []
    if run is None or not policy.can_see_run(viewer, coordinators):
        raise NotFound("No such matching run.", field=field)
    if not policy.can_run(viewer, coordinators):
        raise PermissionDenied("Only the program's coordinators can review its matching.", field=field)
    return run, await Program.get(id=run.program_id)


def _check_reviewable(run: MatchRun, *, field: str) -> None:
    if run.status is not MatchRunStatus.DONE:
        raise InvalidTransition(f"The run is {run.status.value}; only a finished run is reviewed.", field=field)
    if run.dry_run:
        raise InvalidTransition("A dry run only previews; run the matching for real to review it.", field=field)


async def _proposal_for(viewer: Viewer, proposal_id: int, *, field: str) -> tuple[MatchProposal, MatchRun]:
    proposal = await MatchProposal.get_or_none(id=proposal_id)
    if proposal is None:
        raise NotFound("No such proposal.", field=field)
    run, _ = await _run_for(viewer, proposal.run_id, field=field)
    _check_reviewable(run, field=field)
    return proposal, run


async def decide(viewer: Viewer, *, proposal_id: int, to: ProposalStatus, now: datetime.datetime) -> MatchProposal:
    """APPROVED (from PROPOSED or REJECTED) or REJECTED (from PROPOSED or APPROVED)."""
    field = "proposal_id"
    proposal, _ = await _proposal_for(viewer, proposal_id, field=field)
    allowed = {
        ProposalStatus.APPROVED: (ProposalStatus.PROPOSED, ProposalStatus.REJECTED),
        ProposalStatus.REJECTED: _OPEN,
    }
    if proposal.status not in allowed[to]:
        raise InvalidTransition(f"A {proposal.status.value} proposal cannot become {to.value}.", field=field)
    proposal.status, proposal.decided_by_id, proposal.decided_at = to, viewer.person_id, now
    await proposal.save()
    return proposal


async def lock(viewer: Viewer, *, proposal_id: int, locked: bool) -> MatchProposal:
    """A locked proposal is carried into the program's next run instead of being matched again."""
    proposal, _ = await _proposal_for(viewer, proposal_id, field="proposal_id")
    if proposal.status not in _OPEN:
        raise InvalidTransition(f"A {proposal.status.value} proposal cannot be locked.", field="proposal_id")
    proposal.locked = locked
    await proposal.save()
    return proposal


@dataclass(frozen=True)
class Swapped:
    first: MatchProposal
    second: MatchProposal
    score_change: int


async def swap(viewer: Viewer, *, proposal_id: int, other_proposal_id: int, now: datetime.datetime) -> Swapped:
    """Exchanges the two proposals' mentees after re-checking every hard rule on both new pairs; both go back
    to PROPOSED with their new scores and breakdowns."""
    first, run = await _proposal_for(viewer, proposal_id, field="proposal_id")
    second, _ = await _proposal_for(viewer, other_proposal_id, field="other_proposal_id")
    if second.run_id != first.run_id or second.id == first.id:
        raise ValidationFailed("Swap two different proposals of the same run.", field="other_proposal_id")
    for proposal, field in ((first, "proposal_id"), (second, "other_proposal_id")):
        if proposal.mentor_id is None:
            raise ValidationFailed("Only pairs are swapped; circles and skill swaps are reviewed whole.", field=field)
        if proposal.status not in _OPEN or proposal.locked:
            state = "locked" if proposal.locked else proposal.status.value
            raise InvalidTransition(f"A {state} proposal cannot be swapped.", field=field)
    program = await Program.get(id=run.program_id)
    people = [first.mentor_id, second.mentor_id, first.mentee_id, second.mentee_id]
    profiles = await profiles_of(people, program.id, now=now)
    cohort = build_cohort(
        [Mentor(profiles[first.mentor_id], capacity=1), Mentor(profiles[second.mentor_id], capacity=1)],
        [profiles[first.mentee_id], profiles[second.mentee_id]],
    )
    rules, weights = await pair_rules(program), Weights(**run.weights)
    graph = candidate_graph(cohort, rules, weights)
    index = {p.person_id: k for k, p in enumerate(cohort.mentees)}
    mentor_index = {m.profile.person_id: k for k, m in enumerate(cohort.mentors)}
    new_scores = []
    for mentor_id, mentee_id, field in ((first.mentor_id, second.mentee_id, "proposal_id"),
                                        (second.mentor_id, first.mentee_id, "other_proposal_id")):  # fmt: skip
        m, e = mentor_index[mentor_id], index[mentee_id]
        hit = np.flatnonzero((graph.mentor == m) & (graph.mentee == e))
        if not len(hit):
            broken = pair_rejection(cohort, rules, m, e)
            reason = broken.name if broken is not Rejection.NONE else "NO_SHARED_SKILL"
            raise ValidationFailed(f"The swapped pair would break a hard rule: {reason}.", field=field)
        new_scores.append((int(graph.score[hit[0]]), m, e))
    explained = breakdowns(
        cohort, rules, weights, np.array([m for _, m, _ in new_scores]), np.array([e for _, _, e in new_scores])
    )
    change = sum(score for score, _, _ in new_scores) - first.score - second.score
    async with in_transaction():
        first_mentee = first.mentee_id
        for proposal, mentee_id, (score, _, _), parts in (
            (first, second.mentee_id, new_scores[0], explained[0]),
            (second, first_mentee, new_scores[1], explained[1]),
        ):
            proposal.mentee_id, proposal.score, proposal.breakdown = mentee_id, score, parts
            await MatchProposalMember.filter(proposal_id=proposal.id, role=MemberRole.MENTEE.value).update(
                person_id=mentee_id
            )
            proposal.status, proposal.decided_by_id, proposal.decided_at = (
                ProposalStatus.PROPOSED,
                viewer.person_id,
                now,
            )
            await proposal.save()
    return Swapped(first, second, change)


async def block(viewer: Viewer, *, program_id: int, person_id: int, other_person_id: int) -> MatchBlock:
    """Keeps two people apart in every later run of the program."""
    await managed_program(viewer, program_id)
    if person_id == other_person_id:
        raise ValidationFailed("Block two different people.", field="other_person_id")
    await guards.load_people([(person_id, "person_id"), (other_person_id, "other_person_id")])
    existing = await MatchBlock.get_or_none(program_id=program_id, person_id=person_id, other_person_id=other_person_id)
    if existing is not None:
        return existing
    return await MatchBlock.create(
        program_id=program_id, person_id=person_id, other_person_id=other_person_id, created_by_id=viewer.person_id
    )


@dataclass(frozen=True)
class Published:
    run: MatchRun
    published: list[MatchProposal]
    refused: list[MatchProposal]


async def publish(viewer: Viewer, *, run_id: int, now: datetime.datetime) -> Published:
    """Every APPROVED proposal becomes a PROPOSED relationship through `create_relationship`, in one transaction.

    A proposal broken since the run (someone withdrew, a mentor is full, a manager changed, a block was
    set) is REFUSED with the reason and the rest publish.
    """
    field = "run_id"
    run, program = await _run_for(viewer, run_id, field=field)
    _check_reviewable(run, field=field)
    check_takes_relationships(program, field=field)
    published, refused = [], []
    async with in_transaction():
        approved = (
            await MatchProposal.filter(run_id=run.id, status=ProposalStatus.APPROVED).order_by("id").select_for_update()
        )
        if not approved:
            raise ValidationFailed("No proposal of this run is approved.", field=field)
        blocks = set(await MatchBlock.filter(program_id=program.id).values_list("person_id", "other_person_id"))
        members = await member_rows([proposal.id for proposal in approved])
        for proposal in approved:
            seats = [Seat(person, role, f"members[{k}]", f"members[{k}].role") for k, (person, role) in
                     enumerate(members[proposal.id])]  # fmt: skip
            ids = [seat.person_id for seat in seats]
            try:
                # A savepoint each: a proposal refused half-way leaves nothing behind, the others go on.
                async with in_transaction():
                    if any((a, b) in blocks for a in ids for b in ids):
                        raise ValidationFailed("A coordinator has since blocked two of its members.")
                    relationship = await create_relationship(
                        program, seats, origin=RelationshipOrigin.MATCHING, created_by_id=viewer.person_id, now=now
                    )
            except DomainError as error:
                proposal.status, proposal.refusal_reason = ProposalStatus.REFUSED, error.message
                await proposal.save()
                refused.append(proposal)
                continue
            proposal.status, proposal.relationship_id = ProposalStatus.PUBLISHED, relationship.id
            await proposal.save()
            published.append(proposal)
    return Published(run, published, refused)
