"""enroll, approveEnrollment and withdrawEnrollment through GraphQL over HTTP."""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role
from domain.programs.models import (
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    EnrollmentTopic,
    ProgramKind,
    ProgramStatus,
    ProgramTier,
    TopicDirection,
)
from tests.factories import make_enrollment, make_person, make_program, make_skill
from tests.support import assert_unchanged, gid

ENROLLMENT_FIELDS = """
  role status capacity motivation mentorTrainingCompletedOn withdrawalReason
  person { email } nominatedBy { email } program { name }
  topicsOffered { name } topicsWanted { name }
"""

ENROLL = f"""
mutation Enroll($input: EnrollInput!) {{
  enroll(input: $input) {{
    __typename
    ... on EnrollPayload {{ enrollment {{ {ENROLLMENT_FIELDS} }} }}
    ... on Error {{ message code field }}
  }}
}}
"""

APPROVE = f"""
mutation Approve($input: ApproveEnrollmentInput!) {{
  approveEnrollment(input: $input) {{
    __typename
    ... on ApproveEnrollmentPayload {{ enrollment {{ {ENROLLMENT_FIELDS} }} }}
    ... on Error {{ message code field }}
  }}
}}
"""

WITHDRAW = f"""
mutation Withdraw($input: WithdrawEnrollmentInput!) {{
  withdrawEnrollment(input: $input) {{
    __typename
    ... on WithdrawEnrollmentPayload {{ enrollment {{ {ENROLLMENT_FIELDS} }} }}
    ... on Error {{ message code field }}
  }}
}}
"""

ENROLLMENT_NODE = "query($id: ID!) { node(id: $id) { ... on Enrollment { status withdrawalReason } } }"


async def test_a_participant_applies_as_mentor_with_topics_resolved_through_the_taxonomy(gql):
    await make_skill("Python", "py")
    await make_skill("Public speaking", "presenting")
    ana = await make_person(email="ana@example.com")
    program = await make_program(name="Engineering mentoring")
    data = await gql(
        ENROLL,
        {
            "input": {
                "programId": gid("Program", program.id),
                "role": "MENTOR",
                "topicsOffered": ["PY ", "python"],
                "topicsWanted": ["presenting"],
                "motivation": "I was mentored here myself.",
            }
        },
        as_=ana,
    )
    enrollment = data["enroll"]["enrollment"]
    assert enrollment == {
        "role": "MENTOR",
        "status": "APPLIED",
        "capacity": 1,
        "motivation": "I was mentored here myself.",
        "mentorTrainingCompletedOn": None,
        "withdrawalReason": None,
        "person": {"email": "ana@example.com"},
        "nominatedBy": None,
        "program": {"name": "Engineering mentoring"},
        "topicsOffered": [{"name": "Python"}],
        "topicsWanted": [{"name": "Public speaking"}],
    }
    assert await EnrollmentTopic.filter(direction=TopicDirection.OFFERED).count() == 1


async def test_a_coordinator_nominates_someone_and_is_recorded_as_nominator(gql):
    carmen, ben = await make_person(email="carmen@example.com"), await make_person(email="ben@example.com")
    program = await make_program(coordinators=[carmen], status=ProgramStatus.MATCHING)
    data = await gql(
        ENROLL,
        {"input": {"programId": gid("Program", program.id), "role": "MENTEE", "personId": gid("Person", ben.id)}},
        as_=carmen,
        role=Role.COORDINATOR,
    )
    enrollment = data["enroll"]["enrollment"]
    assert (enrollment["person"], enrollment["nominatedBy"], enrollment["capacity"]) == (
        {"email": "ben@example.com"},
        {"email": "carmen@example.com"},
        None,
    )


