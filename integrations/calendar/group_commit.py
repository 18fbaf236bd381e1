"""Group commit for the worker's bookkeeping writes: items that arrive while one commit is under way wait for it
and go together in the next, one transaction (and a fixed number of statements) for the lot, with no timer (a
lone item commits at once). Each caller learns whether its own item was recorded.

The worker keeps two: the ids its creates are about to use (committed before each create leaves), and the
synced outcomes with their outbox bookkeeping."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Collection, Hashable
from datetime import datetime
from typing import Generic, TypeVar

Item = TypeVar("Item")


def _itself(item) -> Hashable:
    return item


class GroupCommit(Generic[Item]):
    def __init__(
        self,
        commit: Callable[[list[Item], datetime], Awaitable[Collection[Hashable]]],
        clock: Callable[[], datetime],
        *,
        key: Callable[[Item], Hashable] = _itself,
    ) -> None:
        """`commit` records a batch and returns the keys (`key(item)`) of the items it refused to record."""
        self._commit = commit
        self._clock = clock
        self._key = key
        self._waiting: list[tuple[Item, asyncio.Future]] = []
        self._committing: asyncio.Task | None = None

    async def record(self, item: Item) -> bool:
        """True once the item is committed; False when the commit refused it (nothing recorded for it)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((item, future))
        if self._committing is None:
            self._committing = asyncio.create_task(self._commit_all())
        return await asyncio.shield(future)

    async def _commit_all(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    refused = await self._commit([item for item, _ in batch], self._clock())
                except Exception as error:  # noqa: BLE001 - each caller logs it; their leases then run out
                    for _, future in batch:
                        future.set_exception(error)
                    continue
                for item, future in batch:
                    future.set_result(self._key(item) not in refused)
        finally:
            self._committing = None
