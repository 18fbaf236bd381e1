"""Skill swaps: disjoint short cycles where each person teaches the next what they want, against the bounds."""

from __future__ import annotations

import itertools

import networkx as nx
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

import domain.matching.swaps as swaps
from domain.matching.swaps import Swapper, plan_swaps

people_strategy = st.lists(
    st.tuples(st.frozensets(st.integers(1, 4), max_size=2), st.frozensets(st.integers(1, 4), max_size=2)),
    max_size=9,
)


def exhaustive_cover(people: list[Swapper]) -> int:
    """Most people coverable by disjoint 2- and 3-cycles, by trying every set of cycles."""
    teaches = {(a.person_id, b.person_id) for a in people for b in people if a != b and a.teaches & b.wants}
    ids = [p.person_id for p in people]
    cycles = [c for c in itertools.combinations(ids, 2) if (c[0], c[1]) in teaches and (c[1], c[0]) in teaches]
    for a, b, c in itertools.permutations(ids, 3):
        if a == min(a, b, c) and {(a, b), (b, c), (c, a)} <= teaches:
            cycles.append((a, b, c))
    best = 0

    def walk(k: int, used: frozenset, covered: int) -> None:
        nonlocal best
        best = max(best, covered)
        for j in range(k, len(cycles)):
            if not used & set(cycles[j]):
                walk(j + 1, used | set(cycles[j]), covered + len(cycles[j]))

    walk(0, frozenset(), 0)
    return best


def check_cycles(plan, people: list[Swapper]) -> None:
    by_id = {p.person_id: p for p in people}
    seen = []
    for cycle in plan.cycles:
        assert len(cycle) in (2, 3)
        for lesson in cycle:
            assert lesson.skill_ids
            assert set(lesson.skill_ids) <= by_id[lesson.teacher_id].teaches & by_id[lesson.learner_id].wants
        assert [lesson.learner_id for lesson in cycle] == [lesson.teacher_id for lesson in cycle[1:] + cycle[:1]]
        seen += [lesson.teacher_id for lesson in cycle]
    assert len(seen) == len(set(seen)) == plan.covered


@settings(max_examples=120, deadline=None)
@given(people_strategy)
def test_enumerated_swaps_cover_the_most_people_possible(raw):
    people = [Swapper(k + 1, teaches, wants) for k, (teaches, wants) in enumerate(raw)]
    plan = plan_swaps(people)
    check_cycles(plan, people)
    assert plan.covered == exhaustive_cover(people)
    assert plan.covered <= plan.on_a_cycle
    assert plan.lp_bound is None or plan.covered <= plan.lp_bound + 1e-6


@settings(max_examples=60, deadline=None)
@given(people_strategy)
def test_the_greedy_packing_is_valid_and_within_the_on_a_cycle_bound(raw):
    people = [Swapper(k + 1, teaches, wants) for k, (teaches, wants) in enumerate(raw)]
    original = swaps.MAX_CYCLES
    swaps.MAX_CYCLES = -1  # force the dense path
    try:
        plan = plan_swaps(people)
    finally:
        swaps.MAX_CYCLES = original
    check_cycles(plan, people)
    assert plan.covered <= plan.on_a_cycle
    assert plan.method.startswith("greedy")


def _dense_path(people: list[Swapper]):
    original = swaps.MAX_CYCLES
    swaps.MAX_CYCLES = -1  # force the dense path
    try:
        return plan_swaps(people)
    finally:
        swaps.MAX_CYCLES = original


