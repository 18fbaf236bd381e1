"""Use cases for reflections: written after a meeting or at any time, private to the author until shared."""

from __future__ import annotations

import datetime

from domain.access import Viewer
from domain.clock import utc_now
from domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from domain.goals import policy
from domain.goals.models import Reflection
from domain.meetings.models import Meeting
from domain.people.validation import valid_optional_text
from domain.relationships.access import relationship_access

MAX_BODY_LENGTH = 20000


async def write_reflection(
    viewer: Viewer, *, body: str, relationship_id: int | None = None, meeting_id: int | None = None
) -> Reflection:
    """A private note by the viewer: personal, or about a relationship they are a member of."""
    author_id = viewer.require_person()
    text = valid_optional_text(body, field="body", max_length=MAX_BODY_LENGTH)
    if not text:
        raise ValidationFailed("Write something to reflect on.", field="body")
    if meeting_id is not None and relationship_id is None:
        raise ValidationFailed("A reflection on a meeting names the meeting's relationship.", field="relationship_id")
    if relationship_id is not None:
        access = await relationship_access(relationship_id)
        access.require_member(viewer)
    if meeting_id is not None and not await Meeting.exists(id=meeting_id, relationship_id=relationship_id):
        raise NotFound("No such meeting in this relationship.", field="meeting_id")
    return await Reflection.create(
        author_id=author_id, relationship_id=relationship_id, meeting_id=meeting_id, body=text
    )


async def share_reflection(viewer: Viewer, *, reflection_id: int, now: datetime.datetime | None = None) -> Reflection:
    """The author shares it with the relationship's members (never with coordinators). Sharing again is a no-op."""
    reflection = await Reflection.get_or_none(id=reflection_id)
    access = (
        await relationship_access(reflection.relationship_id) if reflection and reflection.relationship_id else None
    )
    if reflection is None or not policy.can_read_reflection(viewer, reflection, access):
        raise NotFound("No such reflection.", field="reflection_id")
    if reflection.author_id != viewer.person_id:
        raise PermissionDenied("Only its author can share a reflection.", field="reflection_id")
    if reflection.relationship_id is None:
        raise Conflict("A personal reflection has no relationship to share it with.", field="reflection_id")
    if reflection.shared_at is None:
        reflection.shared_at = now or utc_now()
        await reflection.save(update_fields=["shared_at", "updated_at"])
    return reflection
