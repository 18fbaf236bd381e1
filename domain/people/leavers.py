"""People who left the company: what they were part of closes, the same way whichever way they left.

A directory sync (an account disabled, deleted or gone) and a people import (a `left_on` cell) both mark
someone inactive through the import's upsert (domain/people/importer.py), which closes for them here in its
own transaction. Their open relationships (PROPOSED, ACTIVE, and PAUSED, which could otherwise resume
without them) end early with the reason LEFT_COMPANY, through the same closing steps as any other end
(domain/relationships/closure.py), so their meetings still ahead are cancelled and the outbox takes the
cancellations to the calendars. Their pending mentor requests are cancelled and their enrollments still in
play withdrawn. With `dry_run`, only counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import Q

from domain.meetings.models import Meeting, MeetingStatus
from domain.programs.models import Enrollment, EnrollmentStatus
from domain.relationships.closure import after_closing
from domain.relationships.lifecycle import OPEN
from domain.relationships.models import (
    ClosureReason,
    MentorRequest,
    MentorRequestStatus,
    Relationship,
    RelationshipMember,
    RelationshipStatus,
    RematchRequest,
    RematchStatus,
)

IN_PLAY = (EnrollmentStatus.APPLIED, EnrollmentStatus.APPROVED, EnrollmentStatus.MATCHED, EnrollmentStatus.ACTIVE)
CLOSURE_NOTE = "A member left the company."
WITHDRAWAL_REASON = "Left the company."


@dataclass
class LeaversClosed:
    relationships_ended: int = 0
    meetings_cancelled: int = 0
    requests_cancelled: int = 0
    enrollments_withdrawn: int = 0


async def close_for_leavers(person_ids: Sequence[int], *, now: datetime.datetime, dry_run: bool) -> LeaversClosed:
    if not person_ids:
        return LeaversClosed()
    people = list(person_ids)
    open_ids = sorted(
        set(
            await RelationshipMember.filter(person_id__in=people, relationship__status__in=list(OPEN)).values_list(
                "relationship_id", flat=True
            )
        )
    )
    requests = MentorRequest.filter(
        Q(mentee_id__in=people) | Q(mentor_id__in=people), status=MentorRequestStatus.PENDING
    )
    enrollments = Enrollment.filter(person_id__in=people, status__in=list(IN_PLAY))
    if dry_run:
        meetings = await Meeting.filter(
            relationship_id__in=open_ids, status=MeetingStatus.SCHEDULED, starts_at__gt=now
        ).count()
        return LeaversClosed(len(open_ids), meetings, await requests.count(), await enrollments.count())

    closed = LeaversClosed()
    if open_ids:
        # Locked, then updated only if still open: a member ending it at this moment wins, and is not undone.
        locked = await Relationship.filter(id__in=open_ids, status__in=list(OPEN)).select_for_update()
        ending = [relationship.id for relationship in locked]
        if ending:
            await Relationship.filter(id__in=ending).update(
                status=RelationshipStatus.ENDED_EARLY,
                closure_reason=ClosureReason.LEFT_COMPANY,
                closure_note=CLOSURE_NOTE,
                ended_at=now,
                inactivity_notice_at=None,
                updated_at=now,
            )
            closed.meetings_cancelled = await Meeting.filter(
                relationship_id__in=ending, status=MeetingStatus.SCHEDULED, starts_at__gt=now
            ).count()
            await after_closing(ending, RelationshipStatus.ENDED_EARLY, now=now, reason=ClosureReason.LEFT_COMPANY)
            await RematchRequest.filter(relationship_id__in=ending, status=RematchStatus.OPEN).update(
                status=RematchStatus.ENDED_RELATIONSHIP, resolved_at=now
            )
        closed.relationships_ended = len(ending)
    closed.requests_cancelled = await requests.update(status=MentorRequestStatus.CANCELLED)
    closed.enrollments_withdrawn = await enrollments.update(
        status=EnrollmentStatus.WITHDRAWN, withdrawal_reason=WITHDRAWAL_REASON, updated_at=now
    )
    return closed
