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

from domain.matching.certificate import Certificate, dual_objective, violations
from domain.matching.profiles import Objective
from domain.matching.scoring import SCALE

MENTORS_PER_MENTEE = 10
MENTEES_PER_PLACE = 3
MAX_ROUNDS = 12


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


def _ranks(group: np.ndarray, score: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Each pair's rank within its group by descending score, ties by the other side's index.

    One packed int64 key sorts several times faster than a three-key lexsort at millions of pairs.
    """
    width = int(other.max()) + 1
    depth = int(score.max()) - int(score.min()) + 1
    key = (group.astype(np.int64) * depth + (int(score.max()) - score)) * width + other
    order = np.argsort(key)
    sorted_group = group[order]
    first = np.searchsorted(sorted_group, sorted_group, side="left")
    ranks = np.empty(len(order), dtype=np.int64)
    ranks[order] = np.arange(len(order)) - first
    return ranks


def pruned(mentor: np.ndarray, mentee: np.ndarray, score: np.ndarray, capacity: np.ndarray) -> np.ndarray:
    """A boolean mask: each mentee's top mentors and each mentor's top 3 x capacity mentees."""
    if not len(score):
        return np.zeros(0, dtype=bool)
    by_mentee = _ranks(mentee, score, mentor) < MENTORS_PER_MENTEE
    by_mentor = _ranks(mentor, score, mentee) < MENTEES_PER_PLACE * capacity[mentor]
    return by_mentee | by_mentor


def _flow(
    arcs: np.ndarray, mentor: np.ndarray, mentee: np.ndarray, score: np.ndarray, capacity: np.ndarray, n_mentees: int
) -> tuple[np.ndarray, Certificate]:
    """Min-cost flow over the given arcs; returns the chosen arcs and duals from the residual graph."""
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
    costs = np.concatenate([np.zeros(n_mentors), -score[arcs], np.zeros(n_mentees), [0]]).astype(np.int64)
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
    res_cost = [-score[arcs], score[arcs][pair_flow > 0]]
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
    primal = int(score[chosen].sum())
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
    value = objective_scores(score, objective, n_mentees, capacity)
    included = pruned(mentor, mentee, score, capacity)  # the participation bonus changes no ranking
    rounds = 0
    while True:
        rounds += 1
        arcs = np.flatnonzero(included)
        chosen, certificate = _flow(arcs, mentor, mentee, value, capacity, n_mentees)
        missing = violations(mentor, mentee, value, certificate.mentor_price, certificate.mentee_value)
        if not len(missing) and certificate.proves_optimal:
            break
        if rounds >= MAX_ROUNDS:
            included[:] = True  # the full graph is its own proof; it only costs time
        included[missing] = True
    return Assignment(
        chosen=np.sort(chosen),
        total_score=int(score[chosen].sum()),
        objective_value=int(value[chosen].sum()),
        certificate=certificate,
        rounds=rounds,
        arcs_solved=len(arcs),
        solve_seconds=time.perf_counter() - started,
    )
