"""The four-fifths rule: a group whose rate is under 80% of the best-off group's is flagged for review."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

FOUR_FIFTHS = 0.8

K = TypeVar("K", bound=Hashable)


def impact_ratios(rates: Mapping[K, float | None]) -> dict[K, tuple[float | None, bool]]:
    """Each group's (rate over the best-off group's, flagged below four fifths); None where a rate is unknown.

    When even the best-off group is at 0 every ratio is 1.0: no group fares worse than another."""
    best = max((value for value in rates.values() if value is not None), default=None)
    ratios: dict[K, tuple[float | None, bool]] = {}
    for group, value in rates.items():
        if value is None or best is None:
            ratios[group] = (None, False)
            continue
        ratio = value / best if best else 1.0
        ratios[group] = (round(ratio, 4), ratio < FOUR_FIFTHS)
    return ratios
