"""Person-level lists that only their owner reads: `Person.goals` and `Person.reflections`."""

from __future__ import annotations

from domain.goals import models
from schema.context import Info
from schema.goals.types import Goal, Reflection


async def goals_of_person(info: Info, person_id: int) -> list[Goal] | None:
    """Every goal the person owns, personal or in a relationship; null unless the viewer is that person."""
    if not info.context.viewer.is_person(person_id):
        return None
    rows = await info.context.loaders.children(models.Goal, "owner_id").load(person_id)
    return [Goal.from_model(row) for row in rows]


async def reflections_of_person(info: Info, person_id: int) -> list[Reflection] | None:
    """Every reflection the person wrote, shared or not; null unless the viewer is that person."""
    if not info.context.viewer.is_person(person_id):
        return None
    rows = await info.context.loaders.children(models.Reflection, "author_id").load(person_id)
    return [Reflection.from_model(row) for row in rows]
