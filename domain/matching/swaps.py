"""SKILL_SWAP: disjoint 2- and 3-way cycles on "A can teach what B wants to learn", covering most people.

When the short cycles can be enumerated (sparse interest), the packing is an integer program solved by
HiGHS (scipy.optimize.milp) whose LP relaxation is the reported bound. On dense graphs there are far
too many cycles: people with no mutual partner get a 3-cycle first (it is their only way in), then
everyone else is paired by a greedy matching grown by augmenting paths, and anyone left over joins a
pair that closes a 3-cycle with them. Either way coverage is reported against the people on any short
cycle (nobody else can be placed) and, when solved as a program, against the LP bound.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
from scipy import optimize, sparse

MAX_CYCLES = 20_000  # above this the cycles are not enumerated: greedy packing instead
SOLVER_SECONDS = 2.0


@dataclass(frozen=True)
class Swapper:
    person_id: int
    teaches: frozenset[int]
    wants: frozenset[int]


@dataclass(frozen=True)
class Lesson:
    teacher_id: int
    learner_id: int
    skill_ids: tuple[int, ...]


@dataclass
class SwapPlan:
    cycles: list[list[Lesson]]  # each cycle: who teaches whom what, for the agreement
    covered: int
    on_a_cycle: int  # people on at least one 2- or 3-cycle: no plan covers more
    lp_bound: float | None
    method: str
    seconds: float

    @property
    def unplaced(self) -> int:
        return self.on_a_cycle - self.covered


def teaching_matrix(
    people: Sequence[Swapper], conflicts: frozenset[tuple[int, int]] = frozenset()
) -> sparse.csr_matrix:
    """A[i, j] = 1 when person i teaches something person j wants (never i = j, never a `conflicts` pair:
    with both directions gone, no 2- or 3-cycle can hold two people who may not be together)."""
    skills = sorted({s for p in people for s in (*p.teaches, *p.wants)})
    column = {skill: k for k, skill in enumerate(skills)}

    def incidence(sets: Sequence[frozenset[int]]) -> sparse.csr_matrix:
        rows = [i for i, held in enumerate(sets) for _ in held]
        cols = [column[s] for held in sets for s in held]
        return sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(sets), len(skills)))

    teach = incidence([p.teaches for p in people])
    want = incidence([p.wants for p in people])
    matrix = sparse.csr_matrix(teach @ want.T > 0, dtype=np.int8)
    matrix.setdiag(0)
    index = {p.person_id: k for k, p in enumerate(people)}
    cut = [(index[a], index[b]) for a, b in conflicts if a in index and b in index]
    if cut:
        rows, cols = zip(*(cut + [(b, a) for a, b in cut]), strict=True)
        matrix = matrix - matrix.multiply(sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=matrix.shape))
        matrix = sparse.csr_matrix(matrix > 0, dtype=np.int8)
    matrix.eliminate_zeros()
    return matrix


def on_short_cycles(matrix: sparse.csr_matrix) -> tuple[np.ndarray, int | None]:
    """Whether each person lies on a 2-cycle (a mutual edge) or a 3-cycle, and how many short cycles there
    are (mutual edges / 2 + trace(A^3) / 3), or None when the pairs alone are more than MAX_CYCLES.

    3-cycles are looked for only through people on no 2-cycle when the count is not needed: on a dense
    graph almost everyone has a mutual partner, and A^3 over everyone would be most of the work.
    """
    matrix = sparse.csr_matrix(matrix, dtype=np.int64)
    mutual = sparse.csr_matrix(matrix.multiply(matrix.T))
    on_two = np.diff(mutual.indptr) > 0
    pairs = mutual.nnz // 2
    if pairs > MAX_CYCLES:
        rest = np.flatnonzero(~on_two)
        paths = sparse.csr_matrix(matrix[rest] @ matrix)  # v -> u -> w for each v on no 2-cycle
        closing = np.asarray(paths.multiply(matrix.T[rest]).sum(axis=1)).ravel() > 0  # and w -> v
        on_cycle = on_two.copy()
        on_cycle[rest] = closing
        return on_cycle, None
    paths = sparse.csr_matrix(matrix @ matrix)
    per_person_three = np.asarray(paths.multiply(matrix.T).sum(axis=1)).ravel()
    return on_two | (per_person_three > 0), pairs + int(per_person_three.sum()) // 3


def plan_swaps(people: Sequence[Swapper], conflicts: frozenset[tuple[int, int]] = frozenset()) -> SwapPlan:
    started = time.perf_counter()
    people = sorted(people, key=lambda p: p.person_id)
    matrix = teaching_matrix(people, conflicts)
    eligible, count = on_short_cycles(matrix)
    cycles = _enumerate(matrix, eligible) if count is not None and count <= MAX_CYCLES else None
    if cycles is not None:
        chosen, bound = _solve(cycles, len(people))
        method = "integer program (HiGHS) over enumerated cycles"
    else:
        chosen, bound = _greedy(matrix, eligible), None
        method = "greedy: 3-cycles for the unpaired, then a maximum pairing"
    lessons = [_lessons(people, cycle) for cycle in sorted(chosen)]
    return SwapPlan(
        cycles=lessons,
        covered=sum(len(cycle) for cycle in chosen),
        on_a_cycle=int(eligible.sum()),
        lp_bound=bound,
        method=method,
        seconds=time.perf_counter() - started,
    )


def _graph(matrix: sparse.csr_matrix, keep: np.ndarray) -> nx.DiGraph:
    coo = sparse.coo_matrix(matrix)
    mask = keep[coo.row] & keep[coo.col]
    graph = nx.DiGraph()
    graph.add_edges_from(zip(coo.row[mask].tolist(), coo.col[mask].tolist(), strict=True))
    return graph


def _enumerate(matrix: sparse.csr_matrix, eligible: np.ndarray) -> list[tuple[int, ...]]:
    """Every 2- and 3-cycle, each as the rotation starting at its smallest index."""
    cycles = {_rotated(tuple(cycle)) for cycle in nx.simple_cycles(_graph(matrix, eligible), length_bound=3)}
    return sorted(cycles)


def _solve(cycles: list[tuple[int, ...]], n: int) -> tuple[list[tuple[int, ...]], float]:
    """Maximise people covered by disjoint cycles; returns the cycles and the LP relaxation's bound."""
    if not cycles:
        return [], 0.0
    rows = [person for cycle in cycles for person in cycle]
    cols = [k for k, cycle in enumerate(cycles) for _ in cycle]
    incidence = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(cycles)))
    sizes = np.array([len(cycle) for cycle in cycles], dtype=float)
    constraint = optimize.LinearConstraint(incidence, ub=np.ones(n))
    relaxed = optimize.milp(-sizes, constraints=constraint, bounds=optimize.Bounds(0, 1))
    bound = float(-relaxed.fun) if relaxed.success else float(sizes.sum())
    exact = optimize.milp(
        -sizes, constraints=constraint, integrality=np.ones(len(cycles)), bounds=optimize.Bounds(0, 1),
        options={"time_limit": SOLVER_SECONDS},
    )  # fmt: skip
    if exact.x is None:
        return _pack([cycles[k] for k in np.argsort(-sizes, kind="stable")]), bound
    chosen = [cycles[k] for k in np.flatnonzero(exact.x > 0.5)]
    return _pack(chosen), bound  # the solver's answer is disjoint already; _pack only guards rounding


