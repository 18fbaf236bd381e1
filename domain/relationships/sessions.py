"""SPEED mentoring is one focused session: at most one meeting on the books, and once it is held the
relationship is COMPLETED. A cancelled or missed session leaves room to book it again."""

from __future__ import annotations

import datetime

from tortoise.transactions import in_transaction

from domain.errors import Conflict
from domain.meetings.models import Meeting, MeetingStatus
from domain.programs.models import ProgramKind
from domain.relationships.closure import after_closing
from domain.relationships.lifecycle import allowed_transitions
from domain.relationships.models import Relationship, RelationshipStatus

ONE_SESSION_KINDS = frozenset({ProgramKind.SPEED})
_TAKES_THE_SESSION = (MeetingStatus.SCHEDULED, MeetingStatus.HELD)


async def check_room_for_meetings(relationship: Relationship, adding: int, *, field: str = "relationship_id") -> None:
    """Refuses booking `adding` more meetings into a one-session relationship that has its session already.

    Call it under the booking's locks on the members, so two bookings cannot both see the room free.
    """
    if relationship.kind not in ONE_SESSION_KINDS:
        return
    booked = await Meeting.filter(relationship_id=relationship.id, status__in=_TAKES_THE_SESSION).count()
    if booked + adding > 1:
        raise Conflict(
            f"A {relationship.kind.value} relationship is one session, and it has one booked already."
            if booked
            else f"A {relationship.kind.value} relationship is one session; book one meeting, not {adding}.",
            field=field,
        )


async def complete_after_session(relationship_id: int, now: datetime.datetime) -> bool:
    """A held session completes an ACTIVE or PAUSED one-session relationship (True); others stay as they are.

    A session held before the agreement was signed leaves the relationship PROPOSED: it goes active only
    through its signed agreement.
    """
    async with in_transaction():
        relationship = await Relationship.filter(id=relationship_id).select_for_update().get()
        if relationship.kind not in ONE_SESSION_KINDS:
            return False
        if RelationshipStatus.COMPLETED not in allowed_transitions(relationship.status):
            return False
        relationship.status = RelationshipStatus.COMPLETED
        relationship.ended_at = now
        relationship.last_activity_at = now
        relationship.inactivity_notice_at = None
        await relationship.save()
        await after_closing([relationship.id], relationship.status, now=now)
    return True
