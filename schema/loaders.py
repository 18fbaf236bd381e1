"""DataLoaders, created per request so nothing leaks between viewers. Every list field goes through one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from domain import batch


class BatchLoader(DataLoader):
    """A DataLoader whose load_many asks once per distinct key.

    Callers pass one key per row they hold (a relationship id per meeting, say), so a list of 36 meetings in
    3 relationships would otherwise make 36 futures and gather them for 3 answers.
    """

    def load_many(self, keys: Iterable[Any]) -> Awaitable[list[Any]]:
        keys = list(keys)
        distinct = list(dict.fromkeys(keys))
        if len(distinct) == len(keys):
            return super().load_many(keys)
        answers = super().load_many(distinct)

        async def each_key() -> list[Any]:
            found = dict(zip(distinct, await answers, strict=True))
            return [found[key] for key in keys]

        return each_key()


class Loaders:
    """Lazily builds one DataLoader per (model, relation) the request actually touches."""

    def __init__(self) -> None:
        self._loaders: dict[tuple, DataLoader] = {}

    def _get(self, key: tuple, load_fn: Callable[[Sequence[Any]], Awaitable[list]]) -> DataLoader:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = BatchLoader(load_fn=load_fn)
        return loader

    async def whole_level(self, loader: DataLoader, keys: Sequence[Any]) -> list[Any]:
        """What `loader.load_many(keys)` answers, for a page plan that asks for a whole level at once.

        The plan holds every key of the level, so there is nothing to batch: keys the loader has answered
        come from its cache, and the batch function runs once for the rest, whose answers are primed into
        the cache for any resolver that asks later. No future is made and gathered per key.
        """
        found: dict[Any, Any] = {}
        missing = []
        for key in dict.fromkeys(keys):
            cached = loader.cache_map.get(key)
            if cached is not None and cached.done() and not cached.cancelled() and cached.exception() is None:
                found[key] = cached.result()
            else:
                missing.append(key)  # also a key still in flight: asked again, which answers the same
        if missing:
            answers = dict(zip(missing, await loader.load_fn(missing), strict=True))
            loader.prime_many(answers)
            found.update(answers)
        return [found[key] for key in keys]

    def by_id(self, model: type[Model]) -> DataLoader:
        """Loads rows of `model` by primary key (None where missing)."""
        return self._get(("id", model), lambda ids: batch.by_ids(model, ids))

    def children(self, model: type[Model], column: str, **filters) -> DataLoader:
        """Loads, per parent key, the rows of `model` whose `column` points at it."""
        key = ("children", model, column, tuple(sorted(filters.items())))
        return self._get(key, lambda keys: batch.grouped_by(model, column, keys, **filters))

    def custom(self, name: str, load_fn: Callable[[Sequence[Any]], Awaitable[list]]) -> DataLoader:
        """A loader for a batch query of the domain's own (e.g. a join), keyed by `name`."""
        return self._get(("custom", name), load_fn)
