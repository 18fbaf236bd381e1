"""The planner's largest cumulative cost equals brute force over every combination of slots."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import product

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.scheduling import Attendee, WorkingInterval, find_slots, plan_series

ZONES = [
    "Europe/London", "Asia/Singapore", "America/New_York", "Australia/Sydney", "Asia/Kolkata",
    "America/Los_Angeles", "Europe/Berlin", "Asia/Tokyo", "America/Sao_Paulo", "Pacific/Auckland",
]  # fmt: skip
STEP = timedelta(hours=1)
DURATION = timedelta(hours=1)


@st.composite
def instances(draw):
    people = []
    for index in range(draw(st.integers(2, 3))):
        start = draw(st.integers(6, 12))
        length = draw(st.integers(4, 9))
        hours = tuple(WorkingInterval(day, time(start), time(min(start + length, 23))) for day in range(5))
        people.append(Attendee(key=f"p{index}", zone=draw(st.sampled_from(ZONES)), working_hours=hours))
    first = datetime(2027, 1, 4, tzinfo=UTC) + timedelta(days=draw(st.integers(0, 330)))
    first += timedelta(hours=draw(st.integers(0, 23)))
    span = timedelta(hours=draw(st.integers(4, 14)))
    windows = [
        (first + k * timedelta(weeks=4), first + k * timedelta(weeks=4) + span) for k in range(draw(st.integers(1, 4)))
    ]
    return people, windows


def brute_force(people, windows) -> tuple[float, float]:
    per_window = []
    for start, end in windows:
        slots = find_slots(people, start, end, DURATION, step=STEP)
        daytime = [s for s in slots if not any(a.in_night for a in s.attendees)]
        chosen = daytime or slots  # nights only when nothing else exists
        per_window.append({tuple(a.cost for a in s.attendees) for s in chosen})
    best = None
    for combination in product(*per_window):
        ledger = [round(sum(column), 6) for column in zip(*combination, strict=True)]
        score = (max(ledger), round(sum(ledger), 6))
        best = score if best is None or score < best else best
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instance=instances())
def test_planner_minimises_the_largest_cumulative_cost_exactly(instance):
    # given a small instance on a coarse grid
    people, windows = instance
    # when the planner and brute force both solve it
    plan = plan_series(people, windows, DURATION, step=STEP)
    best_max, best_total = brute_force(people, windows)
    # then the planner's largest ledger is the true minimum, and its total is the least among those
    assert plan.proven_optimal
    assert abs(plan.max_cost - best_max) < 1e-6
    assert abs(plan.total_cost - best_total) < 1e-6
    assert len(plan.occurrences) == len(windows)
    for occurrence, (start, end) in zip(plan.occurrences, windows, strict=True):
        assert start <= occurrence.slot.start and occurrence.slot.end <= end
