"""The program and enrollment use cases called directly: each success, and each kind of refusal writing nothing.

The GraphQL tests (tests/schema/test_programs.py, test_enrollments.py, test_programs_permissions.py) cover the
same rules through HTTP; these pin the service contract (error class and snake_case field) without the schema.
"""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role, Viewer
from domain.errors import Conflict, DomainError, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from domain.programs import service
from domain.programs.models import (
    Cadence,
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    EnrollmentTopic,
    Program,
    ProgramKind,
    ProgramStatus,
    ProgramTier,
    TopicDirection,
)
from tests.factories import make_enrollment, make_person, make_program, make_skill
from tests.support import assert_unchanged

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def as_(person, role: Role = Role.PARTICIPANT) -> Viewer:
    return Viewer(email=person.email, role=role, person_id=person.id)


async def refused(call, error: type[DomainError], field: str | None) -> DomainError:
    """Runs a call that must fail with `error` on `field` and write nothing."""
    async with assert_unchanged():
        with pytest.raises(error) as raised:
            await call
    assert raised.value.field == field, raised.value
    return raised.value


@pytest.fixture
async def carmen(db):
    """A coordinator."""
    return await make_person(email="carmen@example.com")


async def test_create_program_makes_a_draft_run_by_its_creator_and_the_named(carmen):
    dev = await make_person()

    program = await service.create_program(
        as_(carmen, Role.COORDINATOR),
        name="  Women in  Tech ",
        kind=ProgramKind.PEER_CIRCLE,
        tier=ProgramTier.SELF_SERVICE,
        coordinator_ids=[dev.id, dev.id],
        circle_size=5,
        cadence=Cadence.MONTHLY,
    )

    stored = await Program.get(id=program.id)
    assert (stored.name, stored.status, stored.circle_size, stored.cadence) == (
        "Women in Tech",
        ProgramStatus.DRAFT,
        5,
        Cadence.MONTHLY,
    )
    assert await service.coordinator_ids(program.id) == {carmen.id, dev.id}


@pytest.mark.parametrize(
    ("role", "settings", "error", "field"),
    [
        (Role.PARTICIPANT, {}, PermissionDenied, None),
        (Role.ANALYST, {}, PermissionDenied, None),
        (Role.COORDINATOR, {"duration_months": 25}, ValidationFailed, "duration_months"),
        (Role.COORDINATOR, {"max_time_zone_gap_hours": -1}, ValidationFailed, "max_time_zone_gap_hours"),
        (Role.COORDINATOR, {"coordinator_ids": [99999]}, NotFound, "coordinator_ids[0]"),
    ],
    ids=["participant", "analyst", "too-long", "negative-gap", "unknown-coordinator"],
)
async def test_create_program_refusals_write_nothing(carmen, role, settings, error, field):
    await refused(
        service.create_program(
            as_(carmen, role), name="Pilot", kind=ProgramKind.ONE_ON_ONE, tier=ProgramTier.FORMAL, **settings
        ),
        error,
        field,
    )


async def test_update_program_changes_what_was_sent_and_who_coordinates(carmen):
    dev, olu = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen, olu], status=ProgramStatus.DRAFT)

    await service.update_program(
        as_(carmen, Role.COORDINATOR),
        program_id=program.id,
        changes={"meeting_minutes": 30, "kind": ProgramKind.REVERSE},
        add_coordinator_ids=[dev.id],
        remove_coordinator_ids=[olu.id],
    )

    stored = await Program.get(id=program.id)
    assert (stored.meeting_minutes, stored.kind, stored.name) == (30, ProgramKind.REVERSE, program.name)
    assert await service.coordinator_ids(program.id) == {carmen.id, dev.id}


@pytest.mark.parametrize(
    ("actor", "status", "changes", "error", "field"),
    [
        ("other coordinator", ProgramStatus.RECRUITING, {"name": "Mine now"}, PermissionDenied, None),
        ("other coordinator", ProgramStatus.DRAFT, {"name": "Mine now"}, NotFound, "program_id"),
        ("carmen", ProgramStatus.RECRUITING, {"kind": ProgramKind.SPEED}, InvalidTransition, "kind"),
        ("carmen", ProgramStatus.DRAFT, {"meeting_minutes": 5}, ValidationFailed, "meeting_minutes"),
    ],
    ids=["not-theirs", "someone-elses-draft", "kind-after-draft", "too-short"],
)
async def test_update_program_refusals_write_nothing(carmen, actor, status, changes, error, field):
    olu = await make_person()
    program = await make_program(coordinators=[carmen], status=status)
    await make_program(coordinators=[olu])
    viewer = as_(carmen if actor == "carmen" else olu, Role.COORDINATOR)

    await refused(service.update_program(viewer, program_id=program.id, changes=changes), error, field)


