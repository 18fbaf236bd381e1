"""PEER_CIRCLE: partition approved peers into circles that share working hours and mix departments.

Each circle scores half for its shared hours (the half hours every member works, over the shortest
member's week) and half for its department mix (distinct departments over its size, so small circles
earn no advantage). The approach: order people by their UTC working window, deal departments
round-robin inside each window, cut into circles, then improve by swapping members between nearby
circles. The result is reported against an upper bound: every circle at full overlap and the best mix
its size allows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

MIN_CIRCLE, MAX_CIRCLE = 4, 6  # the relationships rule: a circle has 4 to 6 peers
_PASSES = 3
_PERFECT = 1.0 - 1e-9
_NEIGHBOURS = 3  # circles ahead of each circle that the local search exchanges members with


@dataclass(frozen=True)
class Peer:
    person_id: int
    department: str | None
    week: int  # UTC half-hour bitmask of the reference week (working_week.week_mask)


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


def circle_score(members: Sequence[Peer], conflicts: frozenset[tuple[int, int]] = frozenset()) -> float:
    """In [0, 1]; a circle holding a pair that may not be together (manager and report, a block) scores -1
    per such pair, so the search always moves them apart first."""
    clashes = _clashes(members, conflicts)
    if clashes:
        return -float(clashes)
    shared = members[0].week
    shortest = members[0].week.bit_count()
    for peer in members[1:]:
        shared &= peer.week
        shortest = min(shortest, peer.week.bit_count())
    hours = shared.bit_count() / shortest if shortest else 0.0
    departments = len({peer.department for peer in members if peer.department is not None})
    return 0.5 * hours + 0.5 * departments / len(members)


def _clashes(members: Sequence[Peer], conflicts: frozenset[tuple[int, int]]) -> int:
    if not conflicts:
        return 0
    ids = [peer.person_id for peer in members]
    return sum((a, b) in conflicts or (b, a) in conflicts for k, a in enumerate(ids) for b in ids[k + 1 :])


def _bound(sizes: Sequence[int], departments: int) -> float:
    return sum(0.5 + 0.5 * min(1.0, departments / size) for size in sizes)


def _dealt(peers: Sequence[Peer]) -> list[Peer]:
    """Peers ordered by working window, departments dealt round-robin inside each window."""
    windows: dict[int, list[Peer]] = defaultdict(list)
    for peer in sorted(peers, key=lambda p: p.person_id):
        windows[peer.week].append(peer)
    ordered: list[Peer] = []
    for week in sorted(windows, key=lambda w: (_first_slot(w), w.bit_count(), w)):
        by_department: dict[str | None, list[Peer]] = defaultdict(list)
        for peer in windows[week]:
            by_department[peer.department].append(peer)
        queues = sorted(by_department.values(), key=len, reverse=True)
        while queues:
            ordered.extend(queue.pop(0) for queue in queues)
            queues = [queue for queue in queues if queue]
    return ordered


def _first_slot(week: int) -> int:
    return (week & -week).bit_length() if week else 1 << 20


def plan_circles(peers: Sequence[Peer], size: int, conflicts: frozenset[tuple[int, int]] = frozenset()) -> CirclePlan:
    """Deterministic for the same peers (ties by person id). `conflicts` are person-id pairs that may never
    share a circle; a circle the search could not clear of one is not proposed, its members left unplaced."""
    sizes = circle_sizes(len(peers), size)
    if not sizes:
        return CirclePlan([], sorted(p.person_id for p in peers), 0.0, 0.0)
    ordered = _dealt(peers)
    circles: list[list[Peer]] = []
    start = 0
    for circle_size in sizes:
        circles.append(ordered[start : start + circle_size])
        start += circle_size
    left_over = ordered[start:]
    scores = [circle_score(circle, conflicts) for circle in circles]
    for _ in range(_PASSES):
        if not _improve(circles, scores, conflicts):
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
        upper_bound=_bound(sizes, departments),
    )


def _improve(circles: list[list[Peer]], scores: list[float], conflicts: frozenset[tuple[int, int]]) -> bool:
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
                    new_a, new_b = circle_score(a, conflicts), circle_score(b, conflicts)
                    if new_a + new_b > scores[i] + scores[j] + 1e-9:
                        scores[i], scores[j] = new_a, new_b
                        moved = True
                    else:
                        a[x], b[y] = b[y], a[x]
    return moved
