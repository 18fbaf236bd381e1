"""requestRematch and resolveRematch, and the new relationship that follows a rematch."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.programs.models import EnrollmentRole
from domain.relationships.models import (
    ClosureReason,
    MatchExclusion,
    MemberRole,
    Relationship,
    RelationshipOrigin,
    RelationshipStatus,
    RematchRequest,
    RematchStatus,
)
from tests.domain.relationships.scenario import enrolled, mentoring_pair, program_run_by
from tests.factories import make_person
from tests.support import assert_unchanged, gid

REQUEST = """
mutation Ask($input: RequestRematchInput!) {
  requestRematch(input: $input) {
    __typename
    ... on RematchRequestPayload { rematchRequest { id status reason requestedBy { name } } }
    ... on Error { message code field }
  }
}
"""

RESOLVE = """
mutation Resolve($input: ResolveRematchInput!) {
  resolveRematch(input: $input) {
    __typename
    ... on RematchRequestPayload {
      rematchRequest { status resolutionNote resolvedBy { name } relationship { status closureReason } }
    }
    ... on Error { message code field }
  }
}
"""

PROPOSE = """
mutation Propose($input: ProposeRelationshipInput!) {
  proposeRelationship(input: $input) {
    __typename
    ... on RelationshipPayload { relationship { id origin previous { status successors { origin } } } }
    ... on Error { message code field }
  }
}
"""


async def rematch_scenario():
    coordinator = await make_person(name="Cora")
    program = await program_run_by(coordinator)
    relationship, mentor, mentee = await mentoring_pair(program)
    return coordinator, program, relationship, mentor, mentee


async def ask(gql, relationship, *, as_, role=Role.PARTICIPANT, reason="We never find a time that works.") -> dict:
    variables = {"input": {"relationshipId": gid("Relationship", relationship.id), "reason": reason}}
    return (await gql(REQUEST, variables, as_=as_, role=role))["requestRematch"]


async def resolve(gql, request_id: int, outcome: str, *, as_, role=Role.COORDINATOR, note="Talked to both.") -> dict:
    variables = {"input": {"rematchRequestId": gid("RematchRequest", request_id), "outcome": outcome, "note": note}}
    return (await gql(RESOLVE, variables, as_=as_, role=role))["resolveRematch"]


async def open_request(relationship, person, reason="Not a good fit.") -> RematchRequest:
    return await RematchRequest.create(relationship=relationship, requested_by=person, reason=reason)


async def test_a_member_asks_for_a_rematch_and_reads_back_their_own_reason(gql):
    _, _, relationship, _, mentee = await rematch_scenario()

    result = await ask(gql, relationship, as_=mentee)

    assert result["__typename"] == "RematchRequestPayload"
    assert result["rematchRequest"]["status"] == "OPEN"
    assert result["rematchRequest"]["reason"] == "We never find a time that works."
    assert result["rematchRequest"]["requestedBy"] == {"name": "Milo Mentee"}


@pytest.mark.parametrize(
    ("case", "typename", "field"),
    [
        ("blank reason", "ValidationError", "reason"),
        ("coordinator is not a member", "PermissionDeniedError", "relationshipId"),
        ("outsider", "NotFoundError", "relationshipId"),
        ("relationship completed", "InvalidTransitionError", "relationshipId"),
        ("already asked", "ConflictError", "relationshipId"),
    ],
)
async def test_bad_rematch_requests_write_nothing(gql, case, typename, field):
    coordinator, _, relationship, _, mentee = await rematch_scenario()
    asker, role, reason = mentee, Role.PARTICIPANT, "It is not working."
    if case == "blank reason":
        reason = "   "
    elif case == "coordinator is not a member":
        asker, role = coordinator, Role.COORDINATOR
    elif case == "outsider":
        asker = await make_person()
    elif case == "relationship completed":
        relationship.status = RelationshipStatus.COMPLETED
        await relationship.save()
    elif case == "already asked":
        await open_request(relationship, mentee)

    async with assert_unchanged():
        result = await ask(gql, relationship, as_=asker, role=role, reason=reason)
    assert (result["__typename"], result["field"]) == (typename, field), result["message"]


async def test_keep_resolves_the_request_and_leaves_the_relationship_alone(gql):
    coordinator, _, relationship, _, mentee = await rematch_scenario()
    request = await open_request(relationship, mentee)

    result = await resolve(gql, request.id, "KEEP", as_=coordinator)

    assert result["rematchRequest"] == {
        "status": "RESOLVED",
        "resolutionNote": "Talked to both.",
        "resolvedBy": {"name": "Cora"},
        "relationship": {"status": "ACTIVE", "closureReason": None},
    }
    assert await MatchExclusion.all().count() == 0


async def test_end_and_rematch_ends_the_pair_and_flags_both_with_the_old_partner_excluded(gql):
    coordinator, program, relationship, mentor, mentee = await rematch_scenario()
    request = await open_request(relationship, mentee)
    partners_request = await open_request(relationship, mentor)

    result = await resolve(gql, request.id, "END_AND_REMATCH", as_=coordinator)

    assert result["rematchRequest"]["status"] == "ENDED_RELATIONSHIP"
    assert result["rematchRequest"]["relationship"] == {"status": "ENDED_EARLY", "closureReason": "NOT_A_GOOD_FIT"}
    row = await Relationship.get(id=relationship.id)
    assert (row.status, row.closure_reason) == (RelationshipStatus.ENDED_EARLY, ClosureReason.NOT_A_GOOD_FIT)
    exclusions = await MatchExclusion.all().values_list("person_id", "excluded_person_id", "needs_rematch")
    assert sorted(exclusions) == sorted([(mentor.id, mentee.id, True), (mentee.id, mentor.id, True)])
    assert all(e.program_id == program.id for e in await MatchExclusion.all())
    await partners_request.refresh_from_db()
    assert partners_request.status is RematchStatus.ENDED_RELATIONSHIP


@pytest.mark.parametrize(
    ("case", "typename"),
    [
        # members may know the request exists, so they are told no; outsiders are told nothing
        ("the member who asked", "PermissionDeniedError"),
        ("the partner", "PermissionDeniedError"),
        ("coordinator of another program", "NotFoundError"),
        ("analyst", "NotFoundError"),
        ("already resolved", "InvalidTransitionError"),
        ("relationship ended meanwhile", "InvalidTransitionError"),
        ("unknown request", "NotFoundError"),
    ],
)
async def test_bad_resolutions_write_nothing(gql, case, typename):
    coordinator, _, relationship, mentor, mentee = await rematch_scenario()
    request = await open_request(relationship, mentee)
    resolver, role, request_id = coordinator, Role.COORDINATOR, request.id
    if case == "the member who asked":
        resolver, role = mentee, Role.PARTICIPANT
    elif case == "the partner":
        resolver, role = mentor, Role.PARTICIPANT
    elif case == "coordinator of another program":
        resolver = await make_person()
        await program_run_by(resolver)
    elif case == "analyst":
        resolver, role = await make_person(), Role.ANALYST
    elif case == "already resolved":
        await resolve(gql, request.id, "KEEP", as_=coordinator)
    elif case == "relationship ended meanwhile":
        relationship.status = RelationshipStatus.COMPLETED
        await relationship.save()
    elif case == "unknown request":
        request_id += 100

    async with assert_unchanged():
        result = await resolve(gql, request_id, "END_AND_REMATCH", as_=resolver, role=role)
    assert (result["__typename"], result["field"]) == (typename, "rematchRequestId"), result["message"]


async def test_the_next_relationship_links_to_the_old_one_and_the_old_pair_is_refused(gql):
    coordinator, program, relationship, mentor, mentee = await rematch_scenario()
    await resolve(gql, (await open_request(relationship, mentee)).id, "END_AND_REMATCH", as_=coordinator)
    new_mentor = await enrolled(program, EnrollmentRole.MENTOR, name="Nia")

    def proposal(mentor_person, **extra):
        members = [
            {"personId": gid("Person", mentor_person.id), "role": "MENTOR"},
            {"personId": gid("Person", mentee.id), "role": "MENTEE"},
        ]
        return {"input": {"programId": gid("Program", program.id), "members": members, **extra}}

    async with assert_unchanged():
        again = (await gql(PROPOSE, proposal(mentor), as_=coordinator, role=Role.COORDINATOR))["proposeRelationship"]
    assert (again["__typename"], again["field"]) == ("ConflictError", "members[1].personId")

    linked = proposal(new_mentor, previousRelationshipId=gid("Relationship", relationship.id))
    result = (await gql(PROPOSE, linked, as_=coordinator, role=Role.COORDINATOR))["proposeRelationship"]

    assert result["__typename"] == "RelationshipPayload"
    assert result["relationship"]["origin"] == "REMATCH"
    assert result["relationship"]["previous"] == {"status": "ENDED_EARLY", "successors": [{"origin": "REMATCH"}]}
    new = await Relationship.get(origin=RelationshipOrigin.REMATCH)
    assert new.previous_id == relationship.id
    flags = dict(await MatchExclusion.all().values_list("person_id", "needs_rematch"))
    assert flags == {mentee.id: False, mentor.id: True}  # Milo is placed again; Mara still waits for matching


@pytest.mark.parametrize(
    ("case", "typename"),
    [
        ("previous still open", "ValidationError"),
        ("previous from another program", "NotFoundError"),
        ("no member in common", "ValidationError"),
    ],
)
async def test_a_bad_previous_relationship_is_refused(gql, case, typename):
    coordinator, program, relationship, _mentor, mentee = await rematch_scenario()
    new_mentor = await enrolled(program, EnrollmentRole.MENTOR)
    new_mentee = mentee
    if case == "previous from another program":
        relationship, _, _ = await mentoring_pair(await program_run_by(), status=RelationshipStatus.ENDED_EARLY)
    elif case != "previous still open":
        relationship.status = RelationshipStatus.ENDED_EARLY
        await relationship.save()
    if case == "no member in common":
        new_mentee = await enrolled(program)
    members = [
        {"personId": gid("Person", new_mentor.id), "role": MemberRole.MENTOR.value},
        {"personId": gid("Person", new_mentee.id), "role": MemberRole.MENTEE.value},
    ]
    variables = {
        "input": {
            "programId": gid("Program", program.id),
            "members": members,
            "previousRelationshipId": gid("Relationship", relationship.id),
        }
    }
    async with assert_unchanged():
        result = (await gql(PROPOSE, variables, as_=coordinator, role=Role.COORDINATOR))["proposeRelationship"]
    assert (result["__typename"], result["field"]) == (typename, "previousRelationshipId")


async def test_the_rematch_path_still_keeps_managers_and_reports_apart(gql):
    coordinator, program, relationship, _mentor, mentee = await rematch_scenario()
    await resolve(gql, (await open_request(relationship, mentee)).id, "END_AND_REMATCH", as_=coordinator)
    boss = await enrolled(program, EnrollmentRole.MENTOR)
    mentee.manager = boss
    await mentee.save()
    members = [
        {"personId": gid("Person", boss.id), "role": "MENTOR"},
        {"personId": gid("Person", mentee.id), "role": "MENTEE"},
    ]
    variables = {
        "input": {
            "programId": gid("Program", program.id),
            "members": members,
            "previousRelationshipId": gid("Relationship", relationship.id),
        }
    }
    async with assert_unchanged():
        result = (await gql(PROPOSE, variables, as_=coordinator, role=Role.COORDINATOR))["proposeRelationship"]
    assert (result["__typename"], result["field"]) == ("ValidationError", "members[1].personId")


FLOW_READ = """
query Read($id: ID!) {
  relationship(id: $id) { status rematchRequests { status reason requestedBy { name } } }
}
"""
MY_RELATIONSHIPS = """
{ me { relationships { origin status previous { status } successors { origin } } } }
"""


AWAITING = "query($id: ID!) { program(id: $id) { enrollments { person { name } awaitingRematch } } }"


async def test_the_whole_rematch_flow_through_graphql(gql):
    coordinator, program, relationship, mentor, mentee = await rematch_scenario()
    old = {"id": gid("Relationship", relationship.id)}
    other_coordinator = await make_person()
    await program_run_by(other_coordinator)

    # The mentee asks, with a reason only they and the program's coordinators may read.
    asked = await ask(gql, relationship, as_=mentee, reason="Mara keeps cancelling.")
    request_id = (await RematchRequest.get(requested_by=mentee)).id
    assert asked["rematchRequest"]["reason"] == "Mara keeps cancelling."
    partner_view = await gql(FLOW_READ, old, as_=mentor)
    assert partner_view["relationship"] == {"status": "ACTIVE", "rematchRequests": []}
    assert (await gql(FLOW_READ, old, as_=other_coordinator, role=Role.COORDINATOR))["relationship"] is None
    coordinator_view = await gql(FLOW_READ, old, as_=coordinator, role=Role.COORDINATOR)
    assert coordinator_view["relationship"]["rematchRequests"] == [
        {"status": "OPEN", "reason": "Mara keeps cancelling.", "requestedBy": {"name": "Milo Mentee"}}
    ]

    # The coordinator ends it: both are flagged for the next matching run and kept apart.
    ended = await resolve(gql, request_id, "END_AND_REMATCH", as_=coordinator)
    assert ended["rematchRequest"]["relationship"] == {"status": "ENDED_EARLY", "closureReason": "NOT_A_GOOD_FIT"}
    flagged = await MatchExclusion.filter(program=program).values_list(
        "person_id", "excluded_person_id", "needs_rematch"
    )
    assert sorted(flagged) == sorted([(mentee.id, mentor.id, True), (mentor.id, mentee.id, True)])

    def members(mentor_person):
        return [
            {"personId": gid("Person", mentor_person.id), "role": "MENTOR"},
            {"personId": gid("Person", mentee.id), "role": "MENTEE"},
        ]

    proposal = {"programId": gid("Program", program.id), "members": members(mentor)}
    async with assert_unchanged():
        again = await gql(PROPOSE, {"input": proposal}, as_=coordinator, role=Role.COORDINATOR)
    assert again["proposeRelationship"]["__typename"] == "ConflictError"

    # The mentee's next relationship links to the old one, both ways, as its members see it.
    nia = await enrolled(program, EnrollmentRole.MENTOR, name="Nia")
    linked = {**proposal, "members": members(nia), "previousRelationshipId": old["id"]}
    created = await gql(PROPOSE, {"input": linked}, as_=coordinator, role=Role.COORDINATOR)
    assert created["proposeRelationship"]["relationship"]["origin"] == "REMATCH"
    mine = (await gql(MY_RELATIONSHIPS, as_=mentee))["me"]["relationships"]
    assert mine == [
        {"origin": "COORDINATOR", "status": "ENDED_EARLY", "previous": None, "successors": [{"origin": "REMATCH"}]},
        {"origin": "REMATCH", "status": "PROPOSED", "previous": {"status": "ENDED_EARLY"}, "successors": []},
    ]
    # Mara's old relationship shows her no successor: Milo's new pairing is not hers to see.
    maras = (await gql(MY_RELATIONSHIPS, as_=mentor))["me"]["relationships"]
    assert maras == [
        {"origin": "COORDINATOR", "status": "ENDED_EARLY", "previous": None, "successors": []},
    ]
    flags = dict(await MatchExclusion.filter(program=program).values_list("person_id", "needs_rematch"))
    assert flags == {mentee.id: False, mentor.id: True}
    # The coordinator sees who still waits for the next matching run on their enrollments.
    waiting = await gql(AWAITING, {"id": gid("Program", program.id)}, as_=coordinator, role=Role.COORDINATOR)
    assert {e["person"]["name"]: e["awaitingRematch"] for e in waiting["program"]["enrollments"]} == {
        "Mara Mentor": True,
        "Milo Mentee": False,
        "Nia": False,
    }
