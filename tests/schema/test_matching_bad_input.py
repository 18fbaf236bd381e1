"""Bad input to matching: typed errors naming the field, and nothing written."""

from __future__ import annotations

import asyncio

import pytest

from domain.access import Role
from domain.clock import utc_now
from domain.matching import service
from domain.matching.models import MatchRun, MatchRunStatus
from domain.matching.profiles import Objective, Weights
from domain.people.models import Person
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, ProgramStatus
from domain.skills.models import Skill
from tests.domain.relationships.scenario import warm_connection_pool
from tests.schema.matching_support import DECIDE, PUBLISH, RUN, cohort, finished_run, learns
from tests.support import assert_unchanged, gid

SWAP = """
mutation Swap($input: SwapProposalInput!) {
  swapProposal(input: $input) {
    __typename
    ... on SwapProposalPayload {
      scoreChange proposal { mentee { name } score } otherProposal { mentee { name } score }
    }
    ... on Error { message field }
  }
}
"""


async def _refused(gql, world, variables: dict) -> dict:
    async with assert_unchanged():
        result = (await gql(RUN, variables, as_=world.coordinator, role=Role.COORDINATOR))["runMatching"]
    return result


@pytest.mark.parametrize("status", [ProgramStatus.DRAFT, ProgramStatus.CLOSED])
async def test_a_draft_or_closed_program_is_not_matched(gql, status):
    world = await cohort(status=status)
    result = await _refused(gql, world, {"input": {"programId": gid("Program", world.program.id)}})
    assert (result["__typename"], result["field"]) == ("ValidationError", "programId")


async def test_a_program_without_approved_mentors_is_not_matched(gql):
    world = await cohort()
    await Enrollment.filter(program_id=world.program.id, role=EnrollmentRole.MENTOR).update(
        status=EnrollmentStatus.APPLIED
    )
    result = await _refused(gql, world, {"input": {"programId": gid("Program", world.program.id)}})
    assert (result["__typename"], result["field"]) == ("ValidationError", "programId")
    assert "mentors" in result["message"]


@pytest.mark.parametrize(
    ("weights", "field"),
    [
        ({"skills": -1}, "weights.skills"),
        ({"skills": 0, "topics": 0, "crossDepartment": 0, "seniority": 0, "workingHours": 0, "language": 0,
          "formats": 0}, "weights"),
        ({"language": None}, "weights.language"),
    ],
)  # fmt: skip
async def test_negative_all_zero_or_null_weights_are_refused(gql, weights, field):
    world = await cohort()
    result = await _refused(gql, world, {"input": {"programId": gid("Program", world.program.id), "weights": weights}})
    assert (result["__typename"], result["field"]) == ("ValidationError", field)


async def test_a_run_while_another_is_running_is_a_conflict(gql):
    world = await cohort()
    await MatchRun.create(
        program=world.program, objective=Objective.BEST_SCORE, weights=dict(Weights().items()), started_at=utc_now()
    )
    result = await _refused(gql, world, {"input": {"programId": gid("Program", world.program.id)}})
    assert (result["__typename"], result["field"]) == ("ConflictError", "programId")


@pytest.mark.postgres_only
async def test_concurrent_runs_of_one_program_start_exactly_one(gql):
    # given two coordinators' requests racing for the same program
    world = await cohort()
    await warm_connection_pool()
    variables = {"input": {"programId": gid("Program", world.program.id)}}
    results = await asyncio.gather(
        *(gql(RUN, variables, as_=world.coordinator, role=Role.COORDINATOR) for _ in range(4))
    )
    await service.wait_for_runs()
    kinds = sorted(result["runMatching"]["__typename"] for result in results)
    # then one run started and the others were told one is running
    assert kinds == ["ConflictError", "ConflictError", "ConflictError", "RunMatchingPayload"]
    assert await MatchRun.filter(program_id=world.program.id).count() == 1


async def _finished(gql, world) -> dict:
    started = (
        await gql(RUN, {"input": {"programId": gid("Program", world.program.id)}}, as_=world.coordinator,
                  role=Role.COORDINATOR)
    )["runMatching"]  # fmt: skip
    run = await finished_run(gql, started["run"]["id"], world.coordinator)
    return {"id": started["run"]["id"], **run}


