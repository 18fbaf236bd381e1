"""The series search's building blocks, and its bounded behaviour when every slot is someone's night."""

from __future__ import annotations

import time as clock
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from domain.scheduling import best_fixed_time_series, occurrence_windows, plan_series
from domain.scheduling.series_search import pareto_front
from tests.domain.scheduling.helpers import person

values = st.one_of(st.integers(0, 10), st.integers(0, 10**12), st.sampled_from([0, 1000, 1_000_000_000]))


@given(st.integers(1, 6).flatmap(lambda n: st.lists(st.tuples(*[values] * n), min_size=1, max_size=40)))
def test_packed_pareto_front_matches_the_plain_definition(vectors):
    # given any set of non-negative vectors
    # when filtered
    front = set(pareto_front(vectors))
    # then exactly the vectors no other vector beats-or-equals everywhere remain
    unique = set(vectors)
    expected = {v for v in unique if not any(u != v and all(a <= b for a, b in zip(u, v, strict=True)) for u in unique)}
    assert front == expected


def test_a_circle_around_the_globe_is_planned_quickly_and_fairly():
    # given four people spread round the world, so every hour is someone's night
    circle = [
        person("ny", "America/New_York"),
        person("ldn", "Europe/London"),
        person("sg", "Asia/Singapore"),
        person("syd", "Australia/Sydney"),
    ]
    windows = occurrence_windows(date(2027, 1, 4), "MONTHLY", 12)
    # when planned
    began = clock.perf_counter()
    plan = plan_series(circle, windows, timedelta(hours=1))
    elapsed = clock.perf_counter() - began
    # then it answers promptly, spreads the nights, and beats every fixed time by a wide margin
    assert elapsed < 5
    nights = plan.night_counts.values()
    assert max(nights) - min(nights) <= 2
    assert plan.max_cost < best_fixed_time_series(circle, windows, timedelta(hours=1)).max_cost / 2
