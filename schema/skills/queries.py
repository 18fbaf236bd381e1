"""Queries: skills."""

from __future__ import annotations

import strawberry

from domain.skills.taxonomy import search_skills
from schema.context import Info
from schema.pagination import Connection, paginate
from schema.skills.types import Skill


@strawberry.input
class SkillFilter:
    search: str | None = strawberry.field(default=None, description="Part of a name or alias.")
    category: str | None = None


@strawberry.type
class SkillQueries:
    @strawberry.field
    async def skills(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        filter: SkillFilter | None = None,
    ) -> Connection[Skill]:
        f = filter or SkillFilter()
        return await paginate(
            search_skills(text=f.search, category=f.category),
            first=first,
            after=after,
            convert=Skill.from_model,
        )
