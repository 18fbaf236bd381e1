"""Group commit for the worker's synced outcomes: meetings that finish while one commit is under way wait for
it and go together in the next, one transaction and four outbox statements for the lot, with no timer (a lone
outcome commits at once). Each caller learns whether its own outcome was recorded."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import datetime

from domain.calendar.jobs import SyncJob
from domain.calendar.ports import WrittenEvent
from domain.outbox.service import Claim

Outcome = tuple[SyncJob, WrittenEvent, Claim]


class GroupCommit:
    def __init__(self, commit: Callable[[list[Outcome], datetime], Awaitable[set[Claim]]], clock) -> None:
        self._commit = commit
        self._clock = clock
        self._waiting: list[tuple[Outcome, asyncio.Future]] = []
        self._committing: asyncio.Task | None = None

    async def record(self, outcome: Outcome) -> bool:
        """True once the outcome is committed; False when its lease was lost (nothing recorded)."""
        future = asyncio.get_running_loop().create_future()
        self._waiting.append((outcome, future))
        if self._committing is None:
            self._committing = asyncio.create_task(self._commit_all())
        return await asyncio.shield(future)

    async def _commit_all(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting, []
                try:
                    lost = await self._commit([outcome for outcome, _ in batch], self._clock())
                except Exception as error:  # noqa: BLE001 - each caller logs it; their leases then run out
                    for _, future in batch:
                        future.set_exception(error)
                    continue
                for (_, _, claim), future in batch:
                    future.set_result(claim not in lost)
        finally:
            self._committing = None
