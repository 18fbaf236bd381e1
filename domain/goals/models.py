"""Goals with milestones and a progress history, and reflections (private unless shared)."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class GoalStatus(str, Enum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    ACHIEVED = "ACHIEVED"
    DROPPED = "DROPPED"


class Goal(Model):
    id = fields.IntField(primary_key=True)
    owner = fields.ForeignKeyField("models.Person", related_name="goals", on_delete=fields.RESTRICT)
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="goals", null=True, on_delete=fields.RESTRICT
    )
    title = fields.CharField(max_length=200)
    description = fields.TextField(default="")
    success_criteria = fields.TextField(default="")
    target_date = fields.DateField(null=True)
    status = fields.CharEnumField(GoalStatus, max_length=12, default=GoalStatus.NOT_STARTED, db_index=True)
    achieved_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "goal"
        ordering = ("id",)


class Milestone(Model):
    id = fields.IntField(primary_key=True)
    goal = fields.ForeignKeyField("models.Goal", related_name="milestones", on_delete=fields.RESTRICT)
    title = fields.CharField(max_length=200)
    due_on = fields.DateField(null=True)
    completed_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "milestone"
        ordering = ("due_on", "id")


class GoalProgress(Model):
    id = fields.IntField(primary_key=True)
    goal = fields.ForeignKeyField("models.Goal", related_name="progress_updates", on_delete=fields.RESTRICT)
    author = fields.ForeignKeyField("models.Person", related_name="goal_progress", on_delete=fields.RESTRICT)
    note = fields.TextField(default="")
    percent = fields.SmallIntField()
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "goal_progress"
        ordering = ("created_at", "id")


class Reflection(Model):
    """Private to its author until shared with the relationship; coordinators and analysts never read it."""

    id = fields.IntField(primary_key=True)
    author = fields.ForeignKeyField("models.Person", related_name="reflections", on_delete=fields.RESTRICT)
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="reflections", null=True, on_delete=fields.RESTRICT
    )
    # The meeting it follows, if any (it must belong to the same relationship).
    meeting = fields.ForeignKeyField("models.Meeting", related_name="reflections", null=True, on_delete=fields.RESTRICT)
    body = fields.TextField()
    shared_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "reflection"
        ordering = ("id",)
