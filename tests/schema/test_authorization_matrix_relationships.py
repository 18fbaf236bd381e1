"""Who reads and writes what of a relationship itself: every sensitive field and relationship mutation x every role.

The same world as tests/schema/test_authorization_matrix.py, in a self-service program: Maria mentors Ben (who
asked her, and whose request she accepted), Cora coordinates. Ben once asked for a rematch (the reason and
Cora's note are confidential), has a request pending with another mentor, and the pair has a meeting booked
with an agenda. Around them: another participant, the coordinator of another program, an analyst and an
admin. Reads run per role; writes per mutation, denied roles first (each inside assert_unchanged), then the
allowed ones, which must write something.
"""

from __future__ import annotations

import datetime
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import pytest

from domain.access import Role
from domain.people.models import Person
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, Program, ProgramTier
from domain.relationships.models import (
    MemberRole,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
    RelationshipStatus,
    RematchRequest,
    RematchStatus,
)
from schema.relationships.mutations import RelationshipMutations
from tests.domain.relationships.scenario import enrolled, program_run_by, relationship_of
from tests.factories import make_person
from tests.factories_meetings import make_meeting, soon
from tests.schema.authorization import (
    ADMIN,
    COORDINATOR,
    MEMBERS,
    OVERSEERS,
    OWNER,
    PARTNER,
    ROLES,
    WITH_PROFILE,
    Read,
    Write,
    assert_write_matrix,
    cast_around,
    mutation_names,
    wrong_reads,
)
from tests.support import gid

ACTIVE = EnrollmentStatus.ACTIVE
IN_A_WEEK = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=7)


@dataclass
class World:
    people: dict[str, tuple[Person, Role]]
    program: Program
    relationship: Relationship
    accepted_request: MentorRequest
    rematch: RematchRequest
    mentor_enrollment: Enrollment

    def person(self, role: str) -> Person:
        return self.people[role][0]


async def build_world() -> World:
    cora, dan = await make_person(name="Cora"), await make_person(name="Dan")
    program = await program_run_by(cora, tier=ProgramTier.SELF_SERVICE)
    await program_run_by(dan)
    maria = await enrolled(program, EnrollmentRole.MENTOR, status=ACTIVE, name="Maria", capacity=3)
    ben = await enrolled(program, status=ACTIVE, name="Ben")
    relationship = await relationship_of(program, [(maria, MemberRole.MENTOR), (ben, MemberRole.MENTEE)])
    accepted = await MentorRequest.create(
        program=program,
        mentee=ben,
        mentor=maria,
        message="Could you help me negotiate?",
        status=MentorRequestStatus.ACCEPTED,
        expires_at=IN_A_WEEK,
        relationship=relationship,
    )
    other_mentor = await enrolled(program, EnrollmentRole.MENTOR, status=ACTIVE, name="Mo")
    await MentorRequest.create(
        program=program, mentee=ben, mentor=other_mentor, message="Are you free in May?", expires_at=IN_A_WEEK
    )
    rematch = await RematchRequest.create(
        relationship=relationship,
        requested_by=ben,
        reason="Schedules clash.",
        status=RematchStatus.RESOLVED,
        resolution_note="Talked to both.",
        resolved_by=cora,
    )
    await make_meeting(relationship, maria, ben, start=soon(), title="Pay review prep", agenda=["Salary talk"])
    return World(
        people=await cast_around(owner=ben, partner=maria, coordinator=cora, other_coordinator=dan),
        program=program,
        relationship=relationship,
        accepted_request=accepted,
        rematch=rematch,
        mentor_enrollment=await Enrollment.get(program_id=program.id, person_id=maria.id),
    )


def ids(world: World) -> dict[str, str]:
    return {
        "relationship": gid("Relationship", world.relationship.id),
        "program": gid("Program", world.program.id),
        "rematch": gid("RematchRequest", world.rematch.id),
        "accepted": gid("MentorRequest", world.accepted_request.id),
        "owner": gid("Person", world.person(OWNER).id),
        "mentor_enrollment": gid("Enrollment", world.mentor_enrollment.id),
    }


