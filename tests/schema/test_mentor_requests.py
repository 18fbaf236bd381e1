"""requestMentor, respondToMentorRequest, cancelMentorRequest, expiry and `me { pendingRequests }`."""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, ProgramTier
from domain.relationships.models import (
    MatchExclusion,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
)
from domain.relationships.requests import expire_requests
from tests.domain.relationships.scenario import enrolled, program_run_by
from tests.factories import make_person
from tests.support import assert_unchanged, gid

REQUEST = """
mutation Ask($input: RequestMentorInput!) {
  requestMentor(input: $input) {
    __typename
    ... on MentorRequestPayload { request { id status message expiresAt mentor { name } mentee { name } } }
    ... on Error { message code field }
  }
}
"""

RESPOND = """
mutation Answer($input: RespondToMentorRequestInput!) {
  respondToMentorRequest(input: $input) {
    __typename
    ... on MentorRequestPayload {
      request {
        status responseMessage respondedAt
        relationship { kind status origin members { role person { name } } }
      }
    }
    ... on Error { message code field }
  }
}
"""

CANCEL = """
mutation Cancel($input: CancelMentorRequestInput!) {
  cancelMentorRequest(input: $input) {
    __typename
    ... on MentorRequestPayload { request { status } }
    ... on Error { message code field }
  }
}
"""

PENDING = """
query Pending($id: ID!) {
  me { pendingRequests { sent { mentor { name } } received { mentee { name } } } }
  person(id: $id) { pendingRequests { sent { message } } }
}
"""


async def self_service(capacity: int | None = 2):
    program = await program_run_by(tier=ProgramTier.SELF_SERVICE)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, name="Mara", capacity=capacity)
    mentee = await enrolled(program, EnrollmentRole.MENTEE, name="Milo")
    return program, mentor, mentee


async def ask(gql, program, mentor, *, as_, message="Could you help me with system design?") -> dict:
    variables = {"input": {"programId": gid("Program", program.id), "mentorId": gid("Person", mentor.id)}}
    variables["input"]["message"] = message
    return (await gql(REQUEST, variables, as_=as_))["requestMentor"]


async def answer(gql, request_id: int, *, accept: bool, as_, message=None) -> dict:
    variables = {"input": {"requestId": gid("MentorRequest", request_id), "accept": accept, "message": message}}
    return (await gql(RESPOND, variables, as_=as_))["respondToMentorRequest"]


async def pending_request(program, mentor, mentee, **fields) -> MentorRequest:
    defaults = dict(expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=14))
    defaults.update(fields)
    return await MentorRequest.create(program=program, mentor=mentor, mentee=mentee, **defaults)


async def test_a_mentee_asks_a_mentor_and_both_see_it_pending(gql):
    program, mentor, mentee = await self_service()

    result = await ask(gql, program, mentor, as_=mentee)

    assert result["__typename"] == "MentorRequestPayload"
    assert result["request"]["status"] == "PENDING"
    assert result["request"]["mentor"] == {"name": "Mara"}
    expires = datetime.datetime.fromisoformat(result["request"]["expiresAt"])
    remaining = expires - datetime.datetime.now(datetime.UTC)
    assert datetime.timedelta(days=13, hours=23) < remaining <= datetime.timedelta(days=14)
    mine = await gql(PENDING, {"id": gid("Person", mentor.id)}, as_=mentee)
    assert mine["me"]["pendingRequests"] == {"sent": [{"mentor": {"name": "Mara"}}], "received": []}
    assert mine["person"]["pendingRequests"] is None  # someone else's inbox stays closed
    theirs = await gql(PENDING, {"id": gid("Person", mentee.id)}, as_=mentor)
    assert theirs["me"]["pendingRequests"] == {"sent": [], "received": [{"mentee": {"name": "Milo"}}]}


