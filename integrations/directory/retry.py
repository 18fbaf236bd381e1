"""One retry layer for directory reads: throttling (429 with Retry-After) and passing outages wait and retry.

A directory read is a GET, so retrying is always safe; the only question is how long to wait. The provider's
Retry-After wins (capped); without one, exponential backoff with jitter. Anything else fails the run, which
writes nothing, and the next run starts from the same cursor.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


class DirectoryUnavailable(Exception):
    """The directory kept failing (or refused us): the run stops with nothing written."""


class Throttled(Exception):
    """A retryable answer: `retry_after` seconds as the provider asked, or None to back off on our own."""

    def __init__(self, status: int, retry_after: float | None = None) -> None:
        super().__init__(f"HTTP {status}")
        self.status, self.retry_after = status, retry_after


@dataclass(frozen=True)
class RetryRule:
    attempts: int = 8
    base_seconds: float = 0.5
    cap_seconds: float = 60.0

    def wait(self, attempt: int, retry_after: float | None) -> float:
        if retry_after is not None:
            return min(max(retry_after, 0.0), self.cap_seconds)
        return min(self.cap_seconds, self.base_seconds * 2**attempt) * random.uniform(0.5, 1.0)


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After as seconds (Graph sends whole or fractional numbers); an HTTP date is treated as absent."""
    try:
        return float(value) if value else None
    except ValueError:
        return None


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    rule: RetryRule,
    what: str,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    for attempt in range(rule.attempts):
        try:
            return await call()
        except Throttled as throttled:
            if attempt == rule.attempts - 1:
                raise DirectoryUnavailable(f"{what}: still {throttled} after {rule.attempts} attempts") from None
            await sleep(rule.wait(attempt, throttled.retry_after))
    raise AssertionError("unreachable")
