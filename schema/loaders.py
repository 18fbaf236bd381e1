"""DataLoaders, created per request so nothing leaks between viewers. Every list field goes through one."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from strawberry.dataloader import DataLoader
from tortoise.models import Model

from domain import batch


class Loaders:
    """Lazily builds one DataLoader per (model, relation) the request actually touches."""

    def __init__(self) -> None:
        self._loaders: dict[tuple, DataLoader] = {}

    def _get(self, key: tuple, load_fn: Callable[[Sequence[Any]], Awaitable[list]]) -> DataLoader:
        loader = self._loaders.get(key)
        if loader is None:
            loader = self._loaders[key] = DataLoader(load_fn=load_fn)
        return loader

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
