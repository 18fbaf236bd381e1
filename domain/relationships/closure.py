"""What follows when relationships close: their meetings still ahead are cancelled, and a finished
participation's enrollment is COMPLETED.

A relationship that COMPLETED or AUTO_CONCLUDED, or ENDED_EARLY because its goals were met, concludes its
mentees' and peers' ACTIVE enrollments in the program, unless they still have another open relationship
there. Mentors stay ACTIVE: the seat freed is capacity for their next mentee, until the program closes. Any
other early end (a poor fit, lack of time, a rematch) leaves the enrollments as they are: the person is still
in the program and may be matched again, which a COMPLETED enrollment may not.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence

from domain.meetings.withdrawal import cancel_upcoming
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus
from domain.relationships import guards
from domain.relationships.lifecycle import OPEN
from domain.relationships.models import ClosureReason, Relationship, RelationshipMember, RelationshipStatus


async def after_closing(
    relationship_ids: Sequence[int],
    status: RelationshipStatus,
    *,
    now: datetime.datetime,
    reason: ClosureReason | None = None,
) -> None:
    """Run inside the closing transaction, once the relationships' new status is saved."""
    await cancel_upcoming(relationship_ids, now=now, reason=f"The relationship ended ({status.value.lower()}).")
    if concludes_participation(status, reason):
        await conclude_enrollments(relationship_ids)


def concludes_participation(status: RelationshipStatus, reason: ClosureReason | None = None) -> bool:
    if status in (RelationshipStatus.COMPLETED, RelationshipStatus.AUTO_CONCLUDED):
        return True
    return status is RelationshipStatus.ENDED_EARLY and reason is ClosureReason.GOALS_MET_EARLY


async def conclude_enrollments(relationship_ids: Sequence[int]) -> None:
    """Completes the members' enrollments that no open relationship keeps going.

    Run it inside the closing transaction, after the new statuses are saved. The enrollments are locked
    before the open relationships are counted, so two relationships of one mentor closing at once cannot
    each see the other still open and both leave the enrollment ACTIVE.
    """
    if not relationship_ids:
        return
    programs = dict(await Relationship.filter(id__in=list(relationship_ids)).values_list("id", "program_id"))
    members = await RelationshipMember.filter(relationship_id__in=list(relationship_ids)).values_list(
        "relationship_id", "person_id"
    )
    people_by_program: dict[int, set[int]] = defaultdict(set)
    for relationship_id, person_id in members:
        people_by_program[programs[relationship_id]].add(person_id)
    for program_id, people in sorted(people_by_program.items()):
        await guards.lock_enrollments(program_id, sorted(people))
        still_open = await RelationshipMember.filter(
            person_id__in=list(people), relationship__program_id=program_id, relationship__status__in=list(OPEN)
        ).values_list("person_id", flat=True)
        finished = people - set(still_open)
        if finished:
            await (
                Enrollment.filter(program_id=program_id, person_id__in=sorted(finished), status=EnrollmentStatus.ACTIVE)
                .exclude(role=EnrollmentRole.MENTOR)
                .update(status=EnrollmentStatus.COMPLETED)
            )
