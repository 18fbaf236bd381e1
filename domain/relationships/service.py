"""Use cases for relationships: a coordinator's proposal, and moving one through its lifecycle."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.agreements.service import draft_initial_agreement
from domain.errors import InvalidTransition, NotFound, PermissionDenied, ValidationFailed
from domain.people.validation import valid_optional_text
from domain.programs import policy
from domain.programs.lifecycle import check_enrollment_transition
from domain.programs.models import EnrollmentStatus, Program, ProgramCoordinator, ProgramStatus
from domain.relationships import guards
from domain.relationships.access import hidden_or_denied, relationship_access
from domain.relationships.closure import after_closing
from domain.relationships.lifecycle import CLOSED, check_transition
from domain.relationships.models import (
    ClosureReason,
    MatchExclusion,
    MemberRole,
    Relationship,
    RelationshipMember,
    RelationshipOrigin,
    RelationshipStatus,
)
from domain.relationships.rules import (
    Seat,
    check_composition,
    check_enrollment_fits,
    check_reporting_lines,
    check_seniority,
    seats,
)

NOTE_MAX_LENGTH = 2000
_PROGRAM_TAKES_RELATIONSHIPS = frozenset({ProgramStatus.RECRUITING, ProgramStatus.MATCHING, ProgramStatus.ACTIVE})


def valid_note(note: str | None, *, field: str = "note") -> str:
    return valid_optional_text(note, field=field, max_length=NOTE_MAX_LENGTH) or ""


def check_takes_relationships(program: Program, *, field: str = "program_id") -> None:
    if program.status not in _PROGRAM_TAKES_RELATIONSHIPS:
        raise ValidationFailed(f"A {program.status.value} program takes no new relationships.", field=field)


async def create_relationship(
    program: Program,
    members: Sequence[Seat],
    *,
    origin: RelationshipOrigin,
    created_by_id: int | None,
    now: datetime.datetime,
    previous_id: int | None = None,
) -> Relationship:
    """Checks and writes a PROPOSED relationship; run inside the caller's transaction (it row-locks enrollments).

    Every path into a relationship comes through here, so the composition, enrollment, manager,
    exclusion and capacity rules hold whoever asks.
    """
    check_composition(program.kind, members)
    people = [(seat.person_id, seat.field) for seat in members]
    rows = await guards.load_people(people)
    check_seniority(program.kind, members, rows)
    check_reporting_lines([(rows[seat.person_id], seat.field) for seat in members])
    enrollments = await guards.lock_enrollments(program.id, [seat.person_id for seat in members])
    for seat in members:
        enrollment = enrollments.get(seat.person_id)
        check_enrollment_fits(seat, enrollment and enrollment.role, enrollment and enrollment.status)
        if seat.role is MemberRole.MENTOR:
            await guards.check_capacity(enrollment, field=seat.field)
    await guards.check_not_excluded(program.id, people)
    await guards.check_not_paired(program.id, people)

    relationship = await Relationship.create(
        program_id=program.id,
        kind=program.kind,
        status=RelationshipStatus.PROPOSED,
        origin=origin,
        last_activity_at=now,
        previous_id=previous_id,
        created_by_id=created_by_id,
    )
    for seat in members:
        await RelationshipMember.create(relationship=relationship, person_id=seat.person_id, role=seat.role)
        enrollment = enrollments[seat.person_id]
        if enrollment.status is EnrollmentStatus.APPROVED:
            check_enrollment_transition(enrollment.status, EnrollmentStatus.MATCHED)
            enrollment.status = EnrollmentStatus.MATCHED
            await enrollment.save(update_fields=["status", "updated_at"])
    for seat in members:
        if seat.role is MemberRole.MENTOR:
            await guards.close_requests_if_full(enrollments[seat.person_id], now=now)
    # Placed again, by whichever route: the flag for the next matching run is spent; exclusions stay.
    await MatchExclusion.filter(
        program_id=program.id, person_id__in=[seat.person_id for seat in members], needs_rematch=True
    ).update(needs_rematch=False)
    # Every relationship starts with version 1 of its agreement, from the program's defaults: it goes
    # ACTIVE only once every member has signed it.
    await draft_initial_agreement(relationship, program=program, created_by_id=created_by_id, now=now)
    return relationship


async def _previous_for(previous_id: int, program: Program, members: Sequence[Seat]) -> Relationship:
    field = "previous_relationship_id"
    previous = await Relationship.get_or_none(id=previous_id, program_id=program.id)
    if previous is None:
        raise NotFound("No such relationship in this program.", field=field)
    if previous.status not in CLOSED:
        raise ValidationFailed("Only a relationship that has ended can be followed by a new one.", field=field)
    old_members = set(await RelationshipMember.filter(relationship_id=previous_id).values_list("person_id", flat=True))
    if not old_members & {seat.person_id for seat in members}:
        raise ValidationFailed("The new relationship shares no member with the previous one.", field=field)
    return previous


async def propose(
    viewer: Viewer,
    *,
    program_id: int,
    members: Sequence[tuple[int, MemberRole]],
    previous_relationship_id: int | None = None,
    now: datetime.datetime,
) -> Relationship:
    """A coordinator puts people together; it stays PROPOSED until every member signs the agreement."""
    program = await Program.get_or_none(id=program_id)
    if program is None:
        raise NotFound("No such program.", field="program_id")
    coordinators = await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True)
    if not policy.can_manage_program(viewer, coordinators):
        raise PermissionDenied("Only the program's coordinators can propose relationships.", field="program_id")
    check_takes_relationships(program)
    proposed = seats(members)
    previous = None
    if previous_relationship_id is not None:
        previous = await _previous_for(previous_relationship_id, program, proposed)
    origin = RelationshipOrigin.COORDINATOR if previous is None else RelationshipOrigin.REMATCH
    async with in_transaction():
        return await create_relationship(
            program,
            proposed,
            origin=origin,
            created_by_id=viewer.person_id,
            now=now,
            previous_id=previous and previous.id,
        )


async def _move(
    viewer: Viewer,
    relationship_id: int,
    target: RelationshipStatus,
    *,
    now: datetime.datetime,
    apply: Callable[[Relationship], None],
    only_from: RelationshipStatus | None = None,
) -> Relationship:
    """One lifecycle step by a member or an overseer; outsiders cannot tell the relationship exists."""
    access = await relationship_access(relationship_id)
    hidden_or_denied(viewer, access)
    _check_step(access.relationship.status, target, only_from)
    async with in_transaction():
        relationship = await Relationship.filter(id=relationship_id).select_for_update().get()
        _check_step(relationship.status, target, only_from)  # a concurrent step may have got there first
        relationship.status = target
        relationship.last_activity_at = now
        relationship.inactivity_notice_at = None
        apply(relationship)
        await relationship.save()
        if relationship.status in CLOSED:
            await after_closing([relationship.id], relationship.status, now=now, reason=relationship.closure_reason)
    return relationship


def _check_step(current: RelationshipStatus, target: RelationshipStatus, only_from: RelationshipStatus | None) -> None:
    if only_from is not None and current is not only_from:
        raise InvalidTransition(
            f"Only a {only_from.value} relationship can become {target.value} this way; this one is {current.value}.",
            field="relationship_id",
        )
    check_transition(current, target, field="relationship_id")


async def pause(viewer: Viewer, *, relationship_id: int, now: datetime.datetime) -> Relationship:
    def apply(relationship: Relationship) -> None:
        relationship.paused_at = now

    return await _move(viewer, relationship_id, RelationshipStatus.PAUSED, now=now, apply=apply)


async def resume(viewer: Viewer, *, relationship_id: int, now: datetime.datetime) -> Relationship:
    """PAUSED -> ACTIVE; a proposal becomes active only through its signed agreement, never by resuming."""

    def apply(relationship: Relationship) -> None:
        relationship.paused_at = None

    return await _move(
        viewer, relationship_id, RelationshipStatus.ACTIVE, now=now, apply=apply, only_from=RelationshipStatus.PAUSED
    )


async def complete(viewer: Viewer, *, relationship_id: int, note: str | None, now: datetime.datetime) -> Relationship:
    closure_note = valid_note(note)

    def apply(relationship: Relationship) -> None:
        relationship.ended_at = now
        relationship.closure_note = closure_note

    return await _move(viewer, relationship_id, RelationshipStatus.COMPLETED, now=now, apply=apply)


async def end(
    viewer: Viewer, *, relationship_id: int, reason: ClosureReason, note: str | None, now: datetime.datetime
) -> Relationship:
    """Ends early with a reason; it stays in history and in the reports."""
    closure_note = valid_note(note)
    closure_reason = ClosureReason(reason)

    def apply(relationship: Relationship) -> None:
        relationship.ended_at = now
        relationship.closure_reason = closure_reason
        relationship.closure_note = closure_note

    return await _move(viewer, relationship_id, RelationshipStatus.ENDED_EARLY, now=now, apply=apply)
