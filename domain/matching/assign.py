"""ONE_ON_ONE and REVERSE assignment: the proven optimum of the capacitated matching, fast.

Solve a pruned candidate graph (each mentee's best mentors, each mentor's best mentees) as a min-cost
flow, derive LP duals from the flow's residual graph, and check them on the full candidate graph. A
pair that violates its dual constraint could improve the answer: add every such pair and solve again.
When no pair violates, the duals prove the assignment optimal on the full graph (see certificate).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from ortools.graph.python import min_cost_flow

from domain.matching.blocks import blocks
from domain.matching.certificate import Certificate, dual_objective, violations
from domain.matching.profiles import Objective
from domain.matching.scoring import SCALE

MENTORS_PER_MENTEE = 10
MENTEES_PER_PLACE = 3
MAX_ROUNDS = 12
HISTOGRAM_CELLS = 1 << 20  # score buckets over all groups when pruning: 8 MB of counts
_KEPT, _DROPPED, _STRADDLES = 0, 1, 2  # a bucket fits under its group's limit, lies past it, or straddles it


class SolverFailed(RuntimeError):
    """The flow solver reported something other than an optimum: a bug, never a user's input."""


@dataclass(frozen=True)
class Assignment:
    chosen: np.ndarray  # indices into the candidate graph's pairs
    total_score: int  # sum of the chosen pairs' scores
    objective_value: int  # what the solver maximised (score plus the participation bonus)
    certificate: Certificate
    rounds: int
    arcs_solved: int
    solve_seconds: float


def participation_bonus(n_mentees: int, capacity: np.ndarray) -> int:
    """More than any difference in total score, so one more match always wins over a better total."""
    return SCALE * int(min(n_mentees, int(capacity.sum()))) + 1


def objective_scores(score: np.ndarray, objective: Objective, n_mentees: int, capacity: np.ndarray) -> np.ndarray:
    if objective is Objective.MOST_PARTICIPATION:
        return score + participation_bonus(n_mentees, capacity)
    return score


