"""Half-open interval arithmetic on integer microseconds: the engine that replaces minute-by-minute scans."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

Interval = tuple[int, int]


def merge(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorted union; overlapping or touching intervals fuse and empty ones vanish."""
    merged: list[Interval] = []
    for start, end in sorted(intervals):
        if end <= start:
            continue
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def intersect(left: list[Interval], right: list[Interval]) -> list[Interval]:
    """Intersection of two merged lists (two-pointer walk)."""
    result: list[Interval] = []
    i = j = 0
    while i < len(left) and j < len(right):
        start = max(left[i][0], right[j][0])
        end = min(left[i][1], right[j][1])
        if start < end:
            result.append((start, end))
        if left[i][1] < right[j][1]:
            i += 1
        else:
            j += 1
    return result


def subtract(base: list[Interval], removed: list[Interval]) -> list[Interval]:
    """``base`` minus ``removed``; both merged."""
    result: list[Interval] = []
    j = 0
    for start, end in base:
        cursor = start
        while j < len(removed) and removed[j][1] <= cursor:
            j += 1
        k = j
        while k < len(removed) and removed[k][0] < end:
            if removed[k][0] > cursor:
                result.append((cursor, removed[k][0]))
            cursor = max(cursor, removed[k][1])
            if cursor >= end:
                break
            k += 1
        if cursor < end:
            result.append((cursor, end))
    return result


def _first_on_grid(value: int, step: int) -> int:
    return -(-value // step) * step


def grid_starts(intervals: list[Interval], length: int, step: int) -> Iterator[int]:
    """Starts on the epoch-aligned ``step`` grid such that [start, start+length) fits inside one interval."""
    for start, end in intervals:
        yield from range(_first_on_grid(start, step), end - length + 1, step)


def count_grid_starts(intervals: list[Interval], length: int, step: int) -> int:
    total = 0
    for start, end in intervals:
        first = _first_on_grid(start, step)
        last = end - length
        if last >= first:
            total += (last - first) // step + 1
    return total
