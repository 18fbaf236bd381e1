"""Read queries over goals: counts by status, which coordinators may read where texts stay hidden."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.functions import Count

from domain.goals.models import Goal, GoalStatus


@dataclass(frozen=True)
class GoalCounts:
    not_started: int = 0
    in_progress: int = 0
    achieved: int = 0
    dropped: int = 0

    @property
    def total(self) -> int:
        return self.not_started + self.in_progress + self.achieved + self.dropped


async def goal_counts_by_relationship(relationship_ids: Sequence[int]) -> list[GoalCounts]:
    """One grouped query for many relationships, in the keys' order; no goal text leaves the database."""
    rows = (
        await Goal.filter(relationship_id__in=list(set(relationship_ids)))
        .annotate(count=Count("id"))
        .group_by("relationship_id", "status")
        .values("relationship_id", "status", "count")
    )
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["relationship_id"], {})[GoalStatus(row["status"]).value.lower()] = row["count"]
    return [GoalCounts(**counts.get(key, {})) for key in relationship_ids]
