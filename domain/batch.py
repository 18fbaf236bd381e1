"""Batched reads that DataLoaders call: one query for many keys, results in the keys' order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)


async def by_ids(model: type[M], ids: Sequence[int]) -> list[M | None]:
    rows = await model.filter(id__in=list(set(ids)))
    found = {row.id: row for row in rows}
    return [found.get(key) for key in ids]


async def grouped_by(model: type[M], column: str, keys: Sequence[int], **filters) -> list[list[M]]:
    """Rows whose `column` (e.g. "person_id") is in keys, grouped per key, in the model's default order."""
    rows = await model.filter(**{f"{column}__in": list(set(keys))}, **filters)
    groups: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, column)].append(row)
    return [groups.get(key, []) for key in keys]