async def test_a_withdrawn_place_is_reused_when_the_person_applies_again(gql):
    await make_skill("Figma")
    ana = await make_person()
    program = await make_program()
    old = await make_enrollment(
        ana, program, role=EnrollmentRole.MENTEE, status=EnrollmentStatus.WITHDRAWN, withdrawal_reason="Busy quarter"
    )
    await EnrollmentTopic.create(enrollment=old, skill=await make_skill("Excel"), direction=TopicDirection.WANTED)
    data = await gql(
        ENROLL,
        {
            "input": {
                "programId": gid("Program", program.id),
                "role": "MENTOR",
                "capacity": 3,
                "topicsOffered": ["figma"],
            }
        },
        as_=ana,
    )
    enrollment = data["enroll"]["enrollment"]
    assert (enrollment["status"], enrollment["role"], enrollment["capacity"]) == ("APPLIED", "MENTOR", 3)
    assert (enrollment["topicsOffered"], enrollment["topicsWanted"]) == ([{"name": "Figma"}], [])
    rows = await Enrollment.all()
    assert [(row.id, row.withdrawal_reason) for row in rows] == [(old.id, "")]


BAD_ENROLLMENTS = [
    ({"role": "PEER"}, ProgramKind.ONE_ON_ONE, ProgramStatus.RECRUITING, "ValidationError", "role"),
    ({"role": "MENTOR"}, ProgramKind.SKILL_SWAP, ProgramStatus.RECRUITING, "ValidationError", "role"),
    ({"role": "MENTEE"}, ProgramKind.PEER_CIRCLE, ProgramStatus.RECRUITING, "ValidationError", "role"),
    (
        {"role": "MENTOR", "capacity": -1},
        ProgramKind.ONE_ON_ONE,
        ProgramStatus.RECRUITING,
        "ValidationError",
        "capacity",
    ),
    (
        {"role": "MENTOR", "capacity": 0},
        ProgramKind.ONE_ON_ONE,
        ProgramStatus.RECRUITING,
        "ValidationError",
        "capacity",
    ),
    ({"role": "MENTOR", "capacity": 21}, ProgramKind.SPEED, ProgramStatus.RECRUITING, "ValidationError", "capacity"),
    (
        {"role": "MENTEE", "capacity": 2},
        ProgramKind.ONE_ON_ONE,
        ProgramStatus.RECRUITING,
        "ValidationError",
        "capacity",
    ),
    ({"role": "MENTEE"}, ProgramKind.ONE_ON_ONE, ProgramStatus.ACTIVE, "ValidationError", "programId"),
    ({"role": "MENTEE"}, ProgramKind.ONE_ON_ONE, ProgramStatus.CLOSED, "ValidationError", "programId"),
    (
        {"role": "MENTEE", "topicsWanted": ["python", "underwater basket weaving"]},
        ProgramKind.ONE_ON_ONE,
        ProgramStatus.RECRUITING,
        "ValidationError",
        "topicsWanted[1]",
    ),
    (
        {"role": "MENTEE", "motivation": "x" * 4001},
        ProgramKind.REVERSE,
        ProgramStatus.RECRUITING,
        "ValidationError",
        "motivation",
    ),
    (
        {"role": "PEER", "personId": gid("Person", 999)},
        ProgramKind.SKILL_SWAP,
        ProgramStatus.RECRUITING,
        "NotFoundError",
        "personId",
    ),
]


@pytest.mark.parametrize(("change", "kind", "status", "error_type", "field"), BAD_ENROLLMENTS)
async def test_bad_enrollment_names_its_field_and_writes_nothing(gql, change, kind, status, error_type, field):
    await make_skill("Python")
    carmen = await make_person()
    circle_size = {ProgramKind.PEER_CIRCLE: 4, ProgramKind.SKILL_SWAP: 2}.get(kind)
    program = await make_program(coordinators=[carmen], kind=kind, status=status, circle_size=circle_size)
    async with assert_unchanged():
        data = await gql(
            ENROLL, {"input": {"programId": gid("Program", program.id), **change}}, as_=carmen, role=Role.COORDINATOR
        )
    result = data["enroll"]
    assert (result["__typename"], result["field"]) == (error_type, field), result


