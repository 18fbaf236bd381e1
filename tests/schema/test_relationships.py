"""proposeRelationship and the relationship queries, through GraphQL over HTTP."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, ProgramKind, ProgramStatus
from domain.relationships.models import MemberRole, Relationship, RelationshipStatus
from tests.domain.relationships.scenario import enrolled, mentoring_pair, program_run_by
from tests.factories import make_person
from tests.support import assert_unchanged, gid

PROPOSE = """
mutation Propose($input: ProposeRelationshipInput!) {
  proposeRelationship(input: $input) {
    __typename
    ... on RelationshipPayload {
      relationship {
        kind status origin startedAt lastActivityAt allowedTransitions
        program { name }
        members { role person { name } }
        previous { id }
      }
    }
    ... on Error { message code field }
  }
}
"""

RELATIONSHIPS = """
query Relationships($programId: ID!, $status: [RelationshipStatus!], $first: Int, $after: String) {
  relationships(programId: $programId, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { status members { role person { name } } } }
  }
}
"""


def member(person, role: MemberRole) -> dict:
    return {"personId": gid("Person", person.id), "role": role.value}


async def one_on_one_program():
    coordinator = await make_person(name="Cora Coordinator")
    program = await program_run_by(coordinator)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, name="Mara", capacity=2)
    mentee = await enrolled(program, EnrollmentRole.MENTEE, name="Milo")
    return coordinator, program, mentor, mentee


async def propose(gql, program, members, *, as_, role=Role.COORDINATOR, **extra) -> dict:
    variables = {"input": {"programId": gid("Program", program.id), "members": members, **extra}}
    return (await gql(PROPOSE, variables, as_=as_, role=role))["proposeRelationship"]


async def test_a_coordinator_proposes_a_one_on_one_and_both_enrollments_become_matched(gql):
    coordinator, program, mentor, mentee = await one_on_one_program()

    result = await propose(
        gql, program, [member(mentor, MemberRole.MENTOR), member(mentee, MemberRole.MENTEE)], as_=coordinator
    )

    assert result["__typename"] == "RelationshipPayload"
    relationship = result["relationship"]
    assert relationship["kind"] == "ONE_ON_ONE"
    assert relationship["status"] == "PROPOSED"
    assert relationship["origin"] == "COORDINATOR"
    assert relationship["startedAt"] is None
    assert relationship["lastActivityAt"] is not None
    assert relationship["allowedTransitions"] == ["ACTIVE", "ENDED_EARLY"]
    assert relationship["members"] == [
        {"role": "MENTOR", "person": {"name": "Mara"}},
        {"role": "MENTEE", "person": {"name": "Milo"}},
    ]
    assert relationship["previous"] is None
    row = await Relationship.get()
    assert row.created_by_id == coordinator.id
    assert set(await Enrollment.all().values_list("status", flat=True)) == {EnrollmentStatus.MATCHED}


async def test_an_admin_proposes_a_peer_circle_with_a_facilitator(gql):
    admin = await make_person()
    program = await program_run_by(kind=ProgramKind.PEER_CIRCLE)
    peers = [await enrolled(program, EnrollmentRole.PEER) for _ in range(4)]
    facilitator = await enrolled(program, EnrollmentRole.MENTOR)
    members = [member(p, MemberRole.PEER) for p in peers] + [member(facilitator, MemberRole.FACILITATOR)]

    result = await propose(gql, program, members, as_=admin, role=Role.ADMIN)

    assert result["__typename"] == "RelationshipPayload"
    assert result["relationship"]["kind"] == "PEER_CIRCLE"
    assert [m["role"] for m in result["relationship"]["members"]] == ["PEER"] * 4 + ["FACILITATOR"]


async def test_reverse_mentoring_takes_the_junior_as_mentor(gql):
    coordinator = await make_person()
    program = await program_run_by(coordinator, kind=ProgramKind.REVERSE)
    engineer = await enrolled(program, EnrollmentRole.MENTOR, level=2)
    executive = await enrolled(program, EnrollmentRole.MENTEE, level=8)

    async with assert_unchanged():
        wrong_way = await propose(
            gql, program, [member(executive, MemberRole.MENTOR), member(engineer, MemberRole.MENTEE)], as_=coordinator
        )
    assert wrong_way["__typename"] == "ValidationError"
    result = await propose(
        gql, program, [member(engineer, MemberRole.MENTOR), member(executive, MemberRole.MENTEE)], as_=coordinator
    )
    assert result["relationship"]["kind"] == "REVERSE"


@pytest.mark.parametrize(
    ("case", "typename", "field"),
    [
        ("not a coordinator", "PermissionDeniedError", "programId"),
        ("coordinator of another program", "PermissionDeniedError", "programId"),
        ("unknown program", "NotFoundError", "programId"),
        ("a person id where a program id goes", "ValidationError", "programId"),
        ("closed program", "ValidationError", "programId"),
        ("two mentors", "ValidationError", "members"),
        ("a peer in a one-on-one", "ValidationError", "members[1].role"),
        ("mentee only applied", "ValidationError", "members[1].personId"),
        ("mentee not enrolled", "ValidationError", "members[1].personId"),
        ("mentee enrolled as mentor", "ValidationError", "members[1].role"),
        ("unknown person", "NotFoundError", "members[1].personId"),
        ("same person twice", "ValidationError", "members[1].personId"),
        ("mentee is the mentor's direct report", "ValidationError", "members[1].personId"),
        ("mentee is the mentor's manager", "ValidationError", "members[1].personId"),
        ("mentor at capacity", "ConflictError", "members[0].personId"),
        ("pair already together", "ConflictError", "members[1].personId"),
    ],
)
async def test_bad_proposals_are_typed_errors_and_write_nothing(gql, case, typename, field):
    coordinator, program, mentor, mentee = await one_on_one_program()
    members = [member(mentor, MemberRole.MENTOR), member(mentee, MemberRole.MENTEE)]
    as_, role, program_id = coordinator, Role.COORDINATOR, gid("Program", program.id)
    if case == "not a coordinator":
        role = Role.PARTICIPANT
    elif case == "coordinator of another program":
        as_ = await make_person()
        await program_run_by(as_)
    elif case == "unknown program":
        program_id = gid("Program", program.id + 100)
    elif case == "a person id where a program id goes":
        program_id = gid("Person", mentor.id)
    elif case == "closed program":
        program.status = ProgramStatus.CLOSED
        await program.save()
    elif case == "two mentors":
        members[1] = member(await enrolled(program, EnrollmentRole.MENTOR), MemberRole.MENTOR)
    elif case == "a peer in a one-on-one":
        members[1]["role"] = "PEER"
    elif case == "mentee only applied":
        members[1] = member(await enrolled(program, status=EnrollmentStatus.APPLIED), MemberRole.MENTEE)
    elif case == "mentee not enrolled":
        members[1] = member(await make_person(), MemberRole.MENTEE)
    elif case == "mentee enrolled as mentor":
        members[1] = member(await enrolled(program, EnrollmentRole.MENTOR), MemberRole.MENTEE)
    elif case == "unknown person":
        members[1]["personId"] = gid("Person", 9999)
    elif case == "same person twice":
        members[1]["personId"] = members[0]["personId"]
    elif case == "mentee is the mentor's direct report":
        members[1] = member(await enrolled(program, manager=mentor), MemberRole.MENTEE)
    elif case == "mentee is the mentor's manager":
        mentor.manager = mentee
        await mentor.save()
    elif case == "mentor at capacity":
        for _ in range(2):
            other = await enrolled(program)
            await propose(gql, program, [members[0], member(other, MemberRole.MENTEE)], as_=coordinator)
    elif case == "pair already together":
        await propose(gql, program, members, as_=coordinator)

    async with assert_unchanged():
        data = await gql(PROPOSE, {"input": {"programId": program_id, "members": members}}, as_=as_, role=role)
    result = data["proposeRelationship"]
    assert (result["__typename"], result["field"]) == (typename, field), result["message"]


async def test_coordinators_page_through_their_programs_relationships_filtered_by_status(gql):
    coordinator = await make_person()
    program = await program_run_by(coordinator)
    for status in (RelationshipStatus.ACTIVE, RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED):
        await mentoring_pair(program, status=status)
    await mentoring_pair(await program_run_by(), status=RelationshipStatus.ACTIVE)
    variables = {"programId": gid("Program", program.id), "status": ["ACTIVE"], "first": 1}

    first = (await gql(RELATIONSHIPS, variables, as_=coordinator, role=Role.COORDINATOR))["relationships"]
    after = first["pageInfo"]["endCursor"]
    second = (await gql(RELATIONSHIPS, {**variables, "after": after}, as_=coordinator, role=Role.COORDINATOR))[
        "relationships"
    ]

    assert first["totalCount"] == 2
    assert first["pageInfo"]["hasNextPage"] is True
    assert second["pageInfo"]["hasNextPage"] is False
    assert [e["node"]["status"] for e in first["edges"] + second["edges"]] == ["ACTIVE", "ACTIVE"]
    everything = await gql(RELATIONSHIPS, {"programId": gid("Program", program.id)}, as_=coordinator, role=Role.ADMIN)
    assert everything["relationships"]["totalCount"] == 3


@pytest.mark.parametrize("role", [Role.PARTICIPANT, Role.ANALYST, Role.COORDINATOR])
async def test_the_program_list_is_null_for_whoever_does_not_run_the_program(gql, role):
    program = await program_run_by(await make_person())
    _, mentor, _ = await mentoring_pair(program)
    data = await gql(RELATIONSHIPS, {"programId": gid("Program", program.id)}, as_=mentor, role=role)
    assert data["relationships"] is None
