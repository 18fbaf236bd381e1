"""When to try a failed key again: exponential backoff with full jitter, or what the provider asked for."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    base: timedelta = timedelta(seconds=2)
    cap: timedelta = timedelta(minutes=15)

    def delay(self, attempts: int, *, retry_after: float | None = None, rng: random.Random | None = None) -> timedelta:
        """The wait after the `attempts`-th failure; a Retry-After (fractional on Graph) is honoured as a floor."""
        ceiling = min(self.cap.total_seconds(), self.base.total_seconds() * 2 ** max(attempts - 1, 0))
        # Full jitter: uniform over [0, ceiling], so workers that failed together do not retry together.
        jittered = (rng or random).uniform(0, ceiling)
        if retry_after is not None:
            return timedelta(seconds=max(retry_after, jittered))
        return timedelta(seconds=jittered)
