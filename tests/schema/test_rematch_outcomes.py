"""What a rematch leaves behind: the closure reason the coordinator chose, and a flag that clears however the
person is matched again."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.programs.models import EnrollmentRole, ProgramTier
from domain.relationships.models import MentorRequest, Relationship, RelationshipStatus
from tests.domain.relationships.scenario import enrolled, mentoring_pair, program_run_by
from tests.factories import make_person
from tests.schema.test_mentor_requests import answer, pending_request
from tests.schema.test_rematch import AWAITING, PROPOSE, RESOLVE, open_request, rematch_scenario
from tests.support import assert_unchanged, gid


async def resolve_with(gql, coordinator, request, outcome: str, **fields) -> dict:
    variables = {"input": {"rematchRequestId": gid("RematchRequest", request.id), "outcome": outcome, **fields}}
    return (await gql(RESOLVE, variables, as_=coordinator, role=Role.COORDINATOR))["resolveRematch"]


@pytest.mark.parametrize("reason", ["LACK_OF_TIME", "LEFT_COMPANY", "OTHER"])
async def test_end_and_rematch_records_the_closure_reason_the_coordinator_chose(gql, db, reason):
    coordinator, _, relationship, _, mentee = await rematch_scenario()
    request = await open_request(relationship, mentee)

    ended = await resolve_with(gql, coordinator, request, "END_AND_REMATCH", closureReason=reason)

    assert ended["rematchRequest"]["relationship"] == {"status": "ENDED_EARLY", "closureReason": reason}
    assert (await Relationship.get(id=relationship.id)).closure_reason.value == reason


async def test_without_a_reason_the_ending_is_not_a_good_fit(gql, db):
    coordinator, _, relationship, _, mentee = await rematch_scenario()
    ended = await resolve_with(gql, coordinator, await open_request(relationship, mentee), "END_AND_REMATCH")
    assert ended["rematchRequest"]["relationship"]["closureReason"] == "NOT_A_GOOD_FIT"


async def test_a_kept_pair_takes_no_closure_reason(gql, db):
    coordinator, _, relationship, _, mentee = await rematch_scenario()
    request = await open_request(relationship, mentee)
    async with assert_unchanged():
        kept = await resolve_with(gql, coordinator, request, "KEEP", closureReason="LACK_OF_TIME")
    assert (kept["__typename"], kept["field"]) == ("ValidationError", "closureReason")


async def awaiting(gql, program, coordinator) -> dict[str, bool]:
    data = await gql(AWAITING, {"id": gid("Program", program.id)}, as_=coordinator, role=Role.COORDINATOR)
    return {e["person"]["name"]: e["awaitingRematch"] for e in data["program"]["enrollments"]}


async def test_a_plain_proposal_clears_the_old_mentors_flag(gql, db):
    coordinator, program, relationship, mentor, mentee = await rematch_scenario()
    await resolve_with(gql, coordinator, await open_request(relationship, mentee), "END_AND_REMATCH")
    assert await awaiting(gql, program, coordinator) == {"Mara Mentor": True, "Milo Mentee": True}

    nia = await enrolled(program, name="Nia")
    members = [
        {"personId": gid("Person", mentor.id), "role": "MENTOR"},
        {"personId": gid("Person", nia.id), "role": "MENTEE"},
    ]
    proposal = {"input": {"programId": gid("Program", program.id), "members": members}}
    created = await gql(PROPOSE, proposal, as_=coordinator, role=Role.COORDINATOR)

    assert created["proposeRelationship"]["relationship"]["origin"] == "COORDINATOR"
    assert await awaiting(gql, program, coordinator) == {"Mara Mentor": False, "Milo Mentee": True, "Nia": False}


async def test_an_accepted_mentor_request_clears_the_mentees_flag(gql, db):
    coordinator = await make_person(name="Cora")
    program = await program_run_by(coordinator, tier=ProgramTier.SELF_SERVICE)
    relationship, _, mentee = await mentoring_pair(program)
    await resolve_with(gql, coordinator, await open_request(relationship, mentee), "END_AND_REMATCH")
    other = await enrolled(program, EnrollmentRole.MENTOR, name="Ola")
    request: MentorRequest = await pending_request(program, other, mentee)

    accepted = await answer(gql, request.id, accept=True, as_=other)

    assert accepted["request"]["relationship"]["status"] == RelationshipStatus.PROPOSED.value
    assert await awaiting(gql, program, coordinator) == {"Mara Mentor": True, "Milo Mentee": False, "Ola": False}
