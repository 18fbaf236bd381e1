"""Exact search for the series plan minimising (largest cumulative cost, total cost).

Min-max over sums is NP-hard in general, so exactness comes from a dynamic programme that keeps only
non-dominated ledgers and prunes every ledger whose lower bound already exceeds a known plan:

* upper bound: a greedy plan that looks ahead with the lower bound, then improved by local search;
* lower bound on the final largest ledger, for a group S of people: nobody in S can end below the
  average of what S already carries plus the least S must still carry together. Singletons give the
  per-person bound, "everyone" gives the average bound; all groups are used for small circles.

A state budget keeps the worst case bounded: when a stage would hold more than MAX_STATES ledgers the
search stops and the best plan found (the upper bound) is returned, marked as not proven optimal.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations

Ledger = tuple[int, ...]
Front = dict[Ledger, list[tuple[Ledger, int]]]

MAX_STATES = 3_000


def add(ledger: Ledger, vector: Ledger) -> Ledger:
    return tuple([a + b for a, b in zip(ledger, vector, strict=True)])


def score(ledger: Ledger) -> tuple[int, int]:
    return max(ledger), sum(ledger)


def pareto_front(vectors: Sequence[Ledger]) -> list[Ledger]:
    """Drop vectors another vector beats or equals everywhere; a dominator always has a smaller sum.

    Vectors are packed into one integer with a guard bit above each field, so "u <= v in every field"
    is one subtraction and one mask: ((V | guards) - U) & guards == guards (no borrow crosses a field).
    """
    unique = sorted(set(vectors), key=sum)
    if not unique:
        return []
    width = max(max(vector) for vector in unique).bit_length() + 1
    guards = sum(1 << (field * width + width - 1) for field in range(len(unique[0])))

    def pack(vector: Ledger) -> int:
        return sum(value << (field * width) for field, value in enumerate(vector))

    kept: list[Ledger] = []
    packed_kept: list[int] = []
    for vector in unique:
        packed = pack(vector) | guards
        if not any((packed - other) & guards == guards for other in packed_kept):
            kept.append(vector)
            packed_kept.append(pack(vector))
    return kept


class _Bounds:
    """Lower bounds on the final (largest, total) ledger from any ledger after a given stage."""

    def __init__(self, options: list[list[Ledger]], size: int) -> None:
        people = range(size)
        if size <= 6:
            groups = [g for k in range(1, size + 1) for g in combinations(people, k)]
        else:
            groups = [*combinations(people, 1), *combinations(people, 2), tuple(people)]
        self.groups = groups
        self.sizes = [len(group) for group in groups]
        # still_owed[stage][g]: the least group g must still carry from ``stage`` on.
        owed = [0] * len(groups)
        self.still_owed: list[list[int]] = [owed]
        for vectors in reversed(options):
            owed = [o + min(sum(v[p] for p in group) for v in vectors) for o, group in zip(owed, groups, strict=True)]
            self.still_owed.append(owed)
        self.still_owed.reverse()

    def floor(self, stage: int, ledger: Ledger) -> tuple[int, int]:
        """Lower bound on (final largest, final total) for ``ledger`` reached before ``stage``."""
        owed = self.still_owed[stage]
        largest = 0
        for group, size, more in zip(self.groups, self.sizes, owed, strict=True):
            carried = sum(ledger[p] for p in group) + more
            bound = -(-carried // size)
            if bound > largest:
                largest = bound
        return largest, sum(ledger) + owed[-1]  # the last group is everyone


def _subtract(ledger: Ledger, vector: Ledger) -> Ledger:
    return tuple([a - b for a, b in zip(ledger, vector, strict=True)])


def upper_bound(options: list[list[Ledger]], size: int, bounds: _Bounds) -> tuple[tuple[int, int], list[int]]:
    """A good feasible plan: bound-guided greedy, then single-occurrence swaps while they improve it."""
    ledger: Ledger = (0,) * size
    path: list[int] = []
    for stage, vectors in enumerate(options):
        index = min(
            range(len(vectors)),
            key=lambda i, v=vectors, s=stage: (
                bounds.floor(s + 1, add(ledger, v[i])),
                score(add(ledger, v[i])),
            ),
        )
        path.append(index)
        ledger = add(ledger, vectors[index])
    best = score(ledger)
    improved = True
    while improved:
        improved = False
        for stage, vectors in enumerate(options):
            without = _subtract(ledger, vectors[path[stage]])
            index = min(range(len(vectors)), key=lambda i, v=vectors, w=without: score(add(w, v[i])))
            if score(add(without, vectors[index])) < best:
                path[stage], ledger = index, add(without, vectors[index])
                best, improved = score(ledger), True
    return best, path


def search_fronts(options: list[list[Ledger]], size: int) -> tuple[list[Front] | None, list[int]]:
    """Stage fronts (ledger -> [(previous ledger, option index)]) of all optimal plans, or None past budget.

    Also returns the upper-bound plan, which is what callers use when the budget runs out.
    """
    bounds = _Bounds(options, size)
    best, fallback = upper_bound(options, size, bounds)
    fronts: list[Front] = [{(0,) * size: []}]
    for stage, vectors in enumerate(options):
        reached: Front = {}
        for ledger in fronts[-1]:
            if bounds.floor(stage, ledger) > best:
                continue
            for index, vector in enumerate(vectors):
                after = add(ledger, vector)
                if after in reached:
                    reached[after].append((ledger, index))
                elif bounds.floor(stage + 1, after) <= best:
                    reached[after] = [(ledger, index)]
            if len(reached) > MAX_STATES:
                return None, fallback
        survivors = pareto_front(list(reached))
        fronts.append({ledger: reached[ledger] for ledger in survivors})
    return fronts, fallback
