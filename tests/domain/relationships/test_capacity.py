"""A mentor's capacity holds when many accepts race: each runs as its own task against the domain."""

from __future__ import annotations

import asyncio
import datetime

from domain.access import Role, Viewer
from domain.errors import Conflict
from domain.programs.models import EnrollmentRole, ProgramTier
from domain.relationships import requests
from domain.relationships.models import MentorRequestStatus, Relationship, RelationshipMember
from tests.domain.relationships.scenario import NOW, enrolled, program_run_by, warm_connection_pool


def viewer_of(person) -> Viewer:
    return Viewer(email=person.email, role=Role.PARTICIPANT, person_id=person.id)


async def race_accepts(*, capacity: int, mentees: int) -> tuple[object, list]:
    """A mentor with `capacity` and `mentees` pending requests, all accepted at once; returns mentor and outcomes."""
    program = await program_run_by(tier=ProgramTier.SELF_SERVICE)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, capacity=capacity)
    pending = []
    for _ in range(mentees):
        mentee = await enrolled(program, EnrollmentRole.MENTEE)
        pending.append(
            await requests.request_mentor(
                viewer_of(mentee), program_id=program.id, mentor_id=mentor.id, message="Hello", now=NOW
            )
        )
    later = NOW + datetime.timedelta(hours=1)

    async def accept(request_id: int):
        return await requests.respond(viewer_of(mentor), request_id=request_id, accept=True, message=None, now=later)

    await warm_connection_pool()
    tasks = [asyncio.create_task(accept(request.id)) for request in pending]
    return mentor, await asyncio.gather(*tasks, return_exceptions=True)


async def test_concurrent_accepts_never_exceed_capacity(db):
    mentor, outcomes = await race_accepts(capacity=2, mentees=10)

    refused = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert all(isinstance(outcome, Conflict) for outcome in refused), refused
    assert len(refused) == 8
    assert await Relationship.all().count() == 2
    assert await RelationshipMember.filter(person_id=mentor.id).count() == 2
    assert await requests.MentorRequest.filter(status=MentorRequestStatus.ACCEPTED).count() == 2
    # the second accept filled the mentor, which closed every request still waiting
    assert await requests.MentorRequest.filter(status=MentorRequestStatus.PENDING).count() == 0
    assert await requests.MentorRequest.filter(status=MentorRequestStatus.MENTOR_FULL).count() == 8
