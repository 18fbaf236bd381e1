"""PEER_CIRCLE: partition approved peers into circles that share working hours and mix departments.

Each circle scores its shared hours (the half hours every member works, over the shortest member's
week) and its department mix (distinct departments over its size, so small circles earn no advantage),
in the proportion of the run's working-hours and cross-department weights. The approach: order people
by their UTC working window, deal departments round-robin inside each window, cut into circles, then
improve by swapping members between nearby circles. The result is reported against an upper bound:
every circle at full overlap and the best mix its size allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from domain.errors import ValidationFailed
from domain.matching.profiles import Weights

MIN_CIRCLE, MAX_CIRCLE = 4, 6  # the relationships rule: a circle has 4 to 6 peers
_PASSES = 3
_PERFECT = 1.0 - 1e-9
_NEIGHBOURS = 3  # circles ahead of each circle that the local search exchanges members with


@dataclass(frozen=True)
class Peer:
    person_id: int
    department: str | None
    week: int  # UTC half-hour bitmask of the reference week (working_week.week_mask)


@dataclass(frozen=True)
class CircleWeights:
    """The shares of shared working hours and of department mix in a circle's score (they sum to 1)."""

    working_hours: float
    department_mix: float

    @classmethod
    def of(cls, weights: Weights) -> CircleWeights:
        """From a run's weights: its working-hours and cross-department weights, the two a circle can use."""
        total = weights.working_hours + weights.cross_department
        if total == 0:
            raise ValidationFailed(
                "A circle is scored on shared working hours and department mix: weights.workingHours or "
                "weights.crossDepartment must be above 0.",
                field="weights",
            )
        return cls(weights.working_hours / total, weights.cross_department / total)


DEFAULT_WEIGHTS = CircleWeights.of(Weights())


@dataclass
class CirclePlan:
    circles: list[list[int]]  # person ids, each circle sorted
    unplaced: list[int]
    objective: float
    upper_bound: float

    @property
    def ratio(self) -> float:
        return self.objective / self.upper_bound if self.upper_bound else 1.0


