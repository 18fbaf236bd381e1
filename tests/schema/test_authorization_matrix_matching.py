"""Who reads and steers matching: every matching field and mutation x every role.

Cora coordinates a formal one-on-one program in MATCHING; Maria (mentor) and Ben (mentee) are in it, and
Nell, who wants to learn nothing anyone teaches. A finished run proposed Maria and Ben and left Nell out;
an earlier proposal of the pair was published. Around them: another participant, the coordinator of
another program, an analyst (aggregates only) and an admin. Reads run per role; writes per mutation,
denied roles first (each inside assert_unchanged), then the allowed ones, which must write something.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from domain.access import Role, Viewer
from domain.clock import utc_now
from domain.matching import service
from domain.matching.models import MatchProposal, MatchProposalMember, MatchRun, MatchRunStatus, ProposalStatus
from domain.matching.profiles import COMPONENTS, Objective, Weights
from domain.people.models import Person
from domain.programs.models import EnrollmentRole, Program, ProgramStatus
from domain.skills.models import Skill
from schema.matching.mutations import MatchingMutations
from tests.domain.relationships.scenario import enrolled, program_run_by
from tests.factories import make_person, make_skill
from tests.schema.authorization import (
    ADMIN,
    ANALYST,
    COORDINATOR,
    MEMBERS,
    OVERSEERS,
    ROLES,
    Read,
    Write,
    assert_write_matrix,
    cast_around,
    mutation_names,
    wrong_reads,
)
from tests.schema.matching_support import learns, teaches
from tests.support import gid

SEES_RUN = OVERSEERS | {ANALYST}


@dataclass
class World:
    people: dict[str, tuple[Person, Role]]
    program: Program
    skill: Skill
    run: MatchRun
    proposal: MatchProposal
    published: MatchProposal

    def person(self, role: str) -> Person:
        return self.people[role][0]


async def build_world() -> World:
    cora, dan = await make_person(name="Cora"), await make_person(name="Dan")
    program = await program_run_by(cora, status=ProgramStatus.MATCHING)
    await program_run_by(dan)
    python = await make_skill("Python")
    maria = await enrolled(program, EnrollmentRole.MENTOR, capacity=3, name="Maria", level=6)
    ben = await enrolled(program, name="Ben", level=2)
    await enrolled(program, name="Nell")
    await teaches(maria, python, 5)
    await learns(ben, python, 1)
    coordinator = Viewer(email=cora.email, role=Role.COORDINATOR, person_id=cora.id)
    run = await service.start_run(
        coordinator, program_id=program.id, objective=Objective.BEST_SCORE, weights=None, dry_run=False, now=utc_now()
    )
    run = await service.execute(run.id)
    proposal = await MatchProposal.get(run_id=run.id)
    published = await proposal_of(run, maria, ben, score=proposal.score, breakdown=proposal.breakdown,
                                  status=ProposalStatus.PUBLISHED)  # fmt: skip
    return World(
        people=await cast_around(owner=ben, partner=maria, coordinator=cora, other_coordinator=dan),
        program=program,
        skill=python,
        run=run,
        proposal=proposal,
        published=published,
    )


async def proposal_of(run: MatchRun, mentor: Person, mentee: Person, **fields) -> MatchProposal:
    proposal = await MatchProposal.create(run=run, mentor=mentor, mentee=mentee, **fields)
    await MatchProposalMember.create(proposal=proposal, person=mentor, role="MENTOR")
    await MatchProposalMember.create(proposal=proposal, person=mentee, role="MENTEE")
    return proposal


def ids(world: World) -> dict[str, str]:
    return {
        "run": gid("MatchRun", world.run.id),
        "program": gid("Program", world.program.id),
        "proposal": gid("MatchProposal", world.proposal.id),
        "published": gid("MatchProposal", world.published.id),
    }


def reads(world: World) -> list[Read]:
    score = world.proposal.score
    run = "query($run: ID!) { node(id: $run) { ... on MatchRun { %s } } }"
    proposal = "query($%s: ID!) { node(id: $%s) { ... on MatchProposal { score %s } } }"
    both_proposals = [{"score": score}, {"score": score}]
    dimensions = [
        {"dimension": d["dimension"], "role": d["role"], "reportedGroups": d["reported_groups"]}
        for d in world.run.audit["dimensions"]
    ]
    breakdown = [{"name": name} for name in COMPONENTS]
    return [
        Read("run totals", run % "status totalScore", SEES_RUN, {"node": {"status": "DONE", "totalScore": score}},
             {"node": None}),
        Read("run proposals", run % "proposals { score }", OVERSEERS, {"node": {"proposals": both_proposals}},
             {"node": None}, {ANALYST: {"node": {"proposals": []}}}),
        Read("run unmatched", run % "unmatched { reason }", OVERSEERS,
             {"node": {"unmatched": [{"reason": "NO_SHARED_SKILL"}]}}, {"node": None},
             {ANALYST: {"node": {"unmatched": []}}}),
        Read("run inputs", run % "inputs", OVERSEERS, {"node": {"inputs": world.run.inputs}}, {"node": None},
             {ANALYST: {"node": {"inputs": None}}}),
        Read("run audit", run % "audit { dimensions { dimension role reportedGroups } }", SEES_RUN,
             {"node": {"audit": {"dimensions": dimensions}}}, {"node": None}),
        Read("program's runs", "query($program: ID!) { matchRuns(programId: $program) { status } }", SEES_RUN,
             {"matchRuns": [{"status": "DONE"}]}, {"matchRuns": []}),
        Read("proposal before publishing", proposal % ("proposal", "proposal", ""), OVERSEERS,
             {"node": {"score": score}}, {"node": None}),
        Read("published proposal", proposal % ("published", "published", "breakdown { name }"), MEMBERS | OVERSEERS,
             {"node": {"score": score, "breakdown": breakdown}}, {"node": None}),
        Read("my proposals", "{ myMatchProposals { score } }", MEMBERS, {"myMatchProposals": [{"score": score}]},
             {"myMatchProposals": []}),
    ]  # fmt: skip


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_exactly_its_part_of_matching(gql, db, role):
    world = await build_world()
    assert await wrong_reads(gql, reads(world), ids(world), role, world.people) == []


async def _fresh_pair(world: World) -> tuple[Person, Person]:
    mentor = await enrolled(world.program, EnrollmentRole.MENTOR, capacity=2, level=6)
    mentee = await enrolled(world.program, level=2)
    await teaches(mentor, world.skill, 4)
    await learns(mentee, world.skill, 2)
    return mentor, mentee


async def _done_run(
    world: World, status: ProposalStatus = ProposalStatus.PROPOSED, pairs: int = 1
) -> list[MatchProposal]:
    run = await MatchRun.create(
        program=world.program, status=MatchRunStatus.DONE, objective=Objective.BEST_SCORE,
        weights=dict(Weights().items()), started_at=utc_now(),
    )  # fmt: skip
    made = []
    for _ in range(pairs):
        mentor, mentee = await _fresh_pair(world)
        made.append(await proposal_of(run, mentor, mentee, score=500, breakdown={}, status=status))
    return made


async def _program(world: World) -> dict:
    await service.wait_for_runs()  # the previous allowed role's run must finish before the next may start
    return {"programId": gid("Program", world.program.id)}


async def _proposal(world: World) -> dict:
    (proposal,) = await _done_run(world)
    return {"proposalId": gid("MatchProposal", proposal.id)}


async def _two_proposals(world: World) -> dict:
    first, second = await _done_run(world, pairs=2)
    return {"proposalId": gid("MatchProposal", first.id), "otherProposalId": gid("MatchProposal", second.id)}


async def _approved_run(world: World) -> dict:
    (proposal,) = await _done_run(world, ProposalStatus.APPROVED)
    return {"runId": gid("MatchRun", proposal.run_id)}


async def _pair_to_block(world: World) -> dict:
    mentor, mentee = await _fresh_pair(world)
    return {"programId": gid("Program", world.program.id), "personId": gid("Person", mentor.id),
            "otherPersonId": gid("Person", mentee.id)}  # fmt: skip


# The run's people cannot tell a run exists; the analyst, who reads runs, is told no.
STEERS = (COORDINATOR, ADMIN)
HIDDEN_RUN = {ANALYST: "PermissionDeniedError"}


WRITES = [
    Write("runMatching", "RunMatchingInput", STEERS, _program, "PermissionDeniedError"),
    Write("approveProposal", "ProposalInput", STEERS, _proposal, denied_as=HIDDEN_RUN),
    Write("rejectProposal", "ProposalInput", STEERS, _proposal, denied_as=HIDDEN_RUN),
    Write("lockProposal", "LockProposalInput", STEERS, _proposal, denied_as=HIDDEN_RUN),
    Write("swapProposal", "SwapProposalInput", STEERS, _two_proposals, denied_as=HIDDEN_RUN),
    Write("publishMatchRun", "PublishMatchRunInput", STEERS, _approved_run, denied_as=HIDDEN_RUN),
    Write("blockMatch", "BlockMatchInput", STEERS, _pair_to_block, "PermissionDeniedError"),
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.mutation)
async def test_each_matching_mutation_is_open_to_its_roles_only_and_a_denial_writes_nothing(gql, db, write):
    await assert_write_matrix(gql, write, await build_world())
    await service.wait_for_runs()


def test_every_matching_mutation_is_in_the_matrix():
    """A mutation added to the matching schema without a row here fails this test."""
    assert mutation_names(MatchingMutations) == {write.mutation for write in WRITES}
