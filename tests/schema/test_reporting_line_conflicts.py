"""reportingLineConflicts: open relationships (not only proposals) a new reporting line now runs through, for
the program's coordinators, so a directory sync never changes a pair silently."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.programs.models import EnrollmentRole
from domain.relationships.models import MemberRole, RelationshipStatus
from tests.domain.relationships.scenario import enrolled, mentoring_pair, program_run_by, relationship_of
from tests.factories import make_person
from tests.schema.test_reporting_line_after_proposal import becomes_manager
from tests.support import gid

CONFLICTS = """
query($program: ID!) {
  reportingLineConflicts(programId: $program) { relationship { id status } manager { name } directReport { name } }
}
"""


@pytest.fixture
async def program(db):
    coordinator = await make_person(name="Cora")
    return coordinator, await program_run_by(coordinator)


async def test_the_coordinator_sees_active_and_proposed_pairs_a_reporting_line_now_runs_through(gql, program):
    coordinator, program = program
    active, mentor, mentee = await mentoring_pair(program, status=RelationshipStatus.ACTIVE)
    ann = await enrolled(program, EnrollmentRole.MENTOR, name="Ann")
    bo = await enrolled(program, name="Bo")
    proposed = await relationship_of(
        program, [(ann, MemberRole.MENTOR), (bo, MemberRole.MENTEE)], status=RelationshipStatus.PROPOSED
    )
    cy = await enrolled(program, EnrollmentRole.MENTOR, name="Cy")
    di = await enrolled(program, name="Di")
    await relationship_of(program, [(cy, MemberRole.MENTOR), (di, MemberRole.MENTEE)], status=RelationshipStatus.ACTIVE)
    await becomes_manager(mentor, mentee)
    await becomes_manager(bo, ann)

    data = await gql(CONFLICTS, {"program": gid("Program", program.id)}, as_=coordinator, role=Role.COORDINATOR)

    assert data["reportingLineConflicts"] == [
        {
            "relationship": {"id": gid("Relationship", active.id), "status": "ACTIVE"},
            "manager": {"name": "Mara Mentor"},
            "directReport": {"name": "Milo Mentee"},
        },
        {
            "relationship": {"id": gid("Relationship", proposed.id), "status": "PROPOSED"},
            "manager": {"name": "Bo"},
            "directReport": {"name": "Ann"},
        },
    ]


async def test_a_participant_sees_null(gql, program):
    _, program = program
    _, mentor, mentee = await mentoring_pair(program, status=RelationshipStatus.ACTIVE)
    await becomes_manager(mentor, mentee)

    assert await gql(CONFLICTS, {"program": gid("Program", program.id)}, as_=mentee) == {"reportingLineConflicts": None}
