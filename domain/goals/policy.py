"""Who reads and writes goals and reflections. Pure rules over rows and a relationship's access view.

Goal texts belong to the owner and the relationship's members; the program's overseers get counts by
status only. Reflections belong to their author; a shared one is read by the relationship's members too.
Roles never widen either: coordinators, analysts and admins read them only as an owner, author or member.
"""

from __future__ import annotations

from domain.access import Viewer
from domain.goals.models import Goal, Reflection
from domain.relationships.access import RelationshipAccess


def _is(viewer: Viewer, person_id: int) -> bool:
    return viewer.person_id is not None and viewer.person_id == person_id


def can_read_goal(viewer: Viewer, goal: Goal, access: RelationshipAccess | None) -> bool:
    """Also who keeps its milestones and progress. `access` is the goal's relationship's view, None for a
    personal goal."""
    return _is(viewer, goal.owner_id) or (access is not None and access.is_member(viewer))


def can_edit_goal(viewer: Viewer, goal: Goal) -> bool:
    """Only the owner defines the goal and decides its status (achieved is their call, not a milestone's)."""
    return _is(viewer, goal.owner_id)


def can_read_relationship_goals(viewer: Viewer, access: RelationshipAccess) -> bool:
    """The list of a relationship's goals, with their texts."""
    return access.is_member(viewer)


def can_read_goal_summary(viewer: Viewer, access: RelationshipAccess) -> bool:
    """Counts by status, no texts: members and the program's overseers."""
    return access.can_see_metadata(viewer)


def can_read_shared_reflections(viewer: Viewer, access: RelationshipAccess) -> bool:
    return access.is_member(viewer)


def can_read_reflection(viewer: Viewer, reflection: Reflection, access: RelationshipAccess | None) -> bool:
    if _is(viewer, reflection.author_id):
        return True
    return reflection.shared_at is not None and access is not None and access.is_member(viewer)
