"""Who stands where towards one relationship: member, coordinator of its program, or outsider.

Members read everything the relationship shares. The program's coordinators (and admins, who act as
coordinators everywhere) read status, agreement metadata and goal counts, never goal texts, reflections
or other people's rematch reasons. Everyone else reads nothing.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from domain.access import Role, Viewer
from domain.errors import NotFound, PermissionDenied
from domain.programs.models import ProgramCoordinator
from domain.programs.policy import can_manage_program
from domain.relationships.models import MentorRequest, Relationship, RelationshipMember, RematchRequest


@dataclass(frozen=True)
class RelationshipAccess:
    relationship: Relationship
    member_ids: frozenset[int]
    coordinator_ids: frozenset[int]

    def is_member(self, viewer: Viewer) -> bool:
        return viewer.person_id is not None and viewer.person_id in self.member_ids

    def oversees(self, viewer: Viewer) -> bool:
        """Runs the program: a coordinator named on it, or an admin."""
        if viewer.is_admin:
            return True
        return viewer.role is Role.COORDINATOR and viewer.person_id in self.coordinator_ids

    def can_see_metadata(self, viewer: Viewer) -> bool:
        return self.is_member(viewer) or self.oversees(viewer)

    def require_member(self, viewer: Viewer, *, field: str = "relationship_id") -> int:
        if not self.is_member(viewer):
            raise PermissionDenied("Only the relationship's members can do this.", field=field)
        return viewer.person_id  # type: ignore[return-value]

    def require_overseer(self, viewer: Viewer, *, field: str = "relationship_id") -> None:
        if not self.oversees(viewer):
            raise PermissionDenied("Only the program's coordinators can do this.", field=field)


async def relationship_access(relationship_id: int, *, field: str = "relationship_id") -> RelationshipAccess:
    """Loads a relationship with its member and coordinator ids; NotFound names `field`."""
    relationship = await Relationship.get_or_none(id=relationship_id)
    if relationship is None:
        raise NotFound("No such relationship.", field=field)
    members = await RelationshipMember.filter(relationship_id=relationship_id).values_list("person_id", flat=True)
    coordinators = await ProgramCoordinator.filter(program_id=relationship.program_id).values_list(
        "person_id", flat=True
    )
    return RelationshipAccess(relationship, frozenset(members), frozenset(coordinators))


def access_from_rows(
    relationship: Relationship, member_ids: list[int], coordinator_ids: list[int]
) -> RelationshipAccess:
    """The same view built from rows a DataLoader already fetched (no queries)."""
    return RelationshipAccess(relationship, frozenset(member_ids), frozenset(coordinator_ids))


def hidden_or_denied(viewer: Viewer, access: RelationshipAccess) -> None:
    """Outsiders learn nothing, not even that the relationship exists."""
    if not access.can_see_metadata(viewer):
        raise NotFound("No such relationship.", field="relationship_id")


def can_see_mentor_request(viewer: Viewer, request: MentorRequest, coordinator_ids: Collection[int]) -> bool:
    """The mentee who asked, the mentor asked, and whoever runs the program."""
    if viewer.person_id is not None and viewer.person_id in (request.mentee_id, request.mentor_id):
        return True
    return can_manage_program(viewer, coordinator_ids)


def can_see_rematch_request(viewer: Viewer, request: RematchRequest, access: RelationshipAccess) -> bool:
    """The member who asked and the program's overseers; the partner is not told, the reason is confidential."""
    return (viewer.person_id is not None and viewer.person_id == request.requested_by_id) or access.oversees(viewer)
