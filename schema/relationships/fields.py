"""Fields on Person that only their owner reads: `me { relationships pendingRequests }`."""

from __future__ import annotations

from domain.clock import utc_now
from domain.relationships import models
from domain.relationships.queries import relationships_of_people
from schema.context import Info
from schema.relationships.planned import plan_relationships, selected_below
from schema.relationships.types import (
    MentorRequest,
    PendingMentorRequests,
    Relationship,
    visible_mentor_requests,
    visible_relationships,
)


async def relationships_of(
    info: Info, person_id: int, statuses: list[models.RelationshipStatus] | None
) -> list[Relationship]:
    """The person's relationships, oldest first; empty unless the viewer is that person."""
    if not info.context.viewer.is_person(person_id):
        return []
    rows = await info.context.loaders.custom("relationships_of_person", relationships_of_people).load(person_id)
    rows = [row for row in rows if not statuses or row.status in statuses]
    found = [found for found in await visible_relationships(info, rows) if found is not None]
    await plan_relationships(info, found, selected_below(info.selected_fields))
    return found


async def pending_requests_of(info: Info, person_id: int) -> PendingMentorRequests | None:
    """Unanswered, unexpired requests the person sent and received; null unless the viewer is that person."""
    if not info.context.viewer.is_person(person_id):
        return None
    pending = models.MentorRequestStatus.PENDING
    sent = await info.context.loaders.children(models.MentorRequest, "mentee_id", status=pending).load(person_id)
    received = await info.context.loaders.children(models.MentorRequest, "mentor_id", status=pending).load(person_id)
    return PendingMentorRequests(sent=await _live(info, sent), received=await _live(info, received))


async def _live(info: Info, rows: list[models.MentorRequest]) -> list[MentorRequest]:
    now = utc_now()
    found = await visible_mentor_requests(info, [row for row in rows if row.expires_at >= now])
    return [request for request in found if request is not None]
