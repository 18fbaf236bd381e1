"""GraphQL types for goals, milestones, progress and reflections, and the relationship-level reads.

A Goal or Reflection object is only ever built for a viewer the domain policy lets read it, so its text
fields need no per-field guard; lists drop what the viewer may not read.
"""

from __future__ import annotations

import asyncio
import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import relay

from domain.goals import lifecycle, models, policy
from domain.goals.queries import goal_counts_by_relationship
from domain.people.models import Person as PersonRow
from schema.context import Info
from schema.convert import from_row
from schema.execution import answers_planned
from schema.relationship_access import load_access, load_optional_access
from schema.relay_ids import encode_id

if TYPE_CHECKING:
    from schema.people.types import Person

PersonRef = Annotated["Person", strawberry.lazy("schema.people.types")]
GoalStatus = strawberry.enum(models.GoalStatus, name="GoalStatus")


async def _person(info: Info, person_id: int) -> Person | None:
    from schema.people.types import Person

    row = await info.context.loaders.by_id(PersonRow).load(person_id)
    return Person.from_model(row) if row else None


def _relationship_global_id(relationship_id: int | None) -> relay.GlobalID | None:
    return None if relationship_id is None else encode_id("Relationship", relationship_id)


async def readable_goals(info: Info, rows: list[models.Goal]) -> list[Goal]:
    """The rows the viewer may read (owner or relationship member), as Goal objects, in order."""
    accesses = await asyncio.gather(*(load_optional_access(info, row.relationship_id) for row in rows))
    viewer = info.context.viewer
    return [
        Goal.from_model(row)
        for row, access in zip(rows, accesses, strict=True)
        if policy.can_read_goal(viewer, row, access)
    ]


async def readable_reflections(info: Info, rows: list[models.Reflection]) -> list[Reflection]:
    accesses = await asyncio.gather(*(load_optional_access(info, row.relationship_id) for row in rows))
    viewer = info.context.viewer
    return [
        Reflection.from_model(row)
        for row, access in zip(rows, accesses, strict=True)
        if policy.can_read_reflection(viewer, row, access)
    ]


async def _goal_rows(info: Info, goal_ids: list[int]) -> list[models.Goal]:
    rows = await info.context.loaders.by_id(models.Goal).load_many(goal_ids)
    return [row for row in rows if row is not None]


async def readable_goal(info: Info, goal_id: int) -> Goal | None:
    found = await readable_goals(info, await _goal_rows(info, [goal_id]))
    return found[0] if found else None


@strawberry.type(description="A step towards a goal.")
class Milestone(relay.Node):
    id: relay.NodeID[int]
    title: str
    due_on: datetime.date | None
    completed_at: datetime.datetime | None
    goal_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.Milestone) -> Milestone:
        return cls(id=row.id, title=row.title, due_on=row.due_on, completed_at=row.completed_at, goal_id=row.goal_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Milestone).load_many([int(i) for i in node_ids])
        readable = {g.id for g in await readable_goals(info, await _goal_rows(info, [r.goal_id for r in rows if r]))}
        return [cls.from_model(row) if row and row.goal_id in readable else None for row in rows]

    @strawberry.field
    async def goal(self, info: Info) -> Goal | None:
        return await readable_goal(info, self.goal_id)


@strawberry.type(description="One entry in a goal's progress history.")
class GoalProgress:
    note: str
    percent: int
    created_at: datetime.datetime
    author_id: strawberry.Private[int]

    @classmethod
    def from_model(cls, row: models.GoalProgress) -> GoalProgress:
        return cls(note=row.note, percent=row.percent, created_at=row.created_at, author_id=row.author_id)

    @strawberry.field
    async def author(self, info: Info) -> PersonRef | None:
        return await _person(info, self.author_id)


