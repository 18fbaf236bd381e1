"""Closing: a relationship's meetings still ahead are cancelled; a closed program winds everything down."""

from __future__ import annotations

import datetime
from datetime import UTC, timedelta

from domain.access import Role
from domain.meetings.models import Meeting, MeetingStatus
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, ProgramStatus, ProgramTier
from domain.relationships.models import (
    ClosureReason,
    MemberRole,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
    RelationshipStatus,
)
from tests.domain.relationships.scenario import enrolled, program_run_by, relationship_of
from tests.factories import make_person
from tests.factories_meetings import make_meeting
from tests.support import gid

END = """
mutation End($input: EndRelationshipInput!) { endRelationship(input: $input) { __typename } }
"""
CLOSE_PROGRAM = """
mutation Close($input: TransitionProgramInput!) { transitionProgram(input: $input) { __typename } }
"""


async def test_ending_a_relationship_cancels_its_meetings_still_ahead_and_keeps_the_past(gql):
    coordinator = await make_person()
    program = await program_run_by(coordinator)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, status=EnrollmentStatus.ACTIVE)
    mentee = await enrolled(program, status=EnrollmentStatus.ACTIVE)
    relationship = await relationship_of(program, [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)])
    now = datetime.datetime.now(UTC).replace(microsecond=0)
    past = await make_meeting(relationship, mentor, mentee, start=now - timedelta(days=3), status=MeetingStatus.HELD)
    ahead = await make_meeting(relationship, mentor, mentee, start=now + timedelta(days=3))

    data = await gql(
        END,
        {"input": {"relationshipId": gid("Relationship", relationship.id), "reason": "LACK_OF_TIME"}},
        as_=mentee,
    )

    assert data["endRelationship"]["__typename"] == "RelationshipPayload"
    cancelled = await Meeting.get(id=ahead.id)
    assert (cancelled.status, cancelled.sequence) == (MeetingStatus.CANCELLED, ahead.sequence + 1)
    assert cancelled.cancellation_reason == "The relationship ended (ended_early)."
    assert (await Meeting.get(id=past.id)).status is MeetingStatus.HELD


async def test_closing_a_program_winds_down_its_relationships_requests_and_enrollments(gql):
    cora = await make_person(name="Cora")
    program = await program_run_by(cora, tier=ProgramTier.SELF_SERVICE, status=ProgramStatus.ACTIVE)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, status=EnrollmentStatus.ACTIVE, capacity=3)
    active_mentee = await enrolled(program, status=EnrollmentStatus.ACTIVE)
    proposed_mentee = await enrolled(program)
    waiting = await enrolled(program, status=EnrollmentStatus.APPLIED)
    asking = await enrolled(program)
    running = await relationship_of(program, [(mentor, MemberRole.MENTOR), (active_mentee, MemberRole.MENTEE)])
    proposal = await relationship_of(
        program, [(mentor, MemberRole.MENTOR), (proposed_mentee, MemberRole.MENTEE)], status=RelationshipStatus.PROPOSED
    )
    ahead = await make_meeting(running, mentor, active_mentee, start=datetime.datetime.now(UTC) + timedelta(days=5))
    request = await MentorRequest.create(
        program=program, mentee=asking, mentor=mentor, expires_at=datetime.datetime.now(UTC) + timedelta(days=7)
    )

    data = await gql(
        CLOSE_PROGRAM,
        {"input": {"programId": gid("Program", program.id), "to": "CLOSED"}},
        as_=cora,
        role=Role.COORDINATOR,
    )

    assert data["transitionProgram"]["__typename"] == "TransitionProgramPayload"
    running, proposal = await Relationship.get(id=running.id), await Relationship.get(id=proposal.id)
    assert running.status is RelationshipStatus.COMPLETED and running.ended_at is not None
    assert (proposal.status, proposal.closure_reason) == (RelationshipStatus.ENDED_EARLY, ClosureReason.OTHER)
    assert (await Meeting.get(id=ahead.id)).status is MeetingStatus.CANCELLED
    assert (await MentorRequest.get(id=request.id)).status is MentorRequestStatus.CANCELLED
    enrollments = {e.person_id: e for e in await Enrollment.filter(program=program)}
    assert enrollments[mentor.id].status is EnrollmentStatus.COMPLETED
    assert enrollments[active_mentee.id].status is EnrollmentStatus.COMPLETED
    assert enrollments[proposed_mentee.id].status is EnrollmentStatus.COMPLETED  # matched, so they took part
    assert enrollments[waiting.id].status is EnrollmentStatus.WITHDRAWN
    assert enrollments[waiting.id].withdrawal_reason == "The program closed."
    assert enrollments[asking.id].status is EnrollmentStatus.WITHDRAWN
