"""The four-fifths rule: a group whose rate is under 80% of the best-off group's is flagged for review."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

FOUR_FIFTHS = 0.8

K = TypeVar("K", bound=Hashable)


def impact_ratios(
    rates: Mapping[K, float | None], *, lower_is_better: bool = False
) -> dict[K, tuple[float | None, bool]]:
    """Each group's (rate over the best-off group's, flagged below four fifths); None where a rate is unknown.

    When even the best-off group is at 0 every ratio is 1.0: no group fares worse than another. For a figure
    where less is better (days to a first meeting) the ratio is the best value over the group's, so a ratio
    under four fifths still means a group worse off by more than a fifth."""
    known = [value for value in rates.values() if value is not None]
    best = (min if lower_is_better else max)(known, default=None)
    ratios: dict[K, tuple[float | None, bool]] = {}
    for group, value in rates.items():
        if value is None or best is None:
            ratios[group] = (None, False)
            continue
        if value == best:
            ratio = 1.0  # also when the best is 0, so nothing divides by it
        elif lower_is_better:
            ratio = best / value
        else:
            ratio = value / best
        ratios[group] = (round(ratio, 4), ratio < FOUR_FIFTHS)
    return ratios