def _pack(cycles: list[tuple[int, ...]]) -> list[tuple[int, ...]]:
    used: set[int] = set()
    packed = []
    for cycle in cycles:
        if not used & set(cycle):
            used.update(cycle)
            packed.append(cycle)
    return packed


def _greedy(matrix: sparse.csr_matrix, eligible: np.ndarray) -> list[tuple[int, ...]]:
    """People on no 2-cycle first, each in a 3-cycle (they have no other way in); then a maximum matching of
    mutual pairs among everyone else; then each leftover joins a pair that closes a 3-cycle with it.

    Pairs first, as this packing once did, left two thirds of the people on 3-cycles only uncovered: their
    cycles ran through people already paired.
    """
    mutual = sparse.csr_matrix(matrix.multiply(matrix.T))
    degree = np.diff(mutual.indptr)
    used = np.zeros(matrix.shape[0], dtype=bool)
    triples = _triples_for_the_unpaired(matrix, np.flatnonzero(eligible & (degree == 0)), degree, used)
    partner = _maximum_pairing(mutual, ~used)
    triples += _leftovers_into_triples(matrix, partner, used)
    in_triple = {person for triple in triples for person in triple}
    pairs = [(a, int(partner[a])) for a in range(len(partner)) if a < partner[a] and a not in in_triple]
    return pairs + triples


