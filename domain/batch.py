"""Batched reads that DataLoaders call: one query for many keys, results in the keys' order."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# PostgreSQL's protocol (and so asyncpg) carries at most 32,767 parameters in one statement: a longer IN list
# (a 40,000-row import's emails) is asked in slices.
KEYS_PER_QUERY = 10_000

# Primary keys are 32-bit INTEGER columns counting up from 1 on both engines. A number outside that names no
# row, and PostgreSQL refuses to compare a column with it, so such a key is answered as missing without asking.
MAX_KEY = 2**31 - 1


def slices(keys: Sequence[T], size: int = KEYS_PER_QUERY) -> Iterator[Sequence[T]]:
    """`keys` in consecutive slices of at most `size`, for IN lists that must stay under the parameter limit."""
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def is_storable_key(key: int) -> bool:
    return 1 <= key <= MAX_KEY


async def by_ids(model: type[M], ids: Sequence[int]) -> list[M | None]:
    rows = await model.filter(id__in=[key for key in set(ids) if is_storable_key(key)])
    found = {row.id: row for row in rows}
    return [found.get(key) for key in ids]


async def grouped_by(model: type[M], column: str, keys: Sequence[int], **filters) -> list[list[M]]:
    """Rows whose `column` (e.g. "person_id") is in keys, grouped per key, in the model's default order."""
    rows = await model.filter(**{f"{column}__in": list(set(keys))}, **filters)
    groups: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, column)].append(row)
    return [groups.get(key, []) for key in keys]
