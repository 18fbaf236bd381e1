"""What closing a relationship does to its members' enrollments in the program."""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus
from domain.relationships.inactivity import sweep_inactive
from domain.relationships.models import MemberRole, RelationshipStatus
from tests.domain.relationships.scenario import NOW, enrolled, program_run_by, relationship_of
from tests.factories import make_person
from tests.support import gid

CLOSE = """
mutation Close($input: {input_type}!) {{
  {name}(input: $input) {{ __typename ... on RelationshipPayload {{ relationship {{ status }} }} }}
}}
"""
ACTIVE, COMPLETED = EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED


async def close(gql, relationship, *, as_, how: str, reason: str | None = None) -> str:
    name, input_type = (
        ("completeRelationship", "CompleteRelationshipInput")
        if how == "complete"
        else ("endRelationship", "EndRelationshipInput")
    )
    variables = {"input": {"relationshipId": gid("Relationship", relationship.id)}}
    if reason is not None:
        variables["input"]["reason"] = reason
    data = await gql(CLOSE.format(name=name, input_type=input_type), variables, as_=as_, role=Role.COORDINATOR)
    return data[name]["__typename"]


async def statuses(program, *people) -> list[EnrollmentStatus]:
    return [(await Enrollment.get(program=program, person=person)).status for person in people]


async def mentor_with_two_mentees():
    coordinator = await make_person(name="Cora")
    program = await program_run_by(coordinator)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, status=ACTIVE, name="Mara")
    first, second = [await enrolled(program, status=ACTIVE) for _ in range(2)]
    pairs = [
        await relationship_of(program, [(mentor, MemberRole.MENTOR), (m, MemberRole.MENTEE)]) for m in (first, second)
    ]
    return coordinator, program, mentor, (first, second), pairs


async def test_completing_concludes_each_mentees_enrollment_while_the_mentor_stays_for_the_next_one(gql):
    coordinator, program, mentor, (first, second), (one, two) = await mentor_with_two_mentees()

    assert await close(gql, one, as_=coordinator, how="complete") == "RelationshipPayload"
    assert await statuses(program, mentor, first, second) == [ACTIVE, COMPLETED, ACTIVE]

    assert await close(gql, two, as_=coordinator, how="complete") == "RelationshipPayload"
    # The mentor's seats are free again: they stay ACTIVE until the program itself closes.
    assert await statuses(program, mentor, first, second) == [ACTIVE, COMPLETED, COMPLETED]


@pytest.mark.parametrize(
    ("reason", "after"),
    [
        ("GOALS_MET_EARLY", COMPLETED),
        # Anything else leaves them in the program, free to be matched again.
        ("NOT_A_GOOD_FIT", ACTIVE),
        ("LACK_OF_TIME", ACTIVE),
    ],
)
async def test_ending_early_concludes_enrollments_only_when_the_goals_were_met(gql, reason, after):
    coordinator = await make_person()
    program = await program_run_by(coordinator)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, status=ACTIVE)
    mentee = await enrolled(program, status=ACTIVE)
    relationship = await relationship_of(program, [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)])

    assert await close(gql, relationship, as_=coordinator, how="end", reason=reason) == "RelationshipPayload"

    assert await statuses(program, mentor, mentee) == [ACTIVE, after]


async def test_an_open_relationship_in_another_program_does_not_keep_this_enrollment_going(gql):
    coordinator = await make_person()
    program, elsewhere = await program_run_by(coordinator), await program_run_by(coordinator)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, status=ACTIVE)
    mentee = await enrolled(program, status=ACTIVE)
    relationship = await relationship_of(program, [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)])
    await Enrollment.create(person=mentee, program=elsewhere, role=EnrollmentRole.MENTEE, status=ACTIVE)
    other_mentor = await enrolled(elsewhere, EnrollmentRole.MENTOR, status=ACTIVE)
    await relationship_of(elsewhere, [(other_mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)])

    await close(gql, relationship, as_=coordinator, how="complete")

    assert await statuses(program, mentor, mentee) == [ACTIVE, COMPLETED]
    assert await statuses(elsewhere, mentee) == [ACTIVE]


async def test_auto_concluding_a_quiet_relationship_concludes_its_members_enrollments(db):
    _, program, mentor, (first, second), (quiet, _busy) = await mentor_with_two_mentees()
    quiet.last_activity_at = NOW - datetime.timedelta(days=120)
    quiet.inactivity_notice_at = NOW - datetime.timedelta(days=20)
    await quiet.save()

    outcome = await sweep_inactive(NOW)

    assert outcome.concluded == [quiet.id]
    await quiet.refresh_from_db()
    assert quiet.status is RelationshipStatus.AUTO_CONCLUDED
    assert await statuses(program, mentor, first, second) == [ACTIVE, COMPLETED, ACTIVE]