def _triples_for_the_unpaired(
    matrix: sparse.csr_matrix, unpaired: np.ndarray, degree: np.ndarray, used: np.ndarray
) -> list[tuple[int, ...]]:
    """A 3-cycle for each person with no mutual partner, fewest options first. A cycle holding more such
    people is preferred, then one through people with the most mutual partners (the easiest to replace)."""
    csc = sparse.csc_matrix(matrix)
    is_unpaired = np.zeros(matrix.shape[0], dtype=bool)
    is_unpaired[unpaired] = True
    options = {}
    for v in unpaired.tolist():
        teaches = matrix.indices[matrix.indptr[v] : matrix.indptr[v + 1]]
        learns_from = csc.indices[csc.indptr[v] : csc.indptr[v + 1]]
        closing = sparse.coo_matrix(matrix[teaches][:, learns_from])  # v -> a -> b -> v
        options[v] = (teaches[closing.row], learns_from[closing.col])
    triples = []
    for v in sorted(options, key=lambda v: (len(options[v][0]), v)):
        a, b = options[v]
        free = ~used[a] & ~used[b]
        if used[v] or not free.any():
            continue
        a, b = a[free], b[free]
        preference = np.lexsort((-b, -a, np.minimum(degree[a], degree[b]), is_unpaired[a] + is_unpaired[b]))[-1]
        triple = (v, int(a[preference]), int(b[preference]))
        used[list(triple)] = True
        triples.append(_rotated(triple))
    return triples


def _maximum_pairing(mutual: sparse.csr_matrix, available: np.ndarray) -> np.ndarray:
    """Mutual pairs among the available people: greedy, fewest options first, then augmenting paths from
    everyone left (an alternating breadth-first search; it does not shrink odd cycles, so on rare graphs
    a longer augmenting path is missed and the pairing is near-maximum rather than maximum)."""
    n = mutual.shape[0]
    partner = np.full(n, -1)

    def neighbours(v: int) -> np.ndarray:
        around = mutual.indices[mutual.indptr[v] : mutual.indptr[v + 1]]
        return around[available[around]]

    degree = np.array([len(neighbours(v)) if available[v] else 0 for v in range(n)])
    for person in np.argsort(degree, kind="stable").tolist():
        if partner[person] >= 0 or degree[person] == 0:
            continue
        free = neighbours(person)
        free = free[partner[free] < 0]
        if len(free):
            mate = int(free[np.argmin(degree[free])])
            partner[person], partner[mate] = mate, person
    for root in np.flatnonzero((partner < 0) & (degree > 0)).tolist():
        if partner[root] < 0:  # an earlier path may have ended here
            _augment_from(root, neighbours, partner)
    return partner


def _augment_from(root: int, neighbours, partner: np.ndarray) -> bool:
    """Grows an alternating tree from a free person; on reaching another free person, flips the path."""
    reached_from = {root: -1}  # outer people: who brought each one's partner into the tree
    queue = [root]
    for outer in queue:
        for person in neighbours(outer).tolist():
            if person in reached_from:
                continue
            if partner[person] < 0:
                while outer >= 0:  # person pairs with outer; outer's old partner pairs back up the tree
                    previous = int(partner[outer])
                    partner[outer], partner[person] = person, outer
                    person, outer = previous, reached_from[previous] if previous >= 0 else -1
                return True
            mate = int(partner[person])
            if mate not in reached_from:
                reached_from[person] = outer
                reached_from[mate] = person
                queue.append(mate)
    return False


def _leftovers_into_triples(matrix: sparse.csr_matrix, partner: np.ndarray, used: np.ndarray) -> list[tuple[int, ...]]:
    """A leftover v (in no pair and no cycle yet) joins pair (a, b) when v -> a -> b -> v is a cycle."""
    csc = sparse.csc_matrix(matrix)
    taken: set[int] = set()
    triples = []
    for v in np.flatnonzero((partner < 0) & ~used).tolist():
        teaches = set(matrix.indices[matrix.indptr[v] : matrix.indptr[v + 1]].tolist())
        learns_from = set(csc.indices[csc.indptr[v] : csc.indptr[v + 1]].tolist())
        for a in sorted(teaches):
            b = int(partner[a])
            if b < 0 or a in taken or b in taken or b not in learns_from:
                continue
            if matrix[a, b]:  # v -> a -> b -> v
                triples.append(_rotated((v, a, b)))
                taken.update((v, a, b))
                break
    return triples


def _rotated(cycle: tuple[int, ...]) -> tuple[int, ...]:
    start = cycle.index(min(cycle))
    return cycle[start:] + cycle[:start]


def _lessons(people: Sequence[Swapper], cycle: tuple[int, ...]) -> list[Lesson]:
    out = []
    for k, teacher in enumerate(cycle):
        learner = cycle[(k + 1) % len(cycle)]
        skills = tuple(sorted(people[teacher].teaches & people[learner].wants))
        out.append(Lesson(people[teacher].person_id, people[learner].person_id, skills))
    return out