CONFIDENTIAL = {"reason": "Schedules clash.", "resolutionNote": "Talked to both."}
READS = [
    Read(
        "relationship status",
        "query($relationship: ID!) { relationship(id: $relationship) { status kind closureReason } }",
        MEMBERS | OVERSEERS,
        {"relationship": {"status": "ACTIVE", "kind": "ONE_ON_ONE", "closureReason": None}},
        {"relationship": None},
    ),
    Read(
        "relationship through node",
        "query($relationship: ID!) { node(id: $relationship) { ... on Relationship { status } } }",
        MEMBERS | OVERSEERS,
        {"node": {"status": "ACTIVE"}},
        {"node": None},
    ),
    Read(
        "a program's relationships",
        "query($program: ID!) { relationships(programId: $program) { edges { node { status } } } }",
        OVERSEERS,
        {"relationships": {"edges": [{"node": {"status": "ACTIVE"}}]}},
        {"relationships": None},
    ),
    Read(
        "my relationships",
        "{ me { relationships { status } } }",
        MEMBERS,
        {"me": {"relationships": [{"status": "ACTIVE"}]}},
        {"me": {"relationships": []}},
    ),
    Read(
        "rematch reason and resolution note",
        "query($relationship: ID!) { relationship(id: $relationship) { rematchRequests { reason resolutionNote } } }",
        {OWNER} | OVERSEERS,
        {"relationship": {"rematchRequests": [CONFIDENTIAL]}},
        {"relationship": None},
        partial={PARTNER: {"relationship": {"rematchRequests": []}}},
    ),
    Read(
        "rematch request through node",
        "query($rematch: ID!) { node(id: $rematch) { ... on RematchRequest { reason resolutionNote } } }",
        {OWNER} | OVERSEERS,
        {"node": CONFIDENTIAL},
        {"node": None},
    ),
    Read(
        "meeting agenda through Relationship.meetings",
        "query($relationship: ID!) { relationship(id: $relationship) { meetings { status title agenda { text } } } }",
        MEMBERS,
        {
            "relationship": {
                "meetings": [{"status": "SCHEDULED", "title": "Pay review prep", "agenda": [{"text": "Salary talk"}]}]
            }
        },
        {"relationship": None},
        partial={
            role: {"relationship": {"meetings": [{"status": "SCHEDULED", "title": None, "agenda": None}]}}
            for role in OVERSEERS
        },
    ),
    Read(
        "health and next meeting",
        "query($relationship: ID!) { relationship(id: $relationship) {"
        " health { status } nextMeeting { status title } } }",
        MEMBERS,
        {
            "relationship": {
                "health": {"status": "AT_RISK"},
                "nextMeeting": {"status": "SCHEDULED", "title": "Pay review prep"},
            }
        },
        {"relationship": None},
        partial={
            role: {
                "relationship": {"health": {"status": "AT_RISK"}, "nextMeeting": {"status": "SCHEDULED", "title": None}}
            }
            for role in OVERSEERS
        },
    ),
    Read(
        "mentor request message",
        "query($accepted: ID!) { node(id: $accepted) { ... on MentorRequest { message status } } }",
        MEMBERS | OVERSEERS,
        {"node": {"message": "Could you help me negotiate?", "status": "ACCEPTED"}},
        {"node": None},
    ),
    Read(
        "proposals a reporting line blocks",
        "query($program: ID!) { blockedProposals(programId: $program) { reason } }",
        OVERSEERS,
        {"blockedProposals": []},
        {"blockedProposals": None},
    ),
    Read(
        "open relationships a reporting line now runs through",
        "query($program: ID!) { reportingLineConflicts(programId: $program) { reason } }",
        OVERSEERS,
        {"reportingLineConflicts": []},
        {"reportingLineConflicts": None},
    ),
    # A self-service program lists its mentors to everyone, with the places they have left.
    Read(
        "a mentor's remaining places",
        "query($mentor_enrollment: ID!) { node(id: $mentor_enrollment) { ... on Enrollment { remainingCapacity } } }",
        set(WITH_PROFILE),
        {"node": {"remainingCapacity": 2}},
    ),
    Read(
        "a person's pending requests",
        "query($owner: ID!) { person(id: $owner) { pendingRequests { sent { message } } } }",
        {OWNER},
        {"person": {"pendingRequests": {"sent": [{"message": "Are you free in May?"}]}}},
        {"person": {"pendingRequests": None}},
    ),
]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_exactly_what_it_may(gql, db, role):
    world = await build_world()
    wrong = await wrong_reads(gql, READS, ids(world), role, world.people)
    assert not wrong, "\n".join(wrong)


def _in_status(status: RelationshipStatus) -> Callable[[World], Awaitable[dict]]:
    """Input for a lifecycle step, with the relationship put back where the step starts from."""

    async def prepare(world: World) -> dict:
        await Relationship.filter(id=world.relationship.id).update(status=status)
        return {"relationshipId": gid("Relationship", world.relationship.id)}

    return prepare