def best_per_group(
    group: np.ndarray, score: np.ndarray, other: np.ndarray, limit: np.ndarray, *, cells: int = HISTOGRAM_CELLS
) -> np.ndarray:
    """A mask of each group's `limit[g]` best pairs by descending score, ties to the smaller `other` index.

    Sorting millions of pairs took seconds on a dense cohort. Instead a coarse per-group histogram of
    scores (at most `cells` buckets in all) counts, for each pair, the pairs of its group in better
    buckets: a bucket that fits under its group's limit is kept whole, one past it is dropped, and only the
    one bucket per group that straddles the limit is sorted. Every step runs a block of pairs at a time.
    """
    n_groups = len(limit)
    keep = np.zeros(len(score), dtype=bool)
    if not len(score) or not n_groups:
        return keep
    high, low = int(score.max()), int(score.min())
    width = -(-(high - low + 1) * n_groups // cells)
    depth = (high - low) // width + 1
    bucket_of = ((high - np.arange(low, high + 1)) // width).astype(np.int32)  # bucket 0: the highest scores

    def cells_of(part: slice | np.ndarray) -> np.ndarray:
        cell = group[part] * np.int32(depth)
        cell += bucket_of[score[part] - low]
        return cell

    counts = np.zeros(n_groups * depth, dtype=np.int64)
    for part in blocks(len(score)):
        counts += np.bincount(cells_of(part), minlength=len(counts))
    # Per (group, bucket): the pairs in it and in better buckets, against the group's limit. One small table
    # read per pair then decides it, instead of several reads from tables too big for the cache.
    through = counts.reshape(n_groups, depth).cumsum(axis=1).ravel()
    better = through - counts
    room = np.repeat(limit, depth)
    verdict = np.full(len(counts), _STRADDLES, dtype=np.int8)
    verdict[through <= room] = _KEPT
    verdict[better >= room] = _DROPPED
    straddling = []
    for part in blocks(len(score)):
        decided = verdict[cells_of(part)]
        keep[part] = decided == _KEPT
        straddling.append(np.flatnonzero(decided == _STRADDLES) + part.start)
    undecided = np.concatenate(straddling)
    if len(undecided):
        order = np.lexsort((other[undecided], -score[undecided], group[undecided]))
        ranked = group[undecided][order]
        rank = np.arange(len(order)) - np.searchsorted(ranked, ranked, side="left")
        chosen = undecided[order]
        keep[chosen] = better[cells_of(chosen)] + rank < limit[ranked]
    return keep


def pruned(mentor: np.ndarray, mentee: np.ndarray, score: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """A boolean mask: each mentee's top mentors and each mentor's top 3 x capacity mentees."""
    if not len(score):
        return np.zeros(0, dtype=bool)
    n_mentees = int(mentee.max()) + 1
    by_mentee = best_per_group(mentee, score, mentor, np.full(n_mentees, MENTORS_PER_MENTEE, dtype=np.int64))
    by_mentor = best_per_group(mentor, score, mentee, MENTEES_PER_PLACE * capacity.astype(np.int64))
    return by_mentee | by_mentor


def _flow(
    arcs: np.ndarray, mentor: np.ndarray, mentee: np.ndarray, value: np.ndarray, capacity: np.ndarray, n_mentees: int
) -> tuple[np.ndarray, Certificate]:
    """Min-cost flow over the given arcs, `value[k]` being arc k's worth; returns the chosen arcs and duals
    from the residual graph."""
    n_mentors = len(capacity)
    source, sink = n_mentors + n_mentees, n_mentors + n_mentees + 1
    # One unit more than can ever be matched, so the bypass always carries flow in both directions'
    # residual and the source and sink share one potential.
    supply = min(n_mentees, int(capacity.sum())) + 1
    solver = min_cost_flow.SimpleMinCostFlow()
    pair_tail = mentor[arcs].astype(np.int64)
    pair_head = (n_mentors + mentee[arcs]).astype(np.int64)
    tails = np.concatenate([np.full(n_mentors, source), pair_tail, n_mentors + np.arange(n_mentees), [source]])
    heads = np.concatenate([np.arange(n_mentors), pair_head, np.full(n_mentees, sink), [sink]])
    # Pair arcs get capacity 2 although a mentee takes one unit: never saturated, so every pair keeps its
    # forward residual arc and matched pairs come out tight in the duals.
    caps = np.concatenate([capacity, np.full(len(arcs), 2), np.ones(n_mentees, dtype=np.int64), [supply]])
    costs = np.concatenate([np.zeros(n_mentors), -value, np.zeros(n_mentees), [0]]).astype(np.int64)
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps.astype(np.int64), costs)
    solver.set_node_supply(source, supply)
    solver.set_node_supply(sink, -supply)
    status = solver.solve()
    if status != solver.OPTIMAL:
        raise SolverFailed(f"min-cost flow ended with status {status}")
    flows = solver.flows(np.arange(solver.num_arcs()))
    pair_flow = flows[n_mentors : n_mentors + len(arcs)]
    chosen = arcs[pair_flow > 0]
    mentor_flow = flows[:n_mentors]
    mentee_flow = flows[n_mentors + len(arcs) : n_mentors + len(arcs) + n_mentees]
    bypass = flows[-1]

    # Residual arcs (tail, head, cost); shortest distances from a virtual root are feasible potentials.
    res_tail = [pair_tail, pair_head[pair_flow > 0]]
    res_head = [pair_head, pair_tail[pair_flow > 0]]
    res_cost = [-value, value[pair_flow > 0]]
    mentors = np.arange(n_mentors)
    open_mentor, used_mentor = mentor_flow < capacity, mentor_flow > 0
    res_tail += [np.full(open_mentor.sum(), source), mentors[used_mentor]]
    res_head += [mentors[open_mentor], np.full(used_mentor.sum(), source)]
    mentees = n_mentors + np.arange(n_mentees)
    res_tail += [mentees[mentee_flow == 0], np.full((mentee_flow > 0).sum(), sink)]
    res_head += [np.full((mentee_flow == 0).sum(), sink), mentees[mentee_flow > 0]]
    res_tail += [[source] if bypass < supply else [], [sink] if bypass > 0 else []]
    res_head += [[sink] if bypass < supply else [], [source] if bypass > 0 else []]
    res_cost += [np.zeros(open_mentor.sum() + used_mentor.sum() + n_mentees + (bypass < supply) + (bypass > 0))]
    distance = _shortest_distances(
        n_mentors + n_mentees + 2,
        np.concatenate([np.asarray(t, dtype=np.int64) for t in res_tail]),
        np.concatenate([np.asarray(h, dtype=np.int64) for h in res_head]),
        np.concatenate([np.asarray(c, dtype=np.int64) for c in res_cost]),
    )
    level = distance[sink]
    mentor_price = np.maximum(distance[:n_mentors] - level, 0)
    mentee_value = np.maximum(level - distance[n_mentors : n_mentors + n_mentees], 0)
    primal = int(value[pair_flow > 0].sum())
    return chosen, Certificate(mentor_price, mentee_value, primal, dual_objective(capacity, mentor_price, mentee_value))


def _shortest_distances(n_nodes: int, tail: np.ndarray, head: np.ndarray, cost: np.ndarray) -> np.ndarray:
    """Bellman-Ford from a virtual root joined to every node at cost 0, relaxing all arcs at once per pass.

    An optimal flow's residual graph has no negative cycle, so this settles within n_nodes passes;
    in practice alternating paths are short and it takes a few dozen.
    """
    distance = np.zeros(n_nodes, dtype=np.int64)
    for _ in range(n_nodes + 1):
        relaxed = distance.copy()
        np.minimum.at(relaxed, head, distance[tail] + cost)
        if np.array_equal(relaxed, distance):
            return distance
        distance = relaxed
    raise SolverFailed("the residual graph has a negative cycle: the flow was not optimal")


def assign(
    mentor: np.ndarray,
    mentee: np.ndarray,
    score: np.ndarray,
    capacity: np.ndarray,
    n_mentees: int,
    objective: Objective = Objective.BEST_SCORE,
) -> Assignment:
    """The optimal assignment over candidate pairs (mentor[k], mentee[k]) with integer scores > 0.

    Ties resolve the same way for the same input: pairs are handed to the solver in (mentor, mentee)
    order of indices sorted by person id, and the solver is deterministic.
    """
    started = time.perf_counter()
    # The bonus is added where it is needed, never to a copy of every pair's score (a dense cohort's is 100 MB).
    bonus = participation_bonus(n_mentees, capacity) if objective is Objective.MOST_PARTICIPATION else 0
    included = pruned(mentor, mentee, score, capacity)  # the participation bonus changes no ranking
    rounds = 0
    while True:
        rounds += 1
        arcs = np.flatnonzero(included)
        chosen, certificate = _flow(arcs, mentor, mentee, score[arcs].astype(np.int64) + bonus, capacity, n_mentees)
        missing = violations(mentor, mentee, score, certificate.mentor_price, certificate.mentee_value, bonus)
        if not len(missing) and certificate.proves_optimal:
            break
        if rounds >= MAX_ROUNDS:
            included[:] = True  # the full graph is its own proof; it only costs time
        included[missing] = True
    return Assignment(
        chosen=np.sort(chosen),
        total_score=int(score[chosen].sum()),
        objective_value=int(score[chosen].sum()) + bonus * len(chosen),
        certificate=certificate,
        rounds=rounds,
        arcs_solved=len(arcs),
        solve_seconds=time.perf_counter() - started,
    )
