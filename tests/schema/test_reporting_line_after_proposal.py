"""The manager rule after the proposal: a reporting line recorded while a pair is PROPOSED stops every signature,
the activating one included, and the program's coordinators see the proposal as blocked."""

from __future__ import annotations

import pytest

from domain.access import Role
from domain.agreements.models import AgreementSignature
from domain.people.models import Person
from domain.programs.models import EnrollmentRole
from domain.relationships.models import MemberRole, Relationship, RelationshipStatus
from tests.domain.relationships.scenario import enrolled, mentoring_pair, program_run_by, relationship_of
from tests.factories import make_person
from tests.schema.test_agreements import sign
from tests.support import assert_unchanged, gid

BLOCKED = """
query($program: ID!) {
  blockedProposals(programId: $program) {
    relationship { id status } manager { name } directReport { name } reason
  }
}
"""
WHAT_CHANGED = (
    "This relationship cannot go on: Milo Mentee now reports to Mara Mentor, and nobody is in a mentoring "
    "relationship with their manager or a direct report; the program's coordinator can end or rematch it."
)


@pytest.fixture
async def proposal(db):
    coordinator = await make_person(name="Cora")
    program = await program_run_by(coordinator)
    relationship, mentor, mentee = await mentoring_pair(program, status=RelationshipStatus.PROPOSED)
    return coordinator, program, relationship, mentor, mentee


async def becomes_manager(manager: Person, report: Person) -> None:
    """What a directory import does when it records a new reporting line."""
    await Person.filter(id=report.id).update(manager_id=manager.id)


@pytest.mark.parametrize("signer", ["mentor", "mentee"])
async def test_no_member_signs_once_they_report_to_each_other(gql, proposal, signer):
    _, _, relationship, mentor, mentee = proposal
    await becomes_manager(mentor, mentee)

    async with assert_unchanged():
        result = await sign(gql, mentor if signer == "mentor" else mentee, relationship)

    assert result == {
        "__typename": "ConflictError",
        "message": WHAT_CHANGED,
        "code": "CONFLICT",
        "field": "relationshipId",
    }


async def test_the_last_signature_does_not_activate_a_pair_that_now_reports_to_each_other(gql, proposal):
    _, _, relationship, mentor, mentee = proposal
    assert (await sign(gql, mentor, relationship))["__typename"] == "SignAgreementPayload"
    await becomes_manager(mentor, mentee)

    async with assert_unchanged():
        result = await sign(gql, mentee, relationship)

    assert (result["__typename"], result["field"]) == ("ConflictError", "relationshipId")
    assert (await Relationship.get(id=relationship.id)).status is RelationshipStatus.PROPOSED
    assert await AgreementSignature.filter(person_id=mentee.id).count() == 0


async def test_the_coordinator_lists_the_proposals_a_reporting_line_now_blocks(gql, proposal):
    coordinator, program, blocked, mentor, mentee = proposal
    # another proposal in the same program, with no reporting line, stays off the list
    ann = await enrolled(program, EnrollmentRole.MENTOR, name="Ann")
    bo = await enrolled(program, name="Bo")
    await relationship_of(
        program, [(ann, MemberRole.MENTOR), (bo, MemberRole.MENTEE)], status=RelationshipStatus.PROPOSED
    )
    await becomes_manager(mentor, mentee)

    data = await gql(BLOCKED, {"program": gid("Program", program.id)}, as_=coordinator, role=Role.COORDINATOR)

    assert data["blockedProposals"] == [
        {
            "relationship": {"id": gid("Relationship", blocked.id), "status": "PROPOSED"},
            "manager": {"name": "Mara Mentor"},
            "directReport": {"name": "Milo Mentee"},
            "reason": WHAT_CHANGED.removeprefix("This relationship cannot go on: "),
        }
    ]


@pytest.mark.parametrize("who", ["member", "participant", "coordinator of another program"])
async def test_only_the_programs_coordinators_see_blocked_proposals(gql, proposal, who):
    _, program, _, mentor, mentee = proposal
    await becomes_manager(mentor, mentee)
    viewer, role = mentee, Role.PARTICIPANT
    if who == "participant":
        viewer = await make_person()
    elif who == "coordinator of another program":
        viewer, role = await make_person(), Role.COORDINATOR
        await program_run_by(viewer)

    data = await gql(BLOCKED, {"program": gid("Program", program.id)}, as_=viewer, role=role)

    assert data == {"blockedProposals": None}
