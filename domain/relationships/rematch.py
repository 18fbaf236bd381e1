"""Rematch: a member asks for a different partner; a coordinator keeps the pair or ends it and flags both."""

from __future__ import annotations

import datetime
from enum import Enum
from itertools import permutations

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.errors import Conflict, InvalidTransition, NotFound, ValidationFailed
from domain.people.validation import valid_optional_text
from domain.relationships.access import can_see_rematch_request, hidden_or_denied, relationship_access
from domain.relationships.closure import after_closing
from domain.relationships.lifecycle import OPEN, check_transition
from domain.relationships.models import (
    ClosureReason,
    MatchExclusion,
    Relationship,
    RelationshipMember,
    RelationshipStatus,
    RematchRequest,
    RematchStatus,
)
from domain.relationships.service import valid_note

REASON_MAX_LENGTH = 4000


class RematchOutcome(str, Enum):
    KEEP = "KEEP"
    END_AND_REMATCH = "END_AND_REMATCH"


async def request_rematch(viewer: Viewer, *, relationship_id: int, reason: str | None) -> RematchRequest:
    """Only members ask; the reason is read by the program's coordinators and the asker, never the partner."""
    access = await relationship_access(relationship_id)
    hidden_or_denied(viewer, access)
    requester_id = access.require_member(viewer)
    text = valid_optional_text(reason, field="reason", max_length=REASON_MAX_LENGTH)
    if not text:
        raise ValidationFailed("Say why, so the coordinator can help.", field="reason")
    if access.relationship.status not in OPEN:
        raise InvalidTransition(
            f"A {access.relationship.status.value} relationship cannot be rematched.", field="relationship_id"
        )
    async with in_transaction():
        # Lock the relationship so a double submit still leaves one open request per member.
        await Relationship.filter(id=relationship_id).select_for_update().get()
        if await RematchRequest.filter(
            relationship_id=relationship_id, requested_by_id=requester_id, status=RematchStatus.OPEN
        ).exists():
            raise Conflict("You already have an open rematch request for this relationship.", field="relationship_id")
        return await RematchRequest.create(relationship_id=relationship_id, requested_by_id=requester_id, reason=text)


async def _rematch_for_overseer(viewer: Viewer, rematch_request_id: int) -> tuple[RematchRequest, Relationship]:
    field = "rematch_request_id"
    request = await RematchRequest.get_or_none(id=rematch_request_id)
    if request is None:
        raise NotFound("No such rematch request.", field=field)
    access = await relationship_access(request.relationship_id, field=field)
    # The relationship's members may know a request exists (the asker, and the partner it is about), so
    # they are told no; anyone else learns nothing, not even that it exists.
    if not (can_see_rematch_request(viewer, request, access) or access.is_member(viewer)):
        raise NotFound("No such rematch request.", field=field)
    access.require_overseer(viewer, field=field)
    return request, access.relationship


async def resolve_rematch(
    viewer: Viewer,
    *,
    rematch_request_id: int,
    outcome: RematchOutcome,
    note: str | None,
    now: datetime.datetime,
    closure_reason: ClosureReason | None = None,
) -> RematchRequest:
    """KEEP closes the request; END_AND_REMATCH ends the relationship with the coordinator's closure reason
    (not a good fit unless they say otherwise), keeps the pair apart and flags every member for the next
    matching run (MatchExclusion.needs_rematch)."""
    request, relationship = await _rematch_for_overseer(viewer, rematch_request_id)
    outcome = RematchOutcome(outcome)
    text = valid_note(note)
    if closure_reason is not None and outcome is RematchOutcome.KEEP:
        raise ValidationFailed(
            "A kept relationship does not end; give a closure reason only to end it.", field="closure_reason"
        )
    reason = ClosureReason(closure_reason or ClosureReason.NOT_A_GOOD_FIT)
    if request.status is not RematchStatus.OPEN:
        raise InvalidTransition(f"This rematch request is already {request.status.value}.", field="rematch_request_id")
    if outcome is RematchOutcome.END_AND_REMATCH:
        check_transition(relationship.status, RelationshipStatus.ENDED_EARLY, field="rematch_request_id")
    async with in_transaction():
        request = await RematchRequest.filter(id=rematch_request_id).select_for_update().get()
        if request.status is not RematchStatus.OPEN:
            raise InvalidTransition(
                f"This rematch request is already {request.status.value}.", field="rematch_request_id"
            )
        if outcome is RematchOutcome.KEEP:
            await _close(request, RematchStatus.RESOLVED, viewer, text, now)
            return request
        relationship = await Relationship.filter(id=relationship.id).select_for_update().get()
        check_transition(relationship.status, RelationshipStatus.ENDED_EARLY, field="rematch_request_id")
        relationship.status = RelationshipStatus.ENDED_EARLY
        relationship.closure_reason = reason
        relationship.closure_note = text
        relationship.ended_at = now
        await relationship.save()
        await after_closing([relationship.id], relationship.status, now=now, reason=relationship.closure_reason)
        await _exclude_pairs(relationship)
        # Every open request on this relationship is answered by its ending, not only the one resolved.
        for open_request in await RematchRequest.filter(relationship_id=relationship.id, status=RematchStatus.OPEN):
            await _close(open_request, RematchStatus.ENDED_RELATIONSHIP, viewer, text, now)
        await request.refresh_from_db()
    return request


async def _close(
    request: RematchRequest, status: RematchStatus, viewer: Viewer, note: str, now: datetime.datetime
) -> None:
    request.status = status
    request.resolution_note = note
    request.resolved_by_id = viewer.person_id
    request.resolved_at = now
    await request.save()


async def _exclude_pairs(relationship: Relationship) -> None:
    """Each member excludes each other member, both ways, and is flagged for the next matching run."""
    member_ids = await RelationshipMember.filter(relationship_id=relationship.id).values_list("person_id", flat=True)
    for person_id, excluded_id in permutations(member_ids, 2):
        exclusion, created = await MatchExclusion.get_or_create(
            program_id=relationship.program_id,
            person_id=person_id,
            excluded_person_id=excluded_id,
            defaults={"source_relationship_id": relationship.id, "needs_rematch": True},
        )
        if not created:
            exclusion.source_relationship_id = relationship.id
            exclusion.needs_rematch = True
            await exclusion.save()
