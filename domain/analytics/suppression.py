"""The one rule for showing numbers about people: no group smaller than five, directly or by subtraction.

- A group of 1 to 4 people is suppressed (primary suppression).
- When the suppressed groups of a breakdown add up to fewer than five, the total minus the shown groups
  would give them away, so the smallest shown groups are suppressed too (complementary suppression).
- Differencing across periods: figures are built from month blocks, and a period is answered only when
  every month in it holds no one or at least five people. Any two answers then differ by whole blocks of
  five or more, so subtracting one overlapping period from another never isolates a person.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from typing import TypeVar

MIN_GROUP = 5

K = TypeVar("K", bound=Hashable)


def is_small(count: int) -> bool:
    """1 to 4: too few to show; zero reveals nobody."""
    return 0 < count < MIN_GROUP


def suppressed_groups(sizes: Mapping[K, int]) -> set[K]:
    """The groups of one breakdown to hide, primary and complementary."""
    hidden = {key for key, size in sizes.items() if is_small(size)}
    hidden_total = sum(sizes[key] for key in hidden)
    if hidden and hidden_total < MIN_GROUP:
        # Smallest first, ties by name, so the same data always hides the same groups.
        shown = sorted(
            (key for key, size in sizes.items() if key not in hidden and size), key=lambda k: (sizes[k], str(k))
        )
        for key in shown:
            hidden.add(key)
            hidden_total += sizes[key]
            if hidden_total >= MIN_GROUP:
                break
    return hidden


def blocks_are_safe(block_sizes: Iterable[int]) -> bool:
    """Whether every block (a month of a period) holds no one or at least five: the differencing defence."""
    return not any(is_small(size) for size in block_sizes)


def shown_total(count: int) -> bool:
    return not is_small(count)
