"""Pruning keeps each group's best pairs, exactly those a plain sort would keep, ties to the smaller index."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.matching.assign import HISTOGRAM_CELLS, best_per_group


def sorted_reference(group: np.ndarray, score: np.ndarray, other: np.ndarray, limit: np.ndarray) -> np.ndarray:
    """Sort each group by (score descending, other ascending) and keep its first limit[g]: plain Python."""
    keep = np.zeros(len(score), dtype=bool)
    for g in set(group.tolist()):
        members = sorted(np.flatnonzero(group == g).tolist(), key=lambda k: (-int(score[k]), int(other[k])))
        keep[members[: int(limit[g])]] = True
    return keep


@st.composite
def grouped_pairs(draw):
    n_groups, n_other = draw(st.integers(1, 6)), draw(st.integers(1, 30))
    pairs = sorted(draw(st.sets(st.tuples(st.integers(0, n_groups - 1), st.integers(0, n_other - 1)), min_size=1)))
    scores = st.one_of(st.sampled_from([0, 1, 2, 999, 1000]), st.integers(0, 1000))
    group = np.array([g for g, _ in pairs], dtype=np.int32)
    other = np.array([o for _, o in pairs], dtype=np.int32)
    score = np.array([draw(scores) for _ in pairs], dtype=np.int32)
    limit = np.array([draw(st.integers(0, 12)) for _ in range(n_groups)], dtype=np.int64)
    order = draw(st.permutations(range(len(pairs))))  # the solver's arrays need not be grouped
    return group[order], score[order], other[order], limit


@pytest.mark.parametrize("cells", [1, 64, HISTOGRAM_CELLS])
@settings(max_examples=150, deadline=None)
@given(grouped_pairs())
def test_the_histogram_keeps_what_a_sort_keeps(cells, pairs):
    # given pairs in any order, with many ties, and histograms from very coarse (whole groups in one
    # bucket, so everything is sorted) to fine (one bucket per score)
    group, score, other, limit = pairs
    # when each group keeps its best limit[g] pairs, the result is the sorted reference
    kept = best_per_group(group, score, other, limit, cells=cells)
    assert np.array_equal(kept, sorted_reference(group, score, other, limit))


def test_the_histogram_works_a_block_at_a_time(monkeypatch):
    # given more pairs than one block
    import domain.matching.blocks as blocks_module

    monkeypatch.setattr(blocks_module, "BLOCK", 7)
    rng = np.random.default_rng(3)
    group = rng.integers(0, 5, 200).astype(np.int32)
    other = np.arange(200, dtype=np.int32)
    score = rng.integers(0, 20, 200).astype(np.int32)
    limit = np.array([0, 1, 3, 10, 200])
    assert np.array_equal(best_per_group(group, score, other, limit), sorted_reference(group, score, other, limit))
