"""The whole matching flow over GraphQL: run -> review -> publish -> PROPOSED relationships -> signatures -> ACTIVE."""

from __future__ import annotations

from domain.access import Role
from domain.matching.models import MatchProposal, MatchRun
from domain.relationships.models import Relationship, RelationshipOrigin, RelationshipStatus
from tests.schema.matching_support import DECIDE, PUBLISH, RUN, cohort, finished_run
from tests.schema.test_relationship_journey import SIGN
from tests.support import gid

MINE = """
{ myMatchProposals { status score mentor { name } mentee { name } breakdown { name value points } } }
"""


async def test_a_run_is_reviewed_published_signed_and_goes_active(gql):
    # given a cohort with more Python learners than Python places
    world = await cohort()
    cora = world.coordinator

    # when the coordinator runs the matching
    started = (
        await gql(RUN, {"input": {"programId": gid("Program", world.program.id)}}, as_=cora, role=Role.COORDINATOR)
    )["runMatching"]
    assert started["__typename"] == "RunMatchingPayload"
    assert started["run"]["status"] == "RUNNING"
    run = await finished_run(gql, started["run"]["id"], cora)

    # then it is DONE, proven optimal, explains each pair and names who was left out and why
    assert run["status"] == "DONE"
    assert run["certificate"]["provenOptimal"] is True
    assert run["certificate"]["primal"] == run["certificate"]["dual"] == run["totalScore"]
    pairs = {(p["mentor"]["name"], p["mentee"]["name"]) for p in run["proposals"]}
    assert pairs == {("Mara", "Milo"), ("Mo", "Nia")}  # Milo has further to go in Python than Ola
    assert {u["person"]["name"]: u["reason"] for u in run["unmatched"] if u["role"] == "MENTEE"} == {
        "Ola": "CANDIDATES_TAKEN"
    }
    for proposal in run["proposals"]:
        assert round(sum(part["points"] for part in proposal["breakdown"])) == proposal["score"]
    assert run["inputs"]["mentees"] and len(run["inputs"]["mentors"]) == 2
    # and participants see nothing of it before it is published
    assert (await gql(MINE, as_=world.people["Milo"]))["myMatchProposals"] == []

    # when every proposal is approved and the run published
    for proposal in run["proposals"]:
        approved = (await gql(DECIDE, {"input": {"proposalId": proposal["id"]}}, as_=cora, role=Role.COORDINATOR))[
            "approveProposal"
        ]
        assert approved["proposal"]["status"] == "APPROVED"
    published = (await gql(PUBLISH, {"input": {"runId": started["run"]["id"]}}, as_=cora, role=Role.COORDINATOR))[
        "publishMatchRun"
    ]

    # then each pair is a PROPOSED relationship that came from matching
    assert published["refused"] == []
    assert {p["relationship"]["status"] for p in published["published"]} == {"PROPOSED"}
    rows = await Relationship.filter(program_id=world.program.id)
    assert {row.origin for row in rows} == {RelationshipOrigin.MATCHING}
    # and the mentee sees their own proposal's breakdown, and only their own
    mine = (await gql(MINE, as_=world.people["Milo"]))["myMatchProposals"]
    assert [(p["mentor"]["name"], p["mentee"]["name"]) for p in mine] == [("Mara", "Milo")]
    assert {part["name"] for part in mine[0]["breakdown"]} >= {"skills", "working_hours"}

    # when both members of each pair sign the drafted agreement
    for proposal in published["published"]:
        sign = {"input": {"relationshipId": proposal["relationship"]["id"], "version": 1}}
        for name in (proposal["mentor"]["name"], proposal["mentee"]["name"]):
            signed = (await gql(SIGN, sign, as_=world.people[name]))["signAgreement"]
            assert signed["__typename"] == "SignAgreementPayload", signed

    # then every relationship is ACTIVE
    assert {row.status for row in await Relationship.filter(program_id=world.program.id)} == {RelationshipStatus.ACTIVE}


async def test_a_retried_run_with_its_idempotency_key_is_the_same_run_solved_once(gql):
    # given a coordinator whose first request's answer was lost
    world = await cohort()
    variables = {"input": {"programId": gid("Program", world.program.id), "idempotencyKey": "run-2026-03"}}
    first = (await gql(RUN, variables, as_=world.coordinator, role=Role.COORDINATOR))["runMatching"]
    # when the same request is sent again
    again = (await gql(RUN, variables, as_=world.coordinator, role=Role.COORDINATOR))["runMatching"]
    run = await finished_run(gql, first["run"]["id"], world.coordinator)
    # then it names the same run, which was solved once
    assert again["run"]["id"] == first["run"]["id"]
    assert await MatchRun.filter(program_id=world.program.id).count() == 1
    assert len(run["proposals"]) == await MatchProposal.filter(run__program_id=world.program.id).count() == 2