async def test_a_proposal_broken_since_the_run_is_refused_with_its_reason_and_the_rest_publish(gql):
    # given a finished run whose two proposals are approved
    world = await cohort()
    run = await _finished(gql, world)
    for proposal in run["proposals"]:
        await gql(DECIDE, {"input": {"proposalId": proposal["id"]}}, as_=world.coordinator, role=Role.COORDINATOR)
    # when Nia withdraws before the coordinator publishes
    await Enrollment.filter(person_id=world.people["Nia"].id).update(status=EnrollmentStatus.WITHDRAWN)
    result = (await gql(PUBLISH, {"input": {"runId": run["id"]}}, as_=world.coordinator, role=Role.COORDINATOR))[
        "publishMatchRun"
    ]
    # then Nia's proposal is refused, saying why, and Milo's is published
    assert [(p["mentee"]["name"], p["status"]) for p in result["refused"]] == [("Nia", "REFUSED")]
    assert "approved enrollee" in result["refused"][0]["refusalReason"]
    assert [p["mentee"]["name"] for p in result["published"]] == ["Milo"]


async def test_a_swap_that_would_break_a_rule_is_refused_and_changes_nothing(gql):
    # given Milo and Nia could each learn from the other's mentor, but Mo has since become Milo's manager
    world = await cohort()
    run = await _finished(gql, world)
    by_mentee = {p["mentee"]["name"]: p["id"] for p in run["proposals"]}
    await learns(world.people["Nia"], await Skill.get(name="Python"), 3)
    await learns(world.people["Milo"], await Skill.get(name="Negotiation"), 1)
    await Person.filter(id=world.people["Milo"].id).update(manager_id=world.people["Mo"].id)
    # when the coordinator swaps Milo and Nia
    async with assert_unchanged():
        result = (
            await gql(SWAP, {"input": {"proposalId": by_mentee["Milo"], "otherProposalId": by_mentee["Nia"]}},
                      as_=world.coordinator, role=Role.COORDINATOR)
        )["swapProposal"]  # fmt: skip
    # then the swap is refused naming the proposal whose new pair breaks the manager rule
    assert (result["__typename"], result["field"]) == ("ValidationError", "otherProposalId")
    assert "REPORTING_LINE" in result["message"]


async def test_a_swap_that_keeps_every_rule_shows_the_score_change(gql):
    world = await cohort()
    run = await _finished(gql, world)
    by_mentee = {p["mentee"]["name"]: p for p in run["proposals"]}
    # Nia wants to learn Python too, so Mara can take her; Milo learns negotiation for Mo
    await learns(world.people["Nia"], await Skill.get(name="Python"), 3)
    await learns(world.people["Milo"], await Skill.get(name="Negotiation"), 1)
    result = (
        await gql(SWAP, {"input": {"proposalId": by_mentee["Milo"]["id"], "otherProposalId": by_mentee["Nia"]["id"]}},
                  as_=world.coordinator, role=Role.COORDINATOR)
    )["swapProposal"]  # fmt: skip
    assert result["__typename"] == "SwapProposalPayload", result
    assert result["proposal"]["mentee"]["name"] == "Nia"
    assert result["otherProposal"]["mentee"]["name"] == "Milo"
    before = by_mentee["Milo"]["score"] + by_mentee["Nia"]["score"]
    after = result["proposal"]["score"] + result["otherProposal"]["score"]
    assert result["scoreChange"] == after - before


async def test_a_run_whose_solver_fails_is_failed_and_holds_no_proposal(gql, monkeypatch):
    world = await cohort()

    def broken(*args, **kwargs):
        raise RuntimeError("solver crashed")

    monkeypatch.setattr(service, "match_pairs", broken)
    started = (
        await gql(RUN, {"input": {"programId": gid("Program", world.program.id)}}, as_=world.coordinator,
                  role=Role.COORDINATOR)
    )["runMatching"]  # fmt: skip
    run = await finished_run(gql, started["run"]["id"], world.coordinator)
    assert run["status"] == "FAILED"
    assert run["proposals"] == [] and run["certificate"] is None
    assert run["failure"] == "The solver failed; see the server log."
    assert (await MatchRun.get(program_id=world.program.id)).status is MatchRunStatus.FAILED
