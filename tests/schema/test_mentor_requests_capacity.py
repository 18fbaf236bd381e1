"""Capacity under concurrent accepts over GraphQL: PostgreSQL row locks keep a mentor to their declared seats."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from domain.programs.models import EnrollmentRole, ProgramTier
from domain.relationships.models import (
    MemberRole,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
    RelationshipMember,
)
from tests.domain.relationships.scenario import enrolled, program_run_by, warm_connection_pool
from tests.support import gid

ACCEPT = """
mutation Accept($input: RespondToMentorRequestInput!) {
  respondToMentorRequest(input: $input) {
    __typename
    ... on Error { field }
  }
}
"""


@pytest.mark.postgres_only
async def test_ten_concurrent_accepts_for_two_seats_make_exactly_two_relationships(gql):
    program = await program_run_by(tier=ProgramTier.SELF_SERVICE)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, capacity=2)
    requests = []
    for _ in range(10):
        mentee = await enrolled(program, EnrollmentRole.MENTEE)
        requests.append(
            await MentorRequest.create(
                program=program,
                mentor=mentor,
                mentee=mentee,
                expires_at=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=14),
            )
        )
    await warm_connection_pool()

    results = await asyncio.gather(
        *(
            gql(ACCEPT, {"input": {"requestId": gid("MentorRequest", r.id), "accept": True}}, as_=mentor)
            for r in requests
        )
    )

    outcomes = sorted(result["respondToMentorRequest"]["__typename"] for result in results)
    assert outcomes == ["ConflictError"] * 8 + ["MentorRequestPayload"] * 2
    assert await Relationship.all().count() == 2
    assert await RelationshipMember.filter(person_id=mentor.id, role=MemberRole.MENTOR).count() == 2
    assert await MentorRequest.filter(status=MentorRequestStatus.ACCEPTED).count() == 2
    # filling the second seat closed every request still waiting
    assert await MentorRequest.filter(status=MentorRequestStatus.PENDING).count() == 0
    assert await MentorRequest.filter(status=MentorRequestStatus.MENTOR_FULL).count() == 8