@pytest.mark.parametrize("status", [EnrollmentStatus.APPLIED, EnrollmentStatus.ACTIVE, EnrollmentStatus.COMPLETED])
async def test_a_second_enrollment_in_one_program_is_a_conflict(gql, status):
    ana = await make_person()
    program = await make_program()
    await make_enrollment(ana, program, status=status)
    async with assert_unchanged():
        data = await gql(ENROLL, {"input": {"programId": gid("Program", program.id), "role": "MENTOR"}}, as_=ana)
    assert (data["enroll"]["__typename"], data["enroll"]["field"]) == ("ConflictError", "programId")


async def test_a_draft_is_not_found_for_participants(gql):
    ana = await make_person()
    program = await make_program(status=ProgramStatus.DRAFT)
    async with assert_unchanged():
        data = await gql(ENROLL, {"input": {"programId": gid("Program", program.id), "role": "MENTEE"}}, as_=ana)
    assert (data["enroll"]["__typename"], data["enroll"]["field"]) == ("NotFoundError", "programId")


async def test_approval_records_the_mentors_training_date(gql):
    carmen, ana = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen], mentor_training_required=True)
    enrollment = await make_enrollment(ana, program, role=EnrollmentRole.MENTOR, capacity=2)
    data = await gql(
        APPROVE,
        {"input": {"enrollmentId": gid("Enrollment", enrollment.id), "mentorTrainingCompletedOn": "2026-03-02"}},
        as_=carmen,
        role=Role.COORDINATOR,
    )
    approved = data["approveEnrollment"]["enrollment"]
    assert (approved["status"], approved["mentorTrainingCompletedOn"]) == ("APPROVED", "2026-03-02")
    await enrollment.refresh_from_db()
    assert enrollment.mentor_training_completed_on == datetime.date(2026, 3, 2)


async def test_a_training_date_recorded_earlier_is_enough(gql):
    carmen, ana = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen], mentor_training_required=True)
    enrollment = await make_enrollment(
        ana, program, role=EnrollmentRole.MENTOR, mentor_training_completed_on=datetime.date(2025, 11, 3)
    )
    data = await gql(
        APPROVE, {"input": {"enrollmentId": gid("Enrollment", enrollment.id)}}, as_=carmen, role=Role.ADMIN
    )
    assert data["approveEnrollment"]["enrollment"]["mentorTrainingCompletedOn"] == "2025-11-03"


async def test_mentees_need_no_training(gql):
    carmen, ana = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen], mentor_training_required=True)
    enrollment = await make_enrollment(ana, program, role=EnrollmentRole.MENTEE)
    data = await gql(
        APPROVE, {"input": {"enrollmentId": gid("Enrollment", enrollment.id)}}, as_=carmen, role=Role.COORDINATOR
    )
    assert data["approveEnrollment"]["enrollment"]["status"] == "APPROVED"


def _days_from_today(days: int) -> str:
    return (datetime.datetime.now(datetime.UTC).date() + datetime.timedelta(days=days)).isoformat()


BAD_APPROVALS = [
    (EnrollmentRole.MENTOR, EnrollmentStatus.APPLIED, {}, "ValidationError", "mentorTrainingCompletedOn"),
    (
        EnrollmentRole.MENTOR,
        EnrollmentStatus.APPLIED,
        {"mentorTrainingCompletedOn": _days_from_today(3)},
        "ValidationError",
        "mentorTrainingCompletedOn",
    ),
    (
        EnrollmentRole.MENTEE,
        EnrollmentStatus.APPLIED,
        {"mentorTrainingCompletedOn": "2025-01-01"},
        "ValidationError",
        "mentorTrainingCompletedOn",
    ),
    (EnrollmentRole.MENTEE, EnrollmentStatus.APPROVED, {}, "InvalidTransitionError", "enrollmentId"),
    (EnrollmentRole.MENTEE, EnrollmentStatus.WITHDRAWN, {}, "InvalidTransitionError", "enrollmentId"),
    (EnrollmentRole.MENTEE, EnrollmentStatus.COMPLETED, {}, "InvalidTransitionError", "enrollmentId"),
]