async def test_the_last_coordinator_cannot_be_removed(carmen):
    program = await make_program(coordinators=[carmen])

    await refused(
        service.update_program(
            as_(carmen, Role.COORDINATOR), program_id=program.id, changes={}, remove_coordinator_ids=[carmen.id]
        ),
        ValidationFailed,
        "remove_coordinator_ids",
    )


async def test_transition_program_moves_along_the_lifecycle(carmen):
    program = await make_program(coordinators=[carmen], status=ProgramStatus.DRAFT)
    for target in (ProgramStatus.RECRUITING, ProgramStatus.MATCHING, ProgramStatus.RECRUITING, ProgramStatus.CLOSED):
        await service.transition_program(as_(carmen, Role.COORDINATOR), program_id=program.id, to=target)
        assert (await Program.get(id=program.id)).status is target


@pytest.mark.parametrize(
    ("role", "status", "target", "error", "field"),
    [
        (Role.COORDINATOR, ProgramStatus.DRAFT, ProgramStatus.ACTIVE, InvalidTransition, "to"),
        (Role.COORDINATOR, ProgramStatus.CLOSED, ProgramStatus.RECRUITING, InvalidTransition, "to"),
        (Role.PARTICIPANT, ProgramStatus.RECRUITING, ProgramStatus.CLOSED, PermissionDenied, None),
        (Role.ANALYST, ProgramStatus.RECRUITING, ProgramStatus.CLOSED, PermissionDenied, None),
    ],
)
async def test_transition_program_refusals_write_nothing(carmen, role, status, target, error, field):
    program = await make_program(coordinators=[carmen], status=status)
    await refused(service.transition_program(as_(carmen, role), program_id=program.id, to=target), error, field)


async def test_an_unknown_program_is_not_found(carmen):
    admin = as_(carmen, Role.ADMIN)
    await refused(service.transition_program(admin, program_id=404, to=ProgramStatus.CLOSED), NotFound, "program_id")
    await refused(service.enroll(admin, program_id=404, role=EnrollmentRole.MENTEE), NotFound, "program_id")


async def test_enroll_applies_with_topics_through_the_taxonomy(carmen):
    python = await make_skill("Python", "py")
    ana = await make_person()
    program = await make_program(coordinators=[carmen])

    enrollment = await service.enroll(
        as_(ana), program_id=program.id, role=EnrollmentRole.MENTOR, capacity=2, topics_offered=["PY", "python"]
    )

    stored = await Enrollment.get(id=enrollment.id)
    assert (stored.person_id, stored.status, stored.capacity, stored.nominated_by_id) == (
        ana.id,
        EnrollmentStatus.APPLIED,
        2,
        None,
    )
    topics = await EnrollmentTopic.filter(enrollment_id=enrollment.id).values_list("skill_id", "direction")
    assert topics == [(python.id, TopicDirection.OFFERED)]


async def test_a_coordinator_nominates_someone_for_their_program(carmen):
    nominee = await make_person()
    program = await make_program(coordinators=[carmen])

    enrollment = await service.enroll(
        as_(carmen, Role.COORDINATOR), program_id=program.id, role=EnrollmentRole.MENTEE, person_id=nominee.id
    )

    assert (enrollment.person_id, enrollment.nominated_by_id) == (nominee.id, carmen.id)


@pytest.mark.parametrize(
    ("kwargs", "error", "field"),
    [
        ({"role": EnrollmentRole.MENTOR, "capacity": -1}, ValidationFailed, "capacity"),
        ({"role": EnrollmentRole.MENTEE, "capacity": 2}, ValidationFailed, "capacity"),
        ({"role": EnrollmentRole.PEER}, ValidationFailed, "role"),
        ({"role": EnrollmentRole.MENTEE, "topics_wanted": ["Cobol"]}, ValidationFailed, "topics_wanted[0]"),
    ],
    ids=["negative-capacity", "capacity-for-a-mentee", "role-the-kind-lacks", "unknown-topic"],
)
async def test_bad_applications_write_nothing(carmen, kwargs, error, field):
    ana = await make_person()
    program = await make_program(coordinators=[carmen])

    await refused(service.enroll(as_(ana), program_id=program.id, **kwargs), error, field)


