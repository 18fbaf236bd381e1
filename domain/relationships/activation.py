"""Activation: a proposal becomes ACTIVE when its agreement is signed by all, with its members' enrollments."""

from __future__ import annotations

import datetime

from tortoise.transactions import in_transaction

from domain.errors import NotFound
from domain.programs.models import Enrollment, EnrollmentStatus
from domain.relationships.lifecycle import check_transition
from domain.relationships.models import Relationship, RelationshipMember, RelationshipStatus


async def activate_if_proposed(relationship_id: int, *, now: datetime.datetime) -> bool:
    """PROPOSED -> ACTIVE once every member has signed (True); a no-op in any other status (False).

    Call it inside the signing transaction: it joins it (as a savepoint) so the signature and the
    activation are written together or not at all.
    """
    async with in_transaction():
        relationship = await Relationship.filter(id=relationship_id).select_for_update().get_or_none()
        if relationship is None:
            raise NotFound("No such relationship.", field="relationship_id")
        if relationship.status is not RelationshipStatus.PROPOSED:
            return False
        check_transition(relationship.status, RelationshipStatus.ACTIVE)
        relationship.status = RelationshipStatus.ACTIVE
        relationship.started_at = now
        relationship.last_activity_at = now
        relationship.inactivity_notice_at = None
        await relationship.save()
        member_ids = await RelationshipMember.filter(relationship_id=relationship_id).values_list(
            "person_id", flat=True
        )
        await Enrollment.filter(
            program_id=relationship.program_id, person_id__in=list(member_ids), status=EnrollmentStatus.MATCHED
        ).update(status=EnrollmentStatus.ACTIVE)
    return True
