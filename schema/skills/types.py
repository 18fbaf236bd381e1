"""GraphQL types for the skill taxonomy."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.skills import models
from schema.context import Info
from schema.enums import SkillDirection


@strawberry.type
class Skill(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    category: str | None

    @classmethod
    def from_model(cls, row: models.Skill) -> Skill:
        return cls(id=row.id, name=row.name, slug=row.slug, category=row.category)

    @strawberry.field(description="Other names that resolve to this skill.")
    async def aliases(self, info: Info) -> list[str]:
        rows = await info.context.loaders.children(models.SkillAlias, "skill_id").load(self.id)
        return [row.slug for row in rows]

    @classmethod
    async def resolve_nodes(cls, *, info: Info, node_ids, required: bool = False):
        rows = await info.context.loaders.by_id(models.Skill).load_many([int(i) for i in node_ids])
        return [cls.from_model(row) if row else None for row in rows]


@strawberry.type(description="A skill someone teaches or wants to learn, with their self-rated proficiency.")
class PersonSkill:
    direction: SkillDirection
    proficiency: int
    skill_id: strawberry.Private[int]

    @strawberry.field
    async def skill(self, info: Info) -> Skill:
        return Skill.from_model(await info.context.loaders.by_id(models.Skill).load(self.skill_id))
