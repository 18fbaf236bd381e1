"""Peer circles: sizes inside the rule, nobody left alone, the objective against its bound."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.errors import ValidationFailed
from domain.matching.circles import (
    MAX_CIRCLE,
    MIN_CIRCLE,
    CircleWeights,
    Peer,
    circle_parts,
    circle_score,
    circle_sizes,
    plan_circles,
)
from domain.matching.profiles import Weights

OFFICE_LONDON = sum(1 << slot for day in range(5) for slot in range(day * 48 + 18, day * 48 + 34))
OFFICE_TOKYO = sum(1 << slot for day in range(5) for slot in range(day * 48, day * 48 + 16))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 60), st.integers(MIN_CIRCLE, MAX_CIRCLE))
def test_sizes_stay_inside_the_rule_and_place_everyone_but_an_impossible_seventh(n, size):
    sizes = circle_sizes(n, size)
    assert all(MIN_CIRCLE <= s <= MAX_CIRCLE for s in sizes)
    if n < MIN_CIRCLE:
        assert sizes == []
    elif n == 7:
        assert sizes == [6]
    else:
        assert sum(sizes) == n


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from("ABCDE"), st.sampled_from([OFFICE_LONDON, OFFICE_TOKYO])), max_size=40),
       st.integers(MIN_CIRCLE, MAX_CIRCLE))  # fmt: skip
def test_every_peer_is_in_exactly_one_circle_and_the_objective_never_beats_its_bound(people, size):
    peers = [Peer(k + 1, department, week) for k, (department, week) in enumerate(people)]
    plan = plan_circles(peers, size)
    placed = [person for circle in plan.circles for person in circle]
    assert sorted(placed + plan.unplaced) == [p.person_id for p in peers]
    assert len(plan.unplaced) == (len(peers) if len(peers) < MIN_CIRCLE else 1 if len(peers) == 7 else 0)
    assert plan.objective <= plan.upper_bound + 1e-9


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from("ABC"), st.sampled_from([OFFICE_LONDON, OFFICE_TOKYO])), min_size=4,
             max_size=30),
    st.sets(st.tuples(st.integers(1, 30), st.integers(1, 30)), max_size=25),
    st.integers(MIN_CIRCLE, MAX_CIRCLE),
    st.integers(0, 20),
)  # fmt: skip
def test_no_circle_ever_holds_a_pair_that_must_be_kept_apart(people, conflicts, size, hours_weight):
    # given peers and adversarial pairs that may never share a circle (managers and reports, blocks)
    peers = [Peer(k + 1, department, week) for k, (department, week) in enumerate(people)]
    weights = CircleWeights.of(Weights(working_hours=hours_weight, cross_department=10))
    # when circled
    plan = plan_circles(peers, size, frozenset(conflicts), weights)
    # then no circle holds such a pair, each is within the size rule, and everyone is placed once or left out
    for circle in plan.circles:
        assert MIN_CIRCLE <= len(circle) <= MAX_CIRCLE
        assert not any((a, b) in conflicts for a in circle for b in circle if a != b)
    placed = [person for circle in plan.circles for person in circle]
    assert sorted(placed + plan.unplaced) == [p.person_id for p in peers]
    assert plan.objective <= plan.upper_bound + 1e-9


def test_circles_group_shared_hours_and_mix_departments():
    # given ten Londoners and ten in Tokyo, two departments each, circles of five
    peers = [Peer(k, "AB"[k % 2], OFFICE_LONDON if k < 10 else OFFICE_TOKYO) for k in range(20)]
    plan = plan_circles(peers, 5)
    # then no circle mixes offices (they share no hour), and each has both departments
    by_id = {p.person_id: p for p in peers}
    for circle in plan.circles:
        assert len({by_id[k].week for k in circle}) == 1
        assert len({by_id[k].department for k in circle}) == 2
    assert plan.objective == sum(circle_score([by_id[k] for k in circle]) for circle in plan.circles)


def test_the_same_peers_give_the_same_circles():
    peers = [Peer(k, "ABC"[k % 3], OFFICE_LONDON) for k in range(23)]
    assert plan_circles(peers, 5).circles == plan_circles(list(reversed(peers)), 5).circles


def _offices_against_departments() -> list[Peer]:
    """Eight peers: departments A and B in London, C and D in Tokyo (two each). Circles of four can share
    an office (every hour shared, two departments) or mix all four departments (no hour shared)."""
    return [Peer(k, "ABCD"[k // 2], OFFICE_LONDON if k < 4 else OFFICE_TOKYO) for k in range(8)]


def _totals(plan, peers: list[Peer]) -> tuple[float, float]:
    by_id = {p.person_id: p for p in peers}
    parts = [circle_parts([by_id[k] for k in circle]) for circle in plan.circles]
    return sum(hours for hours, _ in parts), sum(mix for _, mix in parts)


@pytest.mark.parametrize(
    ("weights", "hours", "mix"),
    [
        (Weights(), 2.0, 1.0),  # the defaults (hours 15, mix 10): one circle per office
        (Weights(working_hours=1, cross_department=0), 2.0, 1.0),
        (Weights(working_hours=1, cross_department=3), 0.0, 2.0),  # mix outweighs: every department in each
        (Weights(working_hours=0, cross_department=1), 0.0, 2.0),
    ],
)
def test_the_runs_weights_steer_circles_between_shared_hours_and_department_mix(weights, hours, mix):
    # given peers whose offices and departments pull apart
    peers = _offices_against_departments()
    # when circled with the run's working-hours and cross-department weights
    plan = plan_circles(peers, 4, weights=CircleWeights.of(weights))
    # then the partition moves the way the weights lean, and each circle scores by those weights
    assert _totals(plan, peers) == (hours, mix)
    share = CircleWeights.of(weights)
    assert plan.objective == pytest.approx(share.working_hours * hours + share.department_mix * mix)
    assert plan.objective <= plan.upper_bound + 1e-9


def test_raising_the_hours_weight_never_lowers_the_hours_shared():
    peers = _offices_against_departments()
    totals = [_totals(plan_circles(peers, 4, weights=CircleWeights.of(Weights(working_hours=h, cross_department=10))),
                      peers) for h in (0, 5, 10, 20, 40)]  # fmt: skip
    assert [hours for hours, _ in totals] == sorted(hours for hours, _ in totals)
    assert [mix for _, mix in totals] == sorted((mix for _, mix in totals), reverse=True)


def test_weights_that_give_a_circle_nothing_to_score_are_refused():
    with pytest.raises(ValidationFailed) as refused:
        CircleWeights.of(Weights(skills=10, working_hours=0, cross_department=0))
    assert refused.value.field == "weights"