async def _proposal(world: World) -> dict:
    mentor = await enrolled(world.program, EnrollmentRole.MENTOR)
    mentee = await enrolled(world.program)
    return {
        "programId": gid("Program", world.program.id),
        "members": [
            {"personId": gid("Person", mentor.id), "role": "MENTOR"},
            {"personId": gid("Person", mentee.id), "role": "MENTEE"},
        ],
    }


async def _ended(world: World) -> dict:
    return {**await _in_status(RelationshipStatus.ACTIVE)(world), "reason": "LACK_OF_TIME"}


async def _ask_a_new_mentor(world: World) -> dict:
    mentor = await enrolled(world.program, EnrollmentRole.MENTOR, status=ACTIVE)
    return {"programId": gid("Program", world.program.id), "mentorId": gid("Person", mentor.id), "message": "Hi"}


async def _request_to_maria(world: World) -> dict:
    newcomer = await enrolled(world.program, name="Nell")
    request = await MentorRequest.create(
        program=world.program, mentee=newcomer, mentor=world.person(PARTNER), expires_at=IN_A_WEEK
    )
    return {"requestId": gid("MentorRequest", request.id), "accept": True}


async def _bens_pending_request(world: World) -> dict:
    mentor = await enrolled(world.program, EnrollmentRole.MENTOR, status=ACTIVE)
    request = await MentorRequest.create(
        program=world.program, mentee=world.person(OWNER), mentor=mentor, expires_at=IN_A_WEEK
    )
    return {"requestId": gid("MentorRequest", request.id)}


async def _rematch_reason(world: World) -> dict:
    return {"relationshipId": gid("Relationship", world.relationship.id), "reason": "We need a change."}


async def _open_rematch(world: World) -> dict:
    request = await RematchRequest.create(
        relationship=world.relationship, requested_by=world.person(OWNER), reason="Still not working."
    )
    return {"rematchRequestId": gid("RematchRequest", request.id), "outcome": "KEEP", "note": "Agreed to try again."}


RUNNERS = (OWNER, PARTNER, COORDINATOR, ADMIN)
# Overseers see the request or relationship, so they are told no rather than "no such thing".
OVERSEERS_REFUSED = {COORDINATOR: "PermissionDeniedError", ADMIN: "PermissionDeniedError"}
WRITES = [
    Write("proposeRelationship", "ProposeRelationshipInput", (COORDINATOR, ADMIN), _proposal, "PermissionDeniedError"),
    Write("pauseRelationship", "PauseRelationshipInput", RUNNERS, _in_status(RelationshipStatus.ACTIVE)),
    Write("resumeRelationship", "ResumeRelationshipInput", RUNNERS, _in_status(RelationshipStatus.PAUSED)),
    Write("completeRelationship", "CompleteRelationshipInput", RUNNERS, _in_status(RelationshipStatus.ACTIVE)),
    Write("endRelationship", "EndRelationshipInput", RUNNERS, _ended),
    # Only an approved mentee of the program asks; no role widens that, not even admin.
    Write("requestMentor", "RequestMentorInput", (OWNER,), _ask_a_new_mentor, "PermissionDeniedError"),
    Write(
        "respondToMentorRequest",
        "RespondToMentorRequestInput",
        (PARTNER,),
        _request_to_maria,
        denied_as=OVERSEERS_REFUSED,
    ),
    Write(
        "cancelMentorRequest", "CancelMentorRequestInput", (OWNER,), _bens_pending_request, denied_as=OVERSEERS_REFUSED
    ),
    Write("requestRematch", "RequestRematchInput", (OWNER, PARTNER), _rematch_reason, denied_as=OVERSEERS_REFUSED),
    Write(
        "resolveRematch",
        "ResolveRematchInput",
        (COORDINATOR, ADMIN),
        _open_rematch,
        denied_as={OWNER: "PermissionDeniedError", PARTNER: "PermissionDeniedError"},
    ),
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.mutation)
async def test_each_mutation_is_open_to_its_roles_only_and_a_denial_writes_nothing(gql, db, write):
    await assert_write_matrix(gql, write, await build_world())


def test_every_relationship_mutation_is_in_the_matrix():
    """A mutation added to the relationships schema without a row here fails this test."""
    assert mutation_names(RelationshipMutations) == {write.mutation for write in WRITES}
