"""The skill taxonomy (one skill, many aliases) and what each person teaches or wants to learn."""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class SkillDirection(str, Enum):
    TEACH = "TEACH"
    LEARN = "LEARN"


class Skill(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100, unique=True)
    # The normalised key every lookup goes through: lower case, single spaces.
    slug = fields.CharField(max_length=100, unique=True)
    category = fields.CharField(max_length=100, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "skill"
        ordering = ("name",)


class SkillAlias(Model):
    id = fields.IntField(primary_key=True)
    skill: fields.ForeignKeyRelation[Skill] = fields.ForeignKeyField(
        "models.Skill", related_name="aliases", on_delete=fields.CASCADE
    )
    slug = fields.CharField(max_length=100, unique=True)

    class Meta:
        table = "skill_alias"


class PersonSkill(Model):
    id = fields.IntField(primary_key=True)
    person = fields.ForeignKeyField("models.Person", related_name="skills", on_delete=fields.CASCADE)
    # RESTRICT: a skill in use is merged or aliased, never deleted from under people.
    skill: fields.ForeignKeyRelation[Skill] = fields.ForeignKeyField(
        "models.Skill", related_name="holders", on_delete=fields.RESTRICT
    )
    direction = fields.CharEnumField(SkillDirection, max_length=8)
    proficiency = fields.SmallIntField(description="1 (beginner) to 5 (expert)")

    class Meta:
        table = "person_skill"
        unique_together = (("person", "skill", "direction"),)
