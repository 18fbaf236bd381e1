"""Closing a program winds down everything in it, in the same transaction as the status change.

Open relationships end (ACTIVE and PAUSED ones complete; proposals nobody signed end early), their meetings
still ahead are cancelled, unanswered mentor requests are cancelled, and enrollments settle: whoever took
part is COMPLETED, whoever was still waiting is WITHDRAWN with the reason recorded.
"""

from __future__ import annotations

import datetime

from domain.programs.models import Enrollment, EnrollmentStatus
from domain.relationships.closure import after_closing
from domain.relationships.models import (
    ClosureReason,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
    RelationshipStatus,
)

CLOSED_NOTE = "The program closed."


async def wind_down(program_id: int, *, now: datetime.datetime) -> None:
    running = await Relationship.filter(
        program_id=program_id, status__in=[RelationshipStatus.ACTIVE, RelationshipStatus.PAUSED]
    ).values_list("id", flat=True)
    if running:
        await Relationship.filter(id__in=list(running)).update(
            status=RelationshipStatus.COMPLETED, ended_at=now, closure_note=CLOSED_NOTE, updated_at=now
        )
        await after_closing(running, RelationshipStatus.COMPLETED, now=now)
    proposed = await Relationship.filter(program_id=program_id, status=RelationshipStatus.PROPOSED).values_list(
        "id", flat=True
    )
    if proposed:
        await Relationship.filter(id__in=list(proposed)).update(
            status=RelationshipStatus.ENDED_EARLY,
            closure_reason=ClosureReason.OTHER,
            closure_note=CLOSED_NOTE,
            ended_at=now,
            updated_at=now,
        )
        await after_closing(proposed, RelationshipStatus.ENDED_EARLY, now=now, reason=ClosureReason.OTHER)
    await MentorRequest.filter(program_id=program_id, status=MentorRequestStatus.PENDING).update(
        status=MentorRequestStatus.CANCELLED, responded_at=now, response_message=CLOSED_NOTE
    )
    await Enrollment.filter(
        program_id=program_id, status__in=[EnrollmentStatus.MATCHED, EnrollmentStatus.ACTIVE]
    ).update(status=EnrollmentStatus.COMPLETED, updated_at=now)
    await Enrollment.filter(
        program_id=program_id, status__in=[EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED]
    ).update(status=EnrollmentStatus.WITHDRAWN, withdrawal_reason=CLOSED_NOTE, updated_at=now)