def circle_sizes(n: int, size: int) -> list[int]:
    """As many circles of `size` as fit, leftovers spread one each, never past MAX_CIRCLE.

    Fewer than MIN_CIRCLE people make no circle; seven make one of six (no split of seven fits 4 to 6),
    the only case where someone is left over.
    """
    if n < MIN_CIRCLE:
        return []
    count = max(1, n // size, -(-n // MAX_CIRCLE))
    if n // count < MIN_CIRCLE:
        return [MAX_CIRCLE]
    base, extra = divmod(n, count)
    return [base + 1] * extra + [base] * (count - extra)


def circle_parts(members: Sequence[Peer]) -> tuple[float, float]:
    """(shared hours, department mix), each in [0, 1]: what a circle's score weighs and its breakdown shows."""
    shared = members[0].week
    shortest = members[0].week.bit_count()
    for peer in members[1:]:
        shared &= peer.week
        shortest = min(shortest, peer.week.bit_count())
    hours = shared.bit_count() / shortest if shortest else 0.0
    departments = len({peer.department for peer in members if peer.department is not None})
    return hours, departments / len(members)


def circle_score(
    members: Sequence[Peer],
    conflicts: frozenset[tuple[int, int]] = frozenset(),
    weights: CircleWeights = DEFAULT_WEIGHTS,
) -> float:
    """In [0, 1]; a circle holding a pair that may not be together (manager and report, a block) scores -1
    per such pair, so the search always moves them apart first."""
    clashes = _clashes(members, conflicts)
    if clashes:
        return -float(clashes)
    hours, mix = circle_parts(members)
    return weights.working_hours * hours + weights.department_mix * mix


def _clashes(members: Sequence[Peer], conflicts: frozenset[tuple[int, int]]) -> int:
    if not conflicts:
        return 0
    ids = [peer.person_id for peer in members]
    return sum((a, b) in conflicts or (b, a) in conflicts for k, a in enumerate(ids) for b in ids[k + 1 :])


def _bound(sizes: Sequence[int], departments: int, weights: CircleWeights) -> float:
    return sum(weights.working_hours + weights.department_mix * min(1.0, departments / size) for size in sizes)


def _window_key(week: int) -> tuple[int, int, int]:
    return _first_slot(week), week.bit_count(), week


def _round_robin(queues: list[list[Peer]]) -> list[Peer]:
    """One from each queue in turn, longest queues first, until all are empty."""
    queues = sorted((queue[:] for queue in queues if queue), key=len, reverse=True)
    ordered: list[Peer] = []
    while queues:
        ordered.extend(queue.pop(0) for queue in queues)
        queues = [queue for queue in queues if queue]
    return ordered


def _by_window(peers: Sequence[Peer]) -> list[Peer]:
    """Peers ordered by working window, departments dealt round-robin inside each window: circles that
    share their hours first."""
    windows: dict[int, list[Peer]] = defaultdict(list)
    for peer in sorted(peers, key=lambda p: p.person_id):
        windows[peer.week].append(peer)
    ordered: list[Peer] = []
    for week in sorted(windows, key=_window_key):
        by_department: dict[str | None, list[Peer]] = defaultdict(list)
        for peer in windows[week]:
            by_department[peer.department].append(peer)
        ordered += _round_robin(list(by_department.values()))
    return ordered


def _by_department(peers: Sequence[Peer]) -> list[Peer]:
    """Departments dealt round-robin across everyone, each department in window order: circles that mix
    departments first, as near in hours as the mix allows."""
    by_department: dict[str | None, list[Peer]] = defaultdict(list)
    for peer in sorted(peers, key=lambda p: (_window_key(p.week), p.person_id)):
        by_department[peer.department].append(peer)
    return _round_robin([by_department[d] for d in sorted(by_department, key=lambda d: (d is None, d or ""))])


def _first_slot(week: int) -> int:
    return (week & -week).bit_length() if week else 1 << 20


def plan_circles(
    peers: Sequence[Peer],
    size: int,
    conflicts: frozenset[tuple[int, int]] = frozenset(),
    weights: CircleWeights = DEFAULT_WEIGHTS,
) -> CirclePlan:
    """Deterministic for the same peers (ties by person id). `conflicts` are person-id pairs that may never
    share a circle; a circle the search could not clear of one is not proposed, its members left unplaced."""
    sizes = circle_sizes(len(peers), size)
    if not sizes:
        return CirclePlan([], sorted(p.person_id for p in peers), 0.0, 0.0)
    # Swaps of one member at a time cannot turn circles that share hours into circles that mix departments
    # (each single swap loses hours before the mix pays), so the weights choose where the search starts:
    # from whichever dealing scores better as first cut. Searching from both cost twenty times as long.
    starts = [_cut(order(peers), sizes) for order in (_by_window, _by_department)]
    circles, left_over = max(starts, key=lambda start: sum(circle_score(c, conflicts, weights) for c in start[0]))
    scores = [circle_score(circle, conflicts, weights) for circle in circles]
    for _ in range(_PASSES):
        if not _improve(circles, scores, conflicts, weights):
            break
    broken = [circle for circle, score in zip(circles, scores, strict=True) if score < 0]
    left_over = left_over + [peer for circle in broken for peer in circle]
    kept = [(circle, score) for circle, score in zip(circles, scores, strict=True) if score >= 0]
    circles, scores = [circle for circle, _ in kept], [score for _, score in kept]
    sizes = [len(circle) for circle in circles]
    departments = len({p.department for p in peers if p.department is not None})
    return CirclePlan(
        circles=sorted(sorted(p.person_id for p in circle) for circle in circles),
        unplaced=sorted(p.person_id for p in left_over),
        objective=sum(scores),
        upper_bound=_bound(sizes, departments, weights),
    )


def _cut(ordered: list[Peer], sizes: list[int]) -> tuple[list[list[Peer]], list[Peer]]:
    """The ordered peers cut into circles of the given sizes, and whoever is left after the last."""
    circles: list[list[Peer]] = []
    start = 0
    for circle_size in sizes:
        circles.append(ordered[start : start + circle_size])
        start += circle_size
    return circles, ordered[start:]


def _improve(
    circles: list[list[Peer]], scores: list[float], conflicts: frozenset[tuple[int, int]], weights: CircleWeights
) -> bool:
    """One pass of first-improvement swaps between each circle and the next few; True if anything moved."""
    moved = False
    for i in range(len(circles)):
        for j in range(i + 1, min(i + 1 + _NEIGHBOURS, len(circles))):
            if scores[i] >= _PERFECT and scores[j] >= _PERFECT:
                continue  # two perfect circles cannot do better by trading
            a, b = circles[i], circles[j]
            for x in range(len(a)):
                for y in range(len(b)):
                    a[x], b[y] = b[y], a[x]
                    new_a, new_b = circle_score(a, conflicts, weights), circle_score(b, conflicts, weights)
                    if new_a + new_b > scores[i] + scores[j] + 1e-9:
                        scores[i], scores[j] = new_a, new_b
                        moved = True
                    else:
                        a[x], b[y] = b[y], a[x]
    return moved