@pytest.mark.parametrize(
    ("case", "typename", "field"),
    [
        ("self-request", "ValidationError", "mentorId"),
        ("formal program", "ValidationError", "programId"),
        ("mentee not approved", "PermissionDeniedError", "programId"),
        ("asker is a mentor", "PermissionDeniedError", "programId"),
        ("mentor is not a mentor", "ValidationError", "mentorId"),
        ("mentor withdrew", "ValidationError", "mentorId"),
        ("second pending request", "ConflictError", "mentorId"),
        ("mentor at capacity", "ConflictError", "mentorId"),
        ("mentor is the mentee's manager", "ValidationError", "mentorId"),
        ("mentor is the mentee's direct report", "ValidationError", "mentorId"),
        ("pair separated by a rematch", "ConflictError", "mentorId"),
        ("already paired", "ConflictError", "mentorId"),
        ("message too long", "ValidationError", "message"),
    ],
)
async def test_bad_requests_are_typed_errors_and_write_nothing(gql, case, typename, field):
    program, mentor, mentee = await self_service(capacity=1)
    asker, message = mentee, "Hello"
    if case == "self-request":
        mentor = mentee
    elif case == "formal program":
        program.tier = ProgramTier.FORMAL
        await program.save()
    elif case == "mentee not approved":
        await Enrollment.filter(person=mentee).update(status=EnrollmentStatus.APPLIED)
    elif case == "asker is a mentor":
        asker = await enrolled(program, EnrollmentRole.MENTOR)
    elif case == "mentor is not a mentor":
        mentor = await enrolled(program, EnrollmentRole.MENTEE)
    elif case == "mentor withdrew":
        await Enrollment.filter(person=mentor).update(status=EnrollmentStatus.WITHDRAWN)
    elif case == "second pending request":
        await pending_request(program, mentor, mentee)
    elif case == "mentor at capacity":
        other = await enrolled(program)
        accepted = await pending_request(program, mentor, other)
        assert (await answer(gql, accepted.id, accept=True, as_=mentor))["__typename"] == "MentorRequestPayload"
    elif case == "mentor is the mentee's manager":
        mentee.manager = mentor
        await mentee.save()
    elif case == "mentor is the mentee's direct report":
        mentor.manager = mentee
        await mentor.save()
    elif case == "pair separated by a rematch":
        await MatchExclusion.create(program=program, person=mentee, excluded_person=mentor)
    elif case == "already paired":
        await pending_request(program, mentor, mentee)
        request = await MentorRequest.get(mentee=mentee)
        await answer(gql, request.id, accept=True, as_=mentor)
    elif case == "message too long":
        message = "x" * 2001

    async with assert_unchanged():
        result = await ask(gql, program, mentor, as_=asker, message=message)
    assert (result["__typename"], result["field"]) == (typename, field), result["message"]


async def test_accepting_creates_a_proposed_self_service_one_on_one(gql):
    program, mentor, mentee = await self_service()
    request = await pending_request(program, mentor, mentee)

    result = await answer(gql, request.id, accept=True, as_=mentor, message="Happy to.")

    assert result["__typename"] == "MentorRequestPayload"
    assert result["request"]["status"] == "ACCEPTED"
    assert result["request"]["responseMessage"] == "Happy to."
    assert result["request"]["relationship"] == {
        "kind": "ONE_ON_ONE",
        "status": "PROPOSED",
        "origin": "SELF_SERVICE",
        "members": [{"role": "MENTOR", "person": {"name": "Mara"}}, {"role": "MENTEE", "person": {"name": "Milo"}}],
    }
    await request.refresh_from_db()
    assert request.relationship_id == (await Relationship.get()).id
    assert set(await Enrollment.all().values_list("status", flat=True)) == {EnrollmentStatus.MATCHED}


async def test_declining_writes_no_relationship(gql):
    program, mentor, mentee = await self_service()
    request = await pending_request(program, mentor, mentee)

    result = await answer(gql, request.id, accept=False, as_=mentor, message="I'm full this quarter.")

    assert result["request"]["status"] == "DECLINED"
    assert result["request"]["relationship"] is None
    assert await Relationship.all().count() == 0
    assert set(await Enrollment.all().values_list("status", flat=True)) == {EnrollmentStatus.APPROVED}


@pytest.mark.parametrize(
    ("case", "typename"),
    [
        ("answered by the mentee", "PermissionDeniedError"),
        ("answered by a stranger", "NotFoundError"),
        ("unknown request", "NotFoundError"),
        ("already declined", "InvalidTransitionError"),
        ("cancelled", "InvalidTransitionError"),
        ("expired by time, not yet swept", "InvalidTransitionError"),
        ("swept as expired", "InvalidTransitionError"),
        ("mentor reached capacity meanwhile", "ConflictError"),
        ("mentee became the mentor's report meanwhile", "ValidationError"),
    ],
)
async def test_an_answer_that_cannot_be_given_writes_nothing(gql, case, typename):
    program, mentor, mentee = await self_service(capacity=1)
    request = await pending_request(program, mentor, mentee)
    request_id, responder = request.id, mentor
    past = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=1)
    if case == "answered by the mentee":
        responder = mentee
    elif case == "answered by a stranger":
        responder = await make_person()
    elif case == "unknown request":
        request_id += 100
    elif case == "already declined":
        await answer(gql, request.id, accept=False, as_=mentor)
    elif case == "cancelled":
        await MentorRequest.filter(id=request.id).update(status=MentorRequestStatus.CANCELLED)
    elif case == "expired by time, not yet swept":
        await MentorRequest.filter(id=request.id).update(expires_at=past)
    elif case == "swept as expired":
        await MentorRequest.filter(id=request.id).update(expires_at=past)
        assert await expire_requests(datetime.datetime.now(datetime.UTC)) == 1
    elif case == "mentor reached capacity meanwhile":
        other = await enrolled(program)
        first = await pending_request(program, mentor, other)
        await answer(gql, first.id, accept=True, as_=mentor)
    elif case == "mentee became the mentor's report meanwhile":
        mentee.manager = mentor
        await mentee.save()

    async with assert_unchanged():
        result = await answer(gql, request_id, accept=True, as_=responder)
    assert (result["__typename"], result["field"]) == (typename, "requestId"), result["message"]


