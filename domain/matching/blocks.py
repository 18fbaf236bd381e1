"""Vectorised work over millions of pairs, a block at a time: temporaries stay at megabytes, not gigabytes.

A whole-array expression over a dense cohort's 14 million pairs allocates a fresh 100 MB array per step,
and the page faults of those allocations cost more than the arithmetic; blocks of a million are reused.
"""

from __future__ import annotations

from collections.abc import Iterator

BLOCK = 1 << 20


def blocks(n: int, size: int | None = None) -> Iterator[slice]:
    size = size or BLOCK
    for start in range(0, n, size):
        yield slice(start, start + size)
