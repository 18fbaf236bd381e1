"""Use cases for programs and enrollments: each checks permission, validates, then writes in one transaction.

Rows a use case changes are read with `select_for_update` inside its transaction, so on PostgreSQL two
concurrent requests (two coordinators, two transitions) see each other's result instead of both passing a check.
SQLite serialises transactions on its single connection, which gives the same guarantee there.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from domain.access import Role, Viewer
from domain.clock import utc_now
from domain.errors import Conflict, InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from domain.people.models import Person
from domain.people.validation import valid_optional_text
from domain.programs import policy
from domain.programs import validation as v
from domain.programs.closing import wind_down
from domain.programs.lifecycle import check_enrollment_transition, check_program_transition
from domain.programs.models import (
    Enrollment,
    EnrollmentRole,
    EnrollmentStatus,
    EnrollmentTopic,
    Program,
    ProgramCoordinator,
    ProgramKind,
    ProgramStatus,
    ProgramTier,
    TopicDirection,
)
from domain.skills.taxonomy import resolve_skills

# Matching may reopen recruiting for the unmatched, so late applications are still welcome while it runs.
ENROLLING_STATUSES = (ProgramStatus.RECRUITING, ProgramStatus.MATCHING)
_MOTIVATION_MAX = 4000
_REASON_MAX = 2000


async def coordinator_ids(program_id: int) -> set[int]:
    return set(await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True))


async def _program_for_update(viewer: Viewer, program_id: int, *, field: str) -> tuple[Program, set[int]]:
    """The program, locked; a draft the viewer may not see is reported missing, as the queries do."""
    program = await Program.filter(id=program_id).select_for_update().first()
    coordinators = await coordinator_ids(program_id) if program else set()
    if program is None or not policy.can_view_program(viewer, program, coordinators):
        raise NotFound("No such program.", field=field)
    return program, coordinators


def _require_manager(viewer: Viewer, coordinators: set[int], *, field: str | None = None) -> None:
    if not policy.can_manage_program(viewer, coordinators):
        raise PermissionDenied("Only this program's coordinators or an admin can do this.", field=field)


def _at(field: str) -> Callable[[int], str]:
    return lambda index: f"{field}[{index}]"


async def _existing_people(ids: Sequence[int], *, field_at: Callable[[int], str]) -> dict[int, Person]:
    """The people the ids name; an id naming nobody is NotFound at its position."""
    found = {p.id: p for p in await Person.filter(id__in=list(ids))}
    for index, person_id in enumerate(ids):
        if person_id not in found:
            raise NotFound("No such person.", field=field_at(index))
    return found


async def _active_people(ids: Sequence[int], *, field_at: Callable[[int], str]) -> list[int]:
    """The given person ids without repeats, each checked to name an active person; errors name the position."""
    found = await _existing_people(ids, field_at=field_at)
    for index, person_id in enumerate(ids):
        person = found[person_id]
        if not person.is_active:
            raise ValidationFailed(f"{person.name} is no longer active.", field=field_at(index))
    return list(dict.fromkeys(ids))


async def create_program(
    viewer: Viewer,
    *,
    name: str,
    kind: ProgramKind,
    tier: ProgramTier,
    coordinator_ids: Sequence[int] = (),
    **settings: Any,
) -> Program:
    """A new DRAFT program run by its creator plus `coordinator_ids`; `settings` are the optional fields."""
    viewer.require_role(Role.COORDINATOR)
    unknown = settings.keys() - set(v.PROGRAM_SETTINGS)
    if unknown:
        raise TypeError(f"unknown program settings: {sorted(unknown)}")
    defaults = {field: Program._meta.fields_map[field].default for field in v.PROGRAM_SETTINGS}
    cleaned = v.valid_program_settings({**defaults, **settings, "name": name, "kind": kind, "tier": tier})
    coordinators = await _active_people(coordinator_ids, field_at=_at("coordinator_ids"))
    if viewer.person_id is not None and viewer.person_id not in coordinators:
        coordinators.insert(0, viewer.person_id)
    if not coordinators:
        raise ValidationFailed("A program needs at least one coordinator.", field="coordinator_ids")
    async with in_transaction():
        program = await Program.create(**cleaned, status=ProgramStatus.DRAFT)
        await ProgramCoordinator.bulk_create(
            [ProgramCoordinator(program_id=program.id, person_id=person_id) for person_id in coordinators]
        )
    return program


async def update_program(
    viewer: Viewer,
    *,
    program_id: int,
    changes: dict[str, Any],
    add_coordinator_ids: Sequence[int] = (),
    remove_coordinator_ids: Sequence[int] = (),
) -> Program:
    """Changes the settings in `changes` (only what the caller sent) and who coordinates; never leaves none."""
    unknown = changes.keys() - set(v.PROGRAM_SETTINGS)
    if unknown:
        raise TypeError(f"unknown program settings: {sorted(unknown)}")
    async with in_transaction():
        program, coordinators = await _program_for_update(viewer, program_id, field="program_id")
        _require_manager(viewer, coordinators)
        if "kind" in changes and changes["kind"] != program.kind and program.status is not ProgramStatus.DRAFT:
            raise InvalidTransition(
                f"The kind is fixed once a program leaves DRAFT (this one is {program.status.value}).", field="kind"
            )
        current = {field: getattr(program, field) for field in v.PROGRAM_SETTINGS}
        cleaned = v.valid_program_settings({**current, **changes})
        both = set(add_coordinator_ids) & set(remove_coordinator_ids)
        if both:
            raise ValidationFailed("Add or remove a coordinator, not both at once.", field="remove_coordinator_ids")
        added = set(await _active_people(add_coordinator_ids, field_at=_at("add_coordinator_ids"))) - coordinators
        removed = (
            set(await _existing_people(remove_coordinator_ids, field_at=_at("remove_coordinator_ids"))) & coordinators
        )
        if not (coordinators | added) - removed:
            raise ValidationFailed("A program needs at least one coordinator.", field="remove_coordinator_ids")
        changed = [field for field in v.PROGRAM_SETTINGS if cleaned[field] != current[field]]
        if changed:
            program.update_from_dict({field: cleaned[field] for field in changed})
            await program.save(update_fields=[*changed, "updated_at"])
        if removed:
            await ProgramCoordinator.filter(program_id=program.id, person_id__in=removed).delete()
        if added:
            await ProgramCoordinator.bulk_create(
                [ProgramCoordinator(program_id=program.id, person_id=person_id) for person_id in sorted(added)]
            )
    return program


async def transition_program(viewer: Viewer, *, program_id: int, to: ProgramStatus) -> Program:
    async with in_transaction():
        program, coordinators = await _program_for_update(viewer, program_id, field="program_id")
        _require_manager(viewer, coordinators)
        check_program_transition(program.status, to, field="to")
        program.status = to
        await program.save(update_fields=["status", "updated_at"])
        if to is ProgramStatus.CLOSED:
            await wind_down(program.id, now=utc_now())
    return program


async def enroll(
    viewer: Viewer,
    *,
    program_id: int,
    role: EnrollmentRole,
    capacity: int | None = None,
    topics_offered: Sequence[str] = (),
    topics_wanted: Sequence[str] = (),
    motivation: str | None = None,
    person_id: int | None = None,
) -> Enrollment:
    """Applies the viewer, or (for the program's coordinators) nominates `person_id`; a withdrawn place is reused."""
    try:
        async with in_transaction():
            program, coordinators = await _program_for_update(viewer, program_id, field="program_id")
            nominated = person_id is not None and person_id != viewer.person_id
            if nominated:
                _require_manager(viewer, coordinators, field="person_id")
            enrollee_id = person_id if nominated else viewer.require_person()
            await _active_people([enrollee_id], field_at=lambda _: "person_id")
            if program.status not in ENROLLING_STATUSES:
                raise ValidationFailed(
                    f"This program is {program.status.value} and not taking enrollments.", field="program_id"
                )
            fields = {
                "role": v.valid_role(program.kind, role),
                "capacity": v.valid_capacity(role, capacity),
                "motivation": valid_optional_text(motivation, field="motivation", max_length=_MOTIVATION_MAX) or "",
                "nominated_by_id": viewer.person_id if nominated else None,
                "withdrawal_reason": "",
            }
            offered = await resolve_skills(topics_offered, field="topics_offered")
            wanted = await resolve_skills(topics_wanted, field="topics_wanted")
            enrollment = await _place_for(enrollee_id, program.id, fields)
            await EnrollmentTopic.bulk_create(
                [
                    EnrollmentTopic(enrollment_id=enrollment.id, skill_id=skill_id, direction=direction)
                    for direction, skills in ((TopicDirection.OFFERED, offered), (TopicDirection.WANTED, wanted))
                    for skill_id in dict.fromkeys(skill.id for skill in skills.values())
                ]
            )
    except IntegrityError:
        # Two simultaneous applications for one person: the unique (person, program) key lets only one in.
        raise Conflict("This person is already enrolled in this program.", field="program_id") from None
    return enrollment


async def _place_for(person_id: int, program_id: int, fields: dict[str, Any]) -> Enrollment:
    existing = await Enrollment.filter(person_id=person_id, program_id=program_id).select_for_update().first()
    if existing is None:
        return await Enrollment.create(person_id=person_id, program_id=program_id, **fields)
    if existing.status is not EnrollmentStatus.WITHDRAWN:
        raise Conflict(
            f"This person is already enrolled in this program ({existing.status.value}).", field="program_id"
        )
    check_enrollment_transition(existing.status, EnrollmentStatus.APPLIED, field="program_id")
    existing.update_from_dict({**fields, "status": EnrollmentStatus.APPLIED})
    await existing.save(update_fields=[*fields, "status", "updated_at"])
    await EnrollmentTopic.filter(enrollment_id=existing.id).delete()
    return existing


async def _enrollment_for_update(enrollment_id: int) -> tuple[Enrollment, Program, set[int]]:
    enrollment = await Enrollment.filter(id=enrollment_id).select_for_update().first()
    if enrollment is None:
        raise NotFound("No such enrollment.", field="enrollment_id")
    program = await Program.get(id=enrollment.program_id)
    return enrollment, program, await coordinator_ids(program.id)


async def approve_enrollment(
    viewer: Viewer,
    *,
    enrollment_id: int,
    mentor_training_completed_on: datetime.date | None = None,
    now: datetime.datetime | None = None,
) -> Enrollment:
    """APPLIED -> APPROVED; where the program requires it, a mentor needs a training date, given now or before."""
    async with in_transaction():
        enrollment, program, coordinators = await _enrollment_for_update(enrollment_id)
        _require_manager(viewer, coordinators)
        check_enrollment_transition(enrollment.status, EnrollmentStatus.APPROVED, field="enrollment_id")
        if program.status is ProgramStatus.CLOSED:
            raise InvalidTransition("The program is closed.", field="enrollment_id")
        training = enrollment.mentor_training_completed_on
        if mentor_training_completed_on is not None:
            if enrollment.role is not EnrollmentRole.MENTOR:
                raise ValidationFailed("Only mentors record training.", field="mentor_training_completed_on")
            training = v.valid_training_date(
                mentor_training_completed_on,
                now=now or utc_now(),
                field="mentor_training_completed_on",
            )
        if program.mentor_training_required and enrollment.role is EnrollmentRole.MENTOR and training is None:
            raise ValidationFailed(
                "This program requires mentor training: give the date it was completed.",
                field="mentor_training_completed_on",
            )
        enrollment.status = EnrollmentStatus.APPROVED
        enrollment.mentor_training_completed_on = training
        await enrollment.save(update_fields=["status", "mentor_training_completed_on", "updated_at"])
    return enrollment


async def withdraw_enrollment(viewer: Viewer, *, enrollment_id: int, reason: str | None = None) -> Enrollment:
    """The enrollee or the program's managers take a place back; completed and withdrawn places stay as they are."""
    async with in_transaction():
        enrollment, _, coordinators = await _enrollment_for_update(enrollment_id)
        if not policy.can_withdraw_enrollment(viewer, enrollment, coordinators):
            raise PermissionDenied("Only the enrollee, the program's coordinators or an admin can withdraw this.")
        check_enrollment_transition(enrollment.status, EnrollmentStatus.WITHDRAWN, field="enrollment_id")
        enrollment.status = EnrollmentStatus.WITHDRAWN
        enrollment.withdrawal_reason = valid_optional_text(reason, field="reason", max_length=_REASON_MAX) or ""
        await enrollment.save(update_fields=["status", "withdrawal_reason", "updated_at"])
    return enrollment