@strawberry.type(description="A learning goal; readable by its owner and its relationship's members only.")
class Goal(relay.Node):
    id: relay.NodeID[int]
    title: str
    description: str
    success_criteria: str
    target_date: datetime.date | None
    status: GoalStatus
    achieved_at: datetime.datetime | None
    created_at: datetime.datetime
    updated_at: datetime.datetime
    owner_id: strawberry.Private[int]
    relationship_key: strawberry.Private[int | None]
    # Fetched with a whole list of relationships (schema/relationships/planned.py); None when not.
    planned: strawberry.Private[dict | None] = None  # {"milestones": [...]}

    @classmethod
    def from_model(cls, row: models.Goal) -> Goal:
        return from_row(cls, row, relationship_key=row.relationship_id, planned=None)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Goal).load_many([int(i) for i in node_ids])
        readable = {goal.id: goal for goal in await readable_goals(info, [row for row in rows if row])}
        return [readable.get(row.id) if row else None for row in rows]

    @strawberry.field(description="Null for a personal goal.")
    def relationship_id(self) -> relay.GlobalID | None:
        return _relationship_global_id(self.relationship_key)

    @strawberry.field(description="The statuses the owner may move this goal to next.")
    def allowed_transitions(self) -> list[GoalStatus]:
        return list(lifecycle.allowed_transitions(self.status))

    @strawberry.field
    async def owner(self, info: Info) -> PersonRef | None:
        return await _person(info, self.owner_id)

    @strawberry.field(description="By due date; undated ones last.")
    @answers_planned
    async def milestones(self, info: Info) -> list[Milestone]:
        return milestones_in_order(await info.context.loaders.children(models.Milestone, "goal_id").load(self.id))

    @strawberry.field(description="Progress updates, oldest first.")
    async def progress(self, info: Info) -> list[GoalProgress]:
        rows = await info.context.loaders.children(models.GoalProgress, "goal_id").load(self.id)
        return [GoalProgress.from_model(row) for row in rows]

    @strawberry.field(description="The latest recorded percentage; null before any progress.")
    async def percent(self, info: Info) -> int | None:
        rows = await info.context.loaders.children(models.GoalProgress, "goal_id").load(self.id)
        return rows[-1].percent if rows else None


@strawberry.type(description="How a relationship's goals stand, without their texts; coordinators read this.")
class GoalSummary:
    total: int
    not_started: int
    in_progress: int
    achieved: int
    dropped: int


def milestones_in_order(rows: list[models.Milestone]) -> list[Milestone]:
    ordered = sorted(rows, key=lambda r: (r.due_on is None, r.due_on or datetime.date.min, r.id))
    return [Milestone.from_model(row) for row in ordered]


@strawberry.type(description="Private to its author unless shared with the relationship's members.")
class Reflection(relay.Node):
    id: relay.NodeID[int]
    body: str
    shared_at: datetime.datetime | None
    created_at: datetime.datetime
    author_id: strawberry.Private[int]
    relationship_key: strawberry.Private[int | None]
    meeting_key: strawberry.Private[int | None]

    @classmethod
    def from_model(cls, row: models.Reflection) -> Reflection:
        return from_row(cls, row, relationship_key=row.relationship_id, meeting_key=row.meeting_id)

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Reflection).load_many([int(i) for i in node_ids])
        readable = {r.id: r for r in await readable_reflections(info, [row for row in rows if row])}
        return [readable.get(row.id) if row else None for row in rows]

    @strawberry.field
    def is_shared(self) -> bool:
        return self.shared_at is not None

    @strawberry.field(description="Null for a personal reflection.")
    def relationship_id(self) -> relay.GlobalID | None:
        return _relationship_global_id(self.relationship_key)

    @strawberry.field(description="The meeting it follows, if any.")
    def meeting_id(self) -> relay.GlobalID | None:
        return None if self.meeting_key is None else encode_id("Meeting", self.meeting_key)

    @strawberry.field
    async def author(self, info: Info) -> PersonRef | None:
        return await _person(info, self.author_id)


async def goals_of_relationship(info: Info, relationship_id: int) -> list[Goal] | None:
    """The Relationship type's `goals`: with texts, for members only; null for everyone else."""
    access = await load_access(info, relationship_id)
    if access is None or not policy.can_read_relationship_goals(info.context.viewer, access):
        return None
    rows = await info.context.loaders.children(models.Goal, "relationship_id").load(relationship_id)
    return [Goal.from_model(row) for row in rows]


async def goal_summary_of_relationship(info: Info, relationship_id: int) -> GoalSummary | None:
    """The Relationship type's `goalSummary`: counts by status for members and the program's overseers."""
    access = await load_access(info, relationship_id)
    if access is None or not policy.can_read_goal_summary(info.context.viewer, access):
        return None
    counts = await info.context.loaders.custom("goal_counts", goal_counts_by_relationship).load(relationship_id)
    return GoalSummary(
        total=counts.total,
        not_started=counts.not_started,
        in_progress=counts.in_progress,
        achieved=counts.achieved,
        dropped=counts.dropped,
    )


async def shared_reflections_of_relationship(info: Info, relationship_id: int) -> list[Reflection] | None:
    """The Relationship type's `sharedReflections`: what members shared, for members only; null otherwise."""
    access = await load_access(info, relationship_id)
    if access is None or not policy.can_read_shared_reflections(info.context.viewer, access):
        return None
    rows = await info.context.loaders.children(models.Reflection, "relationship_id", shared_at__isnull=False).load(
        relationship_id
    )
    return [Reflection.from_model(row) for row in rows]
