"""The assignment equals the exhaustive and the linear_sum_assignment optimum, with a certificate that checks out."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from domain.matching.assign import assign, objective_scores
from domain.matching.certificate import check
from domain.matching.profiles import Objective


@st.composite
def candidate_graphs(draw, max_mentors: int = 4, max_mentees: int = 6, max_score: int = 1000):
    n_mentors = draw(st.integers(1, max_mentors))
    n_mentees = draw(st.integers(1, max_mentees))
    pairs = sorted(
        draw(
            st.sets(
                st.tuples(st.integers(0, n_mentors - 1), st.integers(0, n_mentees - 1)), max_size=n_mentors * n_mentees
            )
        )
    )
    # Few distinct scores on purpose: ties are where greedy and careless solvers go wrong.
    scores = [draw(st.sampled_from([1, 2, 3, 500, max_score])) for _ in pairs]
    capacity = [draw(st.integers(0, 3)) for _ in range(n_mentors)]
    mentor = np.array([m for m, _ in pairs], dtype=np.int32)
    mentee = np.array([e for _, e in pairs], dtype=np.int32)
    return mentor, mentee, np.array(scores, dtype=np.int64), np.array(capacity, dtype=np.int64), n_mentees


def exhaustive(mentor, mentee, score, capacity, n_mentees) -> tuple[int, int]:
    """(most matches, best total) and (best total) by trying every assignment: returns (count, total) maxima."""
    options: dict[int, list[tuple[int, int]]] = {}
    for m, e, s in zip(mentor.tolist(), mentee.tolist(), score.tolist(), strict=True):
        options.setdefault(e, []).append((m, s))
    left = list(capacity.tolist())
    best_total, best_participation = 0, (0, 0)

    def walk(j: int, count: int, total: int) -> None:
        nonlocal best_total, best_participation
        if j == n_mentees:
            best_total = max(best_total, total)
            best_participation = max(best_participation, (count, total))
            return
        walk(j + 1, count, total)
        for m, s in options.get(j, []):
            if left[m] > 0:
                left[m] -= 1
                walk(j + 1, count + 1, total + s)
                left[m] += 1

    walk(0, 0, 0)
    return best_total, best_participation


def certificate_holds(mentor, mentee, value, capacity, chosen, certificate) -> bool:
    """Recomputed from scratch in plain Python: dual feasibility on every pair and equal objectives."""
    u = certificate.mentor_price.tolist()
    v = certificate.mentee_value.tolist()
    if any(x < 0 for x in u + v):
        return False
    for m, e, s in zip(mentor.tolist(), mentee.tolist(), value.tolist(), strict=True):
        if u[m] + v[e] < s:
            return False
    dual = sum(c * x for c, x in zip(capacity.tolist(), u, strict=True)) + sum(v)
    return dual == sum(value[k] for k in chosen.tolist())


@settings(max_examples=150, deadline=None)
@given(candidate_graphs())
def test_best_score_equals_the_exhaustive_optimum_with_a_valid_certificate(graph):
    # given a small capacitated candidate graph
    mentor, mentee, score, capacity, n_mentees = graph
    # when it is assigned for the best total score
    result = assign(mentor, mentee, score, capacity, n_mentees, Objective.BEST_SCORE)
    # then the total is the exhaustive optimum and the duals prove it
    assert result.total_score == exhaustive(mentor, mentee, score, capacity, n_mentees)[0]
    assert certificate_holds(mentor, mentee, score, capacity, result.chosen, result.certificate)
    assert (
        check(
            mentor=mentor,
            mentee=mentee,
            score=score,
            capacity=capacity,
            chosen=result.chosen,
            certificate=result.certificate,
        )
        == []
    )


@settings(max_examples=150, deadline=None)
@given(candidate_graphs())
def test_most_participation_matches_the_most_people_then_the_best_total(graph):
    mentor, mentee, score, capacity, n_mentees = graph
    result = assign(mentor, mentee, score, capacity, n_mentees, Objective.MOST_PARTICIPATION)
    assert (len(result.chosen), result.total_score) == exhaustive(mentor, mentee, score, capacity, n_mentees)[1]
    value = objective_scores(score, Objective.MOST_PARTICIPATION, n_mentees, capacity)
    assert certificate_holds(mentor, mentee, value, capacity, result.chosen, result.certificate)


def _lsa_optimum(mentor, mentee, value, capacity, n_mentees) -> int:
    slots = np.repeat(np.arange(len(capacity)), capacity)
    if not len(slots):
        return 0
    dense = np.zeros((len(capacity), n_mentees), dtype=np.int64)
    dense[mentor, mentee] = value
    expanded = dense[slots]
    rows, cols = linear_sum_assignment(expanded, maximize=True)
    return int(expanded[rows, cols].sum())


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 10_000), st.sampled_from(list(Objective)))
def test_equals_linear_sum_assignment_on_the_capacity_expanded_matrix(seed, objective):
    # given a random sparse graph of 12 mentors and 40 mentees, pruned hard (so the certificate must re-solve)
    rng = np.random.default_rng(seed)
    dense = rng.random((12, 40)) < 0.4
    mentor, mentee = (index.astype(np.int32) for index in np.nonzero(dense))
    score = rng.integers(1, 1000, len(mentor)).astype(np.int64)
    capacity = rng.integers(0, 4, 12).astype(np.int64)
    # when assigned
    result = assign(mentor, mentee, score, capacity, 40, objective)
    # then its objective is the dense reference optimum
    value = objective_scores(score, objective, 40, capacity)
    assert result.objective_value == _lsa_optimum(mentor, mentee, value, capacity, 40)
    assert result.certificate.proves_optimal


def test_a_pruned_graph_that_misses_the_optimum_is_repaired_by_the_certificate_rounds(monkeypatch):
    # given pruning so tight (one mentor per mentee, one mentee per place) that the best pairs fall out
    import domain.matching.assign as module

    monkeypatch.setattr(module, "MENTORS_PER_MENTEE", 1)
    monkeypatch.setattr(module, "MENTEES_PER_PLACE", 1)
    mentor = np.array([0, 0, 0, 1, 1, 1], dtype=np.int32)
    mentee = np.array([0, 1, 2, 0, 1, 2], dtype=np.int32)
    score = np.array([7, 7, 10, 5, 5, 7], dtype=np.int64)
    capacity = np.array([1, 2], dtype=np.int64)
    # when assigned
    result = assign(mentor, mentee, score, capacity, 3)
    # then a violated dual constraint brought the missing pair back and the re-solve is the optimum
    assert result.rounds >= 2
    assert result.total_score == exhaustive(mentor, mentee, score, capacity, 3)[0] == 20
    assert result.certificate.proves_optimal


def test_no_candidates_gives_an_empty_proven_assignment():
    empty = np.zeros(0, dtype=np.int32)
    result = assign(empty, empty, np.zeros(0, dtype=np.int64), np.array([2]), 3)
    assert len(result.chosen) == 0
    assert result.certificate.proves_optimal