@pytest.mark.parametrize(("role", "status", "change", "error_type", "field"), BAD_APPROVALS)
async def test_bad_approval_names_its_field_and_writes_nothing(gql, role, status, change, error_type, field):
    carmen, ana = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen], mentor_training_required=True)
    enrollment = await make_enrollment(ana, program, role=role, status=status)
    async with assert_unchanged():
        data = await gql(
            APPROVE,
            {"input": {"enrollmentId": gid("Enrollment", enrollment.id), **change}},
            as_=carmen,
            role=Role.COORDINATOR,
        )
    result = data["approveEnrollment"]
    assert (result["__typename"], result["field"]) == (error_type, field), result


async def test_an_unknown_enrollment_is_not_found(gql):
    carmen = await make_person()
    async with assert_unchanged():
        data = await gql(APPROVE, {"input": {"enrollmentId": gid("Enrollment", 77)}}, as_=carmen, role=Role.ADMIN)
    assert (data["approveEnrollment"]["__typename"], data["approveEnrollment"]["field"]) == (
        "NotFoundError",
        "enrollmentId",
    )


async def test_withdrawal_keeps_its_reason_for_the_enrollee_and_coordinators_only(gql):
    carmen, ana, ben = await make_person(), await make_person(), await make_person()
    # A self-service program publishes its mentor list, so `ben` can see Ana's enrollment but not why she left.
    program = await make_program(coordinators=[carmen], tier=ProgramTier.SELF_SERVICE)
    enrollment = await make_enrollment(ana, program, role=EnrollmentRole.MENTOR, status=EnrollmentStatus.APPROVED)
    data = await gql(
        WITHDRAW,
        {"input": {"enrollmentId": gid("Enrollment", enrollment.id), "reason": " New role, no time this year. "}},
        as_=ana,
    )
    assert data["withdrawEnrollment"]["enrollment"]["status"] == "WITHDRAWN"
    assert data["withdrawEnrollment"]["enrollment"]["withdrawalReason"] == "New role, no time this year."
    node = {"id": gid("Enrollment", enrollment.id)}
    seen_by_coordinator = await gql(ENROLLMENT_NODE, node, as_=carmen, role=Role.COORDINATOR)
    assert seen_by_coordinator["node"]["withdrawalReason"] == "New role, no time this year."
    seen_by_colleague = await gql(ENROLLMENT_NODE, node, as_=ben)
    assert seen_by_colleague["node"] == {"status": "WITHDRAWN", "withdrawalReason": None}


@pytest.mark.parametrize("status", [EnrollmentStatus.WITHDRAWN, EnrollmentStatus.COMPLETED])
async def test_a_finished_place_cannot_be_withdrawn(gql, status):
    ana = await make_person()
    enrollment = await make_enrollment(ana, await make_program(), status=status)
    async with assert_unchanged():
        data = await gql(WITHDRAW, {"input": {"enrollmentId": gid("Enrollment", enrollment.id)}}, as_=ana)
    result = data["withdrawEnrollment"]
    assert (result["__typename"], result["field"]) == ("InvalidTransitionError", "enrollmentId")


async def test_an_enrollment_id_of_another_type_is_a_validation_error(gql):
    ana = await make_person()
    async with assert_unchanged():
        data = await gql(WITHDRAW, {"input": {"enrollmentId": gid("Person", ana.id)}}, as_=ana)
    assert (data["withdrawEnrollment"]["__typename"], data["withdrawEnrollment"]["field"]) == (
        "ValidationError",
        "enrollmentId",
    )
