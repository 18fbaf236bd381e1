"""A full mentor's waiting requests close as MENTOR_FULL, and Enrollment.remainingCapacity counts the places left."""

from __future__ import annotations

from domain.access import Role
from domain.programs.models import EnrollmentRole, ProgramCoordinator
from domain.relationships.models import MentorRequest, MentorRequestStatus
from tests.domain.relationships.scenario import enrolled
from tests.factories import make_person
from tests.schema.test_mentor_requests import answer, ask, pending_request, self_service
from tests.support import gid

REQUEST = """
query Request($id: ID!) { node(id: $id) { ... on MentorRequest { status responseMessage respondedAt } } }
"""
MENTORS = """
query Mentors($program: ID!) {
  node(id: $program) { ... on Program { enrollments(role: MENTOR) { person { name } capacity remainingCapacity } } }
}
"""
PROPOSE = """
mutation P($input: ProposeRelationshipInput!) { proposeRelationship(input: $input) { __typename } }
"""


async def remaining(gql, program, *, as_) -> dict[str, int | None]:
    data = await gql(MENTORS, {"program": gid("Program", program.id)}, as_=as_)
    return {row["person"]["name"]: row["remainingCapacity"] for row in data["node"]["enrollments"]}


async def test_taking_a_mentors_last_place_closes_their_other_requests_as_mentor_full(gql, db):
    program, mentor, first = await self_service(capacity=2)
    second, third = await enrolled(program, name="Sol"), await enrolled(program, name="Tia")
    requests = [await pending_request(program, mentor, mentee) for mentee in (first, second, third)]
    assert await remaining(gql, program, as_=third) == {"Mara": 2}

    await answer(gql, requests[0].id, accept=True, as_=mentor)
    assert await remaining(gql, program, as_=third) == {"Mara": 1}
    waiting = await gql(REQUEST, {"id": gid("MentorRequest", requests[2].id)}, as_=third)
    assert waiting["node"]["status"] == "PENDING"

    await answer(gql, requests[1].id, accept=True, as_=mentor)

    assert await remaining(gql, program, as_=third) == {"Mara": 0}
    closed = (await gql(REQUEST, {"id": gid("MentorRequest", requests[2].id)}, as_=third))["node"]
    assert closed["status"] == "MENTOR_FULL"
    assert closed["responseMessage"] == "The mentor's places are all taken; you can ask another mentor."
    assert closed["respondedAt"] is not None
    statuses = await MentorRequest.filter(program_id=program.id).order_by("id").values_list("status", flat=True)
    assert statuses == [MentorRequestStatus.ACCEPTED, MentorRequestStatus.ACCEPTED, MentorRequestStatus.MENTOR_FULL]

    # the mentor no longer sees a request they cannot accept, and the mentee asks someone else
    pending = await gql("{ me { pendingRequests { received { mentee { name } } } } }", as_=mentor)
    assert pending["me"]["pendingRequests"]["received"] == []
    other = await enrolled(program, EnrollmentRole.MENTOR, name="Ola", capacity=1)
    assert (await ask(gql, program, other, as_=third))["__typename"] == "MentorRequestPayload"


async def test_a_closed_request_cannot_be_accepted_later(gql, db):
    program, mentor, first = await self_service(capacity=1)
    late = await pending_request(program, mentor, await enrolled(program, name="Sol"))
    await answer(gql, (await pending_request(program, mentor, first)).id, accept=True, as_=mentor)

    result = await answer(gql, late.id, accept=True, as_=mentor)

    assert (result["__typename"], result["field"]) == ("ConflictError", "requestId")


async def test_a_coordinators_proposal_that_fills_the_mentor_closes_their_requests_too(gql, db):
    program, mentor, mentee = await self_service(capacity=1)
    coordinator = await make_person(name="Cora")
    await ProgramCoordinator.create(program=program, person=coordinator)
    waiting = await pending_request(program, mentor, await enrolled(program, name="Sol"))
    members = [
        {"personId": gid("Person", mentor.id), "role": "MENTOR"},
        {"personId": gid("Person", mentee.id), "role": "MENTEE"},
    ]

    proposal = {"input": {"programId": gid("Program", program.id), "members": members}}
    proposed = await gql(PROPOSE, proposal, as_=coordinator, role=Role.COORDINATOR)

    assert proposed["proposeRelationship"]["__typename"] == "RelationshipPayload"
    await waiting.refresh_from_db()
    assert waiting.status is MentorRequestStatus.MENTOR_FULL


async def test_remaining_capacity_is_null_without_a_declared_capacity_or_for_a_mentee(gql, db):
    program, _, mentee = await self_service(capacity=None)
    assert await remaining(gql, program, as_=mentee) == {"Mara": None}
    own = await gql("{ me { enrollments { role remainingCapacity } } }", as_=mentee)
    assert own["me"]["enrollments"] == [{"role": "MENTEE", "remainingCapacity": None}]