def test_someone_on_no_mutual_pair_is_placed_in_a_three_way_swap_before_pairs_are_made():
    # given Vi (teaches 1, wants 3) on only one cycle, Vi -> Al -> Bo -> Vi, while Al and Bo each also have a
    # mutual partner (Al with Cy, Bo with Di) and Cy and Di could pair with each other
    people = [
        Swapper(1, frozenset({1}), frozenset({3})),  # Vi
        Swapper(2, frozenset({2, 5}), frozenset({1, 4})),  # Al
        Swapper(3, frozenset({3, 6}), frozenset({2, 7})),  # Bo
        Swapper(4, frozenset({4, 8}), frozenset({5, 9})),  # Cy: teaches Al, learns from Al; pairs with Di
        Swapper(5, frozenset({7, 9}), frozenset({6, 8})),  # Di: teaches Bo, learns from Bo; pairs with Cy
    ]
    # when packed on the dense path
    plan = _dense_path(people)
    # then all five are placed, as the exhaustive optimum does: Vi, Al, Bo in a three, Cy and Di in a pair
    check_cycles(plan, people)
    assert plan.covered == exhaustive_cover(people) == 5


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 10_000))
def test_the_pairing_is_maximum_on_graphs_without_odd_cycles(seed):
    # given a random bipartite "teach each other" graph (no odd cycle, where augmenting paths find the maximum)
    rng = np.random.default_rng(seed)
    left, right = int(rng.integers(1, 12)), int(rng.integers(1, 12))
    edges = [(a, left + b) for a in range(left) for b in range(right) if rng.random() < 0.25]
    n = left + right
    rows = [a for a, b in edges] + [b for a, b in edges]
    cols = [b for a, b in edges] + [a for a, b in edges]
    mutual = sparse.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, n))
    # when paired
    partner = swaps._maximum_pairing(mutual, np.ones(n, dtype=bool))
    # then it is a matching of mutual pairs as large as networkx's maximum
    pairs = {(a, int(partner[a])) for a in range(n) if partner[a] > a}
    assert all(partner[b] == a and mutual[a, b] for a, b in pairs)
    assert len(pairs) == len(nx.max_weight_matching(nx.Graph(edges), maxcardinality=True))


@settings(max_examples=100, deadline=None)
@given(people_strategy, st.sets(st.tuples(st.integers(1, 9), st.integers(1, 9)), max_size=12), st.booleans())
def test_no_swap_ever_holds_a_pair_that_must_be_kept_apart(raw, conflicts, dense):
    # given people and adversarial pairs that may never share a swap (managers and reports, blocks)
    people = [Swapper(k + 1, teaches, wants) for k, (teaches, wants) in enumerate(raw)]
    # when packed, enumerated or on the dense path
    original = swaps.MAX_CYCLES
    swaps.MAX_CYCLES = -1 if dense else original
    try:
        plan = plan_swaps(people, frozenset(conflicts))
    finally:
        swaps.MAX_CYCLES = original
    # then every cycle is valid and none holds such a pair
    check_cycles(plan, people)
    for cycle in plan.cycles:
        members = [lesson.teacher_id for lesson in cycle]
        assert not any((a, b) in conflicts for a in members for b in members if a != b)


@settings(max_examples=60, deadline=None)
@given(people_strategy, st.randoms(use_true_random=False), st.booleans())
def test_the_same_people_in_any_order_give_the_same_swaps(raw, rng, dense):
    people = [Swapper(k + 1, teaches, wants) for k, (teaches, wants) in enumerate(raw)]
    shuffled = people[:]
    rng.shuffle(shuffled)
    original = swaps.MAX_CYCLES
    swaps.MAX_CYCLES = -1 if dense else original
    try:
        first, again = plan_swaps(people), plan_swaps(shuffled)
    finally:
        swaps.MAX_CYCLES = original
    assert first.cycles == again.cycles


def test_a_three_way_swap_records_who_teaches_whom_what():
    # Ana teaches design to Ben, Ben finance to Cy, Cy French to Ana; nobody can pair up
    people = [Swapper(1, frozenset({10}), frozenset({30})), Swapper(2, frozenset({20}), frozenset({10})),
              Swapper(3, frozenset({30}), frozenset({20}))]  # fmt: skip
    plan = plan_swaps(people)
    assert [[(x.teacher_id, x.learner_id, x.skill_ids) for x in cycle] for cycle in plan.cycles] == [
        [(1, 2, (10,)), (2, 3, (20,)), (3, 1, (30,))]
    ]
    assert (plan.covered, plan.on_a_cycle, plan.lp_bound) == (3, 3, 3.0)
