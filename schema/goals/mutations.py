"""Mutations on goals and reflections."""

from __future__ import annotations

import datetime

import strawberry
from strawberry import relay

from domain.goals import reflections, service
from domain.goals.models import Goal as GoalRow
from domain.goals.models import Reflection as ReflectionRow
from domain.idempotency.service import rows_of
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.goals.types import Goal, GoalProgress, GoalStatus, Milestone, Reflection, readable_goal
from schema.idempotency import IdempotentInput, run_once
from schema.people.mutations import given_fields
from schema.relay_ids import decode_id


def _optional_id(global_id: relay.GlobalID | None, type_name: str, *, field: str) -> int | None:
    return None if global_id is None else decode_id(global_id, type_name, field=field)


@strawberry.input
class CreateGoalInput(IdempotentInput):
    title: str
    description: str | None = None
    success_criteria: str | None = None
    target_date: datetime.date | None = None
    relationship_id: relay.GlobalID | None = strawberry.field(
        default=None,
        description="Set the goal inside a relationship you are a member of; leave out for a personal goal.",
    )


@strawberry.input(description="Fields left out stay as they are.")
class UpdateGoalInput:
    goal_id: relay.GlobalID
    title: str | None = strawberry.UNSET
    description: str | None = strawberry.UNSET
    success_criteria: str | None = strawberry.UNSET
    target_date: datetime.date | None = strawberry.UNSET
    status: GoalStatus | None = strawberry.field(
        default=strawberry.UNSET,
        description="NOT_STARTED -> IN_PROGRESS -> ACHIEVED or DROPPED; NOT_STARTED may be dropped; "
        "ACHIEVED and DROPPED reopen to IN_PROGRESS.",
    )


@strawberry.input
class AddMilestoneInput:
    goal_id: relay.GlobalID
    title: str
    due_on: datetime.date | None = strawberry.field(
        default=None, description="Inside a relationship, no later than its agreement's end."
    )


@strawberry.input
class CompleteMilestoneInput:
    milestone_id: relay.GlobalID


@strawberry.input
class RecordGoalProgressInput:
    goal_id: relay.GlobalID
    percent: int = strawberry.field(description="0 to 100.")
    note: str | None = None


@strawberry.input
class WriteReflectionInput(IdempotentInput):
    body: str
    relationship_id: relay.GlobalID | None = strawberry.field(
        default=None, description="Leave out for a personal reflection."
    )
    meeting_id: relay.GlobalID | None = strawberry.field(
        default=None, description="The meeting it follows; needs the meeting's relationship."
    )


@strawberry.input
class ShareReflectionInput:
    reflection_id: relay.GlobalID


@strawberry.type
class GoalPayload:
    goal: Goal


@strawberry.type
class MilestonePayload:
    milestone: Milestone

    @strawberry.field
    async def goal(self, info: Info) -> Goal | None:
        return await readable_goal(info, self.milestone.goal_id)


@strawberry.type
class RecordGoalProgressPayload:
    progress: GoalProgress
    goal_key: strawberry.Private[int]

    @strawberry.field
    async def goal(self, info: Info) -> Goal | None:
        return await readable_goal(info, self.goal_key)


@strawberry.type
class ReflectionPayload:
    reflection: Reflection


# One union per mutation, so each can grow its own payload or errors without touching the others.
CreateGoalResult = result_union("CreateGoalResult", GoalPayload)
UpdateGoalResult = result_union("UpdateGoalResult", GoalPayload)
AddMilestoneResult = result_union("AddMilestoneResult", MilestonePayload)
CompleteMilestoneResult = result_union("CompleteMilestoneResult", MilestonePayload)
RecordGoalProgressResult = result_union("RecordGoalProgressResult", RecordGoalProgressPayload)
WriteReflectionResult = result_union("WriteReflectionResult", ReflectionPayload)
ShareReflectionResult = result_union("ShareReflectionResult", ReflectionPayload)