async def test_a_second_application_conflicts_and_a_closed_program_takes_none(carmen):
    ana = await make_person()
    program = await make_program(coordinators=[carmen])
    closed = await make_program(coordinators=[carmen], status=ProgramStatus.CLOSED)
    await make_enrollment(ana, program)

    await refused(service.enroll(as_(ana), program_id=program.id, role=EnrollmentRole.MENTOR), Conflict, "program_id")
    await refused(
        service.enroll(as_(ana), program_id=closed.id, role=EnrollmentRole.MENTEE), ValidationFailed, "program_id"
    )


async def test_only_this_programs_coordinators_nominate(carmen):
    olu, nominee = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen])
    await make_program(coordinators=[olu])

    for viewer in (as_(olu, Role.COORDINATOR), as_(carmen, Role.PARTICIPANT), as_(olu, Role.ANALYST)):
        await refused(
            service.enroll(viewer, program_id=program.id, role=EnrollmentRole.MENTEE, person_id=nominee.id),
            PermissionDenied,
            "person_id",
        )


async def test_approval_records_a_mentors_training_and_withdrawal_keeps_the_reason(carmen):
    ana, ben = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen], mentor_training_required=True)
    mentor = await make_enrollment(ana, program, role=EnrollmentRole.MENTOR)
    mentee = await make_enrollment(ben, program)

    approved = await service.approve_enrollment(
        as_(carmen, Role.COORDINATOR),
        enrollment_id=mentor.id,
        mentor_training_completed_on=datetime.date(2026, 2, 1),
        now=NOW,
    )
    withdrawn = await service.withdraw_enrollment(as_(ben), enrollment_id=mentee.id, reason="  New role  ")

    assert (approved.status, approved.mentor_training_completed_on) == (
        EnrollmentStatus.APPROVED,
        datetime.date(2026, 2, 1),
    )
    stored = await Enrollment.get(id=withdrawn.id)
    assert (stored.status, stored.withdrawal_reason) == (EnrollmentStatus.WITHDRAWN, "New role")


@pytest.mark.parametrize(
    ("actor", "status", "training", "error", "field"),
    [
        ("carmen", EnrollmentStatus.APPLIED, None, ValidationFailed, "mentor_training_completed_on"),
        (
            "carmen",
            EnrollmentStatus.APPLIED,
            datetime.date(2026, 12, 1),
            ValidationFailed,
            "mentor_training_completed_on",
        ),
        ("carmen", EnrollmentStatus.COMPLETED, datetime.date(2026, 2, 1), InvalidTransition, "enrollment_id"),
        ("enrollee", EnrollmentStatus.APPLIED, datetime.date(2026, 2, 1), PermissionDenied, None),
        ("other coordinator", EnrollmentStatus.APPLIED, datetime.date(2026, 2, 1), PermissionDenied, None),
    ],
    ids=["training-missing", "training-in-the-future", "already-completed", "enrollee", "other-coordinator"],
)
async def test_approval_refusals_write_nothing(carmen, actor, status, training, error, field):
    ana, olu = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen], mentor_training_required=True)
    await make_program(coordinators=[olu])
    enrollment = await make_enrollment(ana, program, role=EnrollmentRole.MENTOR, status=status)
    viewer = {
        "carmen": as_(carmen, Role.COORDINATOR),
        "enrollee": as_(ana),
        "other coordinator": as_(olu, Role.COORDINATOR),
    }

    await refused(
        service.approve_enrollment(
            viewer[actor], enrollment_id=enrollment.id, mentor_training_completed_on=training, now=NOW
        ),
        error,
        field,
    )


@pytest.mark.parametrize(
    ("actor", "status", "reason", "error", "field"),
    [
        ("someone else", EnrollmentStatus.APPLIED, None, PermissionDenied, None),
        ("analyst", EnrollmentStatus.APPLIED, None, PermissionDenied, None),
        ("enrollee", EnrollmentStatus.COMPLETED, None, InvalidTransition, "enrollment_id"),
        ("enrollee", EnrollmentStatus.WITHDRAWN, None, InvalidTransition, "enrollment_id"),
        ("enrollee", EnrollmentStatus.APPLIED, "x" * 2001, ValidationFailed, "reason"),
        ("enrollee", None, None, NotFound, "enrollment_id"),
    ],
)
async def test_withdrawal_refusals_write_nothing(carmen, actor, status, reason, error, field):
    ana, pat = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen])
    enrollment = await make_enrollment(ana, program, status=status or EnrollmentStatus.APPLIED)
    viewer = {"someone else": as_(pat), "analyst": as_(pat, Role.ANALYST), "enrollee": as_(ana)}[actor]

    await refused(
        service.withdraw_enrollment(viewer, enrollment_id=enrollment.id if status else 404, reason=reason),
        error,
        field,
    )
