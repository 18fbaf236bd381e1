"""A clock the calendar tests move by hand: the worker's "now" and its heartbeat's sleeps both follow it, so a
test can pass several lease periods in an instant and know exactly which renewals ran."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from domain.clock import utc_now


class FakeClock:
    def __init__(self) -> None:
        self.now = utc_now()
        self._sleepers: list[tuple[object, asyncio.Future]] = []
        self._sleeping = asyncio.Condition()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        """Moves time on; every sleep that has run its course wakes up (it runs when the test next awaits)."""
        self.now += timedelta(seconds=seconds)
        for wake_at, future in list(self._sleepers):
            if wake_at <= self.now:
                self._sleepers.remove((wake_at, future))
                if not future.done():
                    future.set_result(None)

    async def sleep(self, seconds: float) -> None:
        """asyncio.sleep on this clock: returns once the test has advanced it by `seconds`."""
        future = asyncio.get_running_loop().create_future()
        self._sleepers.append((self.now + timedelta(seconds=seconds), future))
        async with self._sleeping:
            self._sleeping.notify_all()
        try:
            await future
        finally:
            if (entry := next((s for s in self._sleepers if s[1] is future), None)) is not None:
                self._sleepers.remove(entry)

    async def until_sleeping(self, count: int = 1, *, within: float = 30) -> None:
        """Waits (in real time, bounded) until `count` sleeps are pending: the work before them has finished."""
        async with self._sleeping:
            await asyncio.wait_for(self._sleeping.wait_for(lambda: len(self._sleepers) >= count), within)