async def test_the_expiry_sweep_marks_only_requests_whose_time_ran_out(db):
    program, mentor, mentee = await self_service()
    now = datetime.datetime.now(datetime.UTC)
    stale = await pending_request(program, mentor, mentee, expires_at=now - datetime.timedelta(minutes=1))
    live = await pending_request(program, mentor, await enrolled(program), expires_at=now + datetime.timedelta(days=1))

    assert await expire_requests(now) == 1

    await stale.refresh_from_db()
    await live.refresh_from_db()
    assert stale.status is MentorRequestStatus.EXPIRED
    assert live.status is MentorRequestStatus.PENDING


async def test_after_a_request_expires_the_mentee_may_ask_again(gql):
    program, mentor, mentee = await self_service()
    old = await pending_request(
        program, mentor, mentee, expires_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1)
    )
    mine = await gql(PENDING, {"id": gid("Person", mentee.id)}, as_=mentee)
    assert mine["me"]["pendingRequests"]["sent"] == []  # an expired request no longer shows as pending

    result = await ask(gql, program, mentor, as_=mentee)

    assert result["__typename"] == "MentorRequestPayload"
    await old.refresh_from_db()
    assert old.status is MentorRequestStatus.EXPIRED


async def test_the_mentee_cancels_the_mentor_cannot(gql):
    program, mentor, mentee = await self_service()
    request = await pending_request(program, mentor, mentee)
    variables = {"input": {"requestId": gid("MentorRequest", request.id)}}

    async with assert_unchanged():
        refused = (await gql(CANCEL, variables, as_=mentor))["cancelMentorRequest"]
    assert (refused["__typename"], refused["field"]) == ("PermissionDeniedError", "requestId")
    cancelled = (await gql(CANCEL, variables, as_=mentee))["cancelMentorRequest"]
    assert cancelled == {"__typename": "MentorRequestPayload", "request": {"status": "CANCELLED"}}
    async with assert_unchanged():
        again = (await gql(CANCEL, variables, as_=mentee))["cancelMentorRequest"]
    assert again["__typename"] == "InvalidTransitionError"


NODE = """
query Node($id: ID!) { node(id: $id) { ... on MentorRequest { message mentee { name } } } }
"""


@pytest.mark.parametrize(
    ("who", "role", "sees"),
    [
        ("mentee", Role.PARTICIPANT, True),
        ("mentor", Role.PARTICIPANT, True),
        ("coordinator", Role.COORDINATOR, True),
        ("admin", Role.ADMIN, True),
        ("other participant", Role.PARTICIPANT, False),
        ("coordinator of another program", Role.COORDINATOR, False),
        ("analyst", Role.ANALYST, False),
    ],
)
async def test_a_request_is_visible_to_its_two_people_and_the_programs_coordinators(gql, who, role, sees):
    coordinator = await make_person()
    program = await program_run_by(coordinator, tier=ProgramTier.SELF_SERVICE)
    mentor = await enrolled(program, EnrollmentRole.MENTOR)
    mentee = await enrolled(program, name="Milo")
    request = await pending_request(program, mentor, mentee, message="Hi")
    other_coordinator = await make_person()
    await program_run_by(other_coordinator)
    viewer = {"mentee": mentee, "mentor": mentor, "coordinator": coordinator}.get(who)
    viewer = viewer or (other_coordinator if who == "coordinator of another program" else await make_person())

    data = await gql(NODE, {"id": gid("MentorRequest", request.id)}, as_=viewer, role=role)

    assert data["node"] == ({"message": "Hi", "mentee": {"name": "Milo"}} if sees else None)
