"""Provider limits the worker keeps to itself, so it does not learn them from 429s: a per-user request rate
(Google: 600 a minute per user) and a per-mailbox concurrency (Outlook: 4 requests at once)."""

from __future__ import annotations

import asyncio
import collections
import contextlib
import time


class RateLimiter:
    """At most `per_minute` requests per key in any sliding minute; callers wait their turn."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._sent: dict[str, collections.deque[float]] = collections.defaultdict(collections.deque)
        self._lock = asyncio.Lock()

    async def acquire(self, key: str) -> None:
        while True:
            async with self._lock:
                now = time.monotonic()
                sent = self._sent[key]
                while sent and now - sent[0] >= 60:
                    sent.popleft()
                if len(sent) < self.per_minute:
                    sent.append(now)
                    return
                wait = 60 - (now - sent[0])
            await asyncio.sleep(wait)


class ConcurrencyLimiter:
    """At most `limit` requests in flight per key."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._semaphores: dict[str, asyncio.Semaphore] = {}

    @contextlib.asynccontextmanager
    async def slot(self, key: str):
        semaphore = self._semaphores.setdefault(key, asyncio.Semaphore(self.limit))
        async with semaphore:
            yield
