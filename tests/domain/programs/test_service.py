"""The program service under concurrency, and its contract when called directly."""

from __future__ import annotations

import asyncio

import pytest

from domain.access import Role, Viewer
from domain.errors import Conflict, DomainError, InvalidTransition, PermissionDenied, ValidationFailed
from domain.programs import service
from domain.programs.models import Enrollment, EnrollmentRole, Program, ProgramCoordinator, ProgramStatus
from tests.factories import make_person, make_program
from tests.support import assert_unchanged


def viewer(person, role: Role = Role.PARTICIPANT) -> Viewer:
    return Viewer(email=person.email, role=role, person_id=person.id)


async def outcomes(*calls) -> list[object]:
    return await asyncio.gather(*calls, return_exceptions=True)


async def test_two_simultaneous_applications_leave_one_enrollment(db):
    ana = await make_person()
    program = await make_program()
    results = await outcomes(
        service.enroll(viewer(ana), program_id=program.id, role=EnrollmentRole.MENTOR),
        service.enroll(viewer(ana), program_id=program.id, role=EnrollmentRole.MENTEE),
    )
    assert sorted(type(r).__name__ for r in results) == ["Conflict", "Enrollment"]
    assert next(r for r in results if isinstance(r, Conflict)).field == "program_id"
    assert await Enrollment.filter(person_id=ana.id).count() == 1


async def test_two_coordinators_removing_each_other_at_once_leave_one(db):
    carmen, dev = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen, dev])
    results = await outcomes(
        service.update_program(
            viewer(carmen, Role.COORDINATOR), program_id=program.id, changes={}, remove_coordinator_ids=[dev.id]
        ),
        service.update_program(
            viewer(dev, Role.COORDINATOR), program_id=program.id, changes={}, remove_coordinator_ids=[carmen.id]
        ),
    )
    assert [isinstance(r, Program) for r in results].count(True) == 1
    # The loser is no longer a coordinator by the time its turn comes.
    assert [type(r) for r in results if not isinstance(r, Program)] == [PermissionDenied]
    assert await ProgramCoordinator.filter(program_id=program.id).count() == 1


async def test_simultaneous_transitions_apply_one_after_the_other(db):
    carmen = await make_person()
    program = await make_program(coordinators=[carmen], status=ProgramStatus.MATCHING)
    coordinator = viewer(carmen, Role.COORDINATOR)
    results = await outcomes(
        service.transition_program(coordinator, program_id=program.id, to=ProgramStatus.ACTIVE),
        service.transition_program(coordinator, program_id=program.id, to=ProgramStatus.RECRUITING),
    )
    failures = [r for r in results if isinstance(r, DomainError)]
    # Whichever went second saw the first one's status: ACTIVE cannot reopen, RECRUITING cannot go ACTIVE.
    assert [type(f) for f in failures] == [InvalidTransition]
    await program.refresh_from_db()
    assert program.status in (ProgramStatus.ACTIVE, ProgramStatus.RECRUITING)


async def test_nominating_needs_the_coordinator_role_as_well_as_a_place_on_the_program(db):
    carmen, ben = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen])
    async with assert_unchanged():
        with pytest.raises(PermissionDenied) as denied:
            await service.enroll(
                viewer(carmen, Role.ANALYST), program_id=program.id, role=EnrollmentRole.MENTEE, person_id=ben.id
            )
    assert denied.value.field == "person_id"


async def test_an_inactive_person_cannot_be_named_coordinator(db):
    carmen, gone = await make_person(), await make_person(is_active=False)
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as refused:
            await service.create_program(
                viewer(carmen, Role.COORDINATOR),
                name="Pilot",
                kind="ONE_ON_ONE",
                tier=1,
                coordinator_ids=[gone.id],
            )
    assert refused.value.field == "coordinator_ids[0]"


async def test_adding_and_removing_one_person_at_once_is_refused(db):
    carmen, dev = await make_person(), await make_person()
    program = await make_program(coordinators=[carmen])
    async with assert_unchanged():
        with pytest.raises(ValidationFailed) as refused:
            await service.update_program(
                viewer(carmen, Role.COORDINATOR),
                program_id=program.id,
                changes={},
                add_coordinator_ids=[dev.id],
                remove_coordinator_ids=[dev.id],
            )
    assert refused.value.field == "remove_coordinator_ids"
