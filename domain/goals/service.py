"""Use cases for goals: defining them, milestones, and the progress history.

The owner defines a goal and decides its status; the owner and the relationship's members keep its
milestones and progress. Completing the last milestone leaves the status alone: the owner says when a
goal is achieved. Recording progress on a goal not started yet moves it to IN_PROGRESS.
"""

from __future__ import annotations

import datetime

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.agreements.queries import current_terms
from domain.clock import utc_now
from domain.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from domain.goals import lifecycle, policy
from domain.goals.models import Goal, GoalProgress, GoalStatus, Milestone
from domain.people.validation import valid_name, valid_optional_text
from domain.relationships.access import RelationshipAccess, relationship_access
from domain.relationships.lifecycle import CLOSED
from domain.relationships.models import Relationship

MAX_TEXT_LENGTH = 4000


def _long_text(value: str | None, *, field: str) -> str:
    return valid_optional_text(value, field=field, max_length=MAX_TEXT_LENGTH) or ""


async def create_goal(
    viewer: Viewer,
    *,
    title: str,
    description: str | None = None,
    success_criteria: str | None = None,
    target_date: datetime.date | None = None,
    relationship_id: int | None = None,
) -> Goal:
    """A goal owned by the viewer: personal, or inside a relationship the viewer is a member of."""
    owner_id = viewer.require_person()
    if relationship_id is not None:
        access = await relationship_access(relationship_id)
        access.require_member(viewer)
        if access.relationship.status in CLOSED:
            raise Conflict("The relationship has ended; set new goals in a personal list.", field="relationship_id")
    return await Goal.create(
        owner_id=owner_id,
        relationship_id=relationship_id,
        title=valid_name(title, field="title"),
        description=_long_text(description, field="description"),
        success_criteria=_long_text(success_criteria, field="success_criteria"),
        target_date=target_date,
    )


async def update_goal(viewer: Viewer, *, goal_id: int, changes: dict, now: datetime.datetime | None = None) -> Goal:
    """Changes what the owner sent; ACHIEVED stamps achieved_at, reopening clears it."""
    goal, _ = await _goal_in_reach(viewer, goal_id)
    if not policy.can_edit_goal(viewer, goal):
        raise PermissionDenied("Only the goal's owner can change it.", field="goal_id")
    cleaned: dict = {}
    if "title" in changes:
        cleaned["title"] = valid_name(changes["title"] or "", field="title")
    if "description" in changes:
        cleaned["description"] = _long_text(changes["description"], field="description")
    if "success_criteria" in changes:
        cleaned["success_criteria"] = _long_text(changes["success_criteria"], field="success_criteria")
    if "target_date" in changes:
        cleaned["target_date"] = changes["target_date"]
    status = changes.get("status")
    if status is not None and status is not goal.status:
        lifecycle.check_transition(goal.status, status)
        cleaned["status"] = status
        cleaned["achieved_at"] = (now or utc_now()) if status is GoalStatus.ACHIEVED else None
    if cleaned:
        goal.update_from_dict(cleaned)
        await goal.save(update_fields=[*cleaned.keys(), "updated_at"])
    return goal


async def add_milestone(viewer: Viewer, *, goal_id: int, title: str, due_on: datetime.date | None = None) -> Milestone:
    """A step towards the goal; inside a relationship it must fall due before the agreement ends."""
    goal, _ = await _goal_in_reach(viewer, goal_id)
    title = valid_name(title, field="title")
    if due_on is not None and goal.relationship_id is not None:
        terms = await current_terms(goal.relationship_id)
        if terms is not None and due_on > terms.ends_on:
            raise ValidationFailed(
                f"The relationship's agreement ends on {terms.ends_on.isoformat()}; pick a date by then.",
                field="due_on",
            )
    return await Milestone.create(goal_id=goal.id, title=title, due_on=due_on)


async def complete_milestone(viewer: Viewer, *, milestone_id: int, now: datetime.datetime | None = None) -> Milestone:
    """Marks the milestone done (once: completing it again keeps the first time). The goal's status stays."""
    milestone = await Milestone.get_or_none(id=milestone_id)
    if milestone is None:
        raise NotFound("No such milestone.", field="milestone_id")
    await _goal_in_reach(viewer, milestone.goal_id, field="milestone_id")
    if milestone.completed_at is None:
        milestone.completed_at = now or utc_now()
        await milestone.save(update_fields=["completed_at"])
    return milestone


async def record_progress(
    viewer: Viewer, *, goal_id: int, note: str | None, percent: int, now: datetime.datetime | None = None
) -> GoalProgress:
    now = now or utc_now()
    goal, _ = await _goal_in_reach(viewer, goal_id)
    if not 0 <= percent <= 100:
        raise ValidationFailed("Progress is a percentage from 0 to 100.", field="percent")
    note = _long_text(note, field="note")
    if goal.status in lifecycle.CLOSED:
        raise Conflict(f"The goal is {goal.status.value}; its owner reopens it before more progress.", field="goal_id")
    async with in_transaction():
        progress = await GoalProgress.create(goal_id=goal.id, author_id=viewer.person_id, note=note, percent=percent)
        if goal.status is GoalStatus.NOT_STARTED:
            goal.status = GoalStatus.IN_PROGRESS
            await goal.save(update_fields=["status", "updated_at"])
        if goal.relationship_id is not None:
            await Relationship.filter(id=goal.relationship_id).update(last_activity_at=now)
    return progress


async def _goal_in_reach(
    viewer: Viewer, goal_id: int, *, field: str = "goal_id"
) -> tuple[Goal, RelationshipAccess | None]:
    """The goal and its relationship's access view. Whoever may read a goal (owner, members) may also keep its
    milestones and progress; a goal the viewer may not read is NotFound, like a missing one."""
    goal = await Goal.get_or_none(id=goal_id)
    access = await relationship_access(goal.relationship_id) if goal and goal.relationship_id else None
    if goal is None or not policy.can_read_goal(viewer, goal, access):
        raise NotFound("No such goal.", field=field)
    return goal, access