def _goal_payload(row) -> GoalPayload:
    return GoalPayload(goal=Goal.from_model(row))


def _milestone_payload(row) -> MilestonePayload:
    return MilestonePayload(milestone=Milestone.from_model(row))


def _reflection_payload(row) -> ReflectionPayload:
    return ReflectionPayload(reflection=Reflection.from_model(row))


@strawberry.type
class GoalMutations:
    @strawberry.mutation(description="A goal you own: personal, or in a relationship you are a member of.")
    async def create_goal(self, info: Info, input: CreateGoalInput) -> CreateGoalResult:
        async def action():
            return await service.create_goal(
                info.context.viewer,
                title=input.title,
                description=input.description,
                success_criteria=input.success_criteria,
                target_date=input.target_date,
                relationship_id=_optional_id(input.relationship_id, "Relationship", field="relationship_id"),
            )

        return await run_once(info, input, action, _goal_payload, codec=rows_of(GoalRow))

    @strawberry.mutation(description="The owner changes the goal's texts, target date or status.")
    async def update_goal(self, info: Info, input: UpdateGoalInput) -> UpdateGoalResult:
        async def action():
            changes = given_fields(input)
            goal_id = decode_id(changes.pop("goal_id"), "Goal", field="goal_id")
            return await service.update_goal(info.context.viewer, goal_id=goal_id, changes=changes)

        return await run_mutation(action, _goal_payload)

    @strawberry.mutation(description="The owner or a relationship member adds a step towards the goal.")
    async def add_milestone(self, info: Info, input: AddMilestoneInput) -> AddMilestoneResult:
        async def action():
            return await service.add_milestone(
                info.context.viewer,
                goal_id=decode_id(input.goal_id, "Goal", field="goal_id"),
                title=input.title,
                due_on=input.due_on,
            )

        return await run_mutation(action, _milestone_payload)

    @strawberry.mutation(description="Marks a milestone done; the goal's status stays the owner's call.")
    async def complete_milestone(self, info: Info, input: CompleteMilestoneInput) -> CompleteMilestoneResult:
        async def action():
            milestone_id = decode_id(input.milestone_id, "Milestone", field="milestone_id")
            return await service.complete_milestone(info.context.viewer, milestone_id=milestone_id)

        return await run_mutation(action, _milestone_payload)

    @strawberry.mutation(description="The owner or a relationship member notes progress (a NOT_STARTED goal starts).")
    async def record_goal_progress(self, info: Info, input: RecordGoalProgressInput) -> RecordGoalProgressResult:
        async def action():
            return await service.record_progress(
                info.context.viewer,
                goal_id=decode_id(input.goal_id, "Goal", field="goal_id"),
                note=input.note,
                percent=input.percent,
            )

        return await run_mutation(
            action, lambda row: RecordGoalProgressPayload(progress=GoalProgress.from_model(row), goal_key=row.goal_id)
        )

    @strawberry.mutation(description="A reflection only you read until you share it.")
    async def write_reflection(self, info: Info, input: WriteReflectionInput) -> WriteReflectionResult:
        async def action():
            return await reflections.write_reflection(
                info.context.viewer,
                body=input.body,
                relationship_id=_optional_id(input.relationship_id, "Relationship", field="relationship_id"),
                meeting_id=_optional_id(input.meeting_id, "Meeting", field="meeting_id"),
            )

        return await run_once(info, input, action, _reflection_payload, codec=rows_of(ReflectionRow))

    @strawberry.mutation(description="Shares your reflection with the relationship's members (never coordinators).")
    async def share_reflection(self, info: Info, input: ShareReflectionInput) -> ShareReflectionResult:
        async def action():
            reflection_id = decode_id(input.reflection_id, "Reflection", field="reflection_id")
            return await reflections.share_reflection(info.context.viewer, reflection_id=reflection_id)

        return await run_mutation(action, _reflection_payload)
