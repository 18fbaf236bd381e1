"""Acceptance: fair rotation for a London-Singapore pair, the guide's five-person circle, and a small instance
checked against exhaustive search, each beside what a fixed-time series (a plain recurring event) costs.

Run with -s to see each plan, each person's ledger and the fixed-time series' ledgers.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import accumulate, pairwise

from domain.scheduling import (
    SeriesPlan,
    Slot,
    best_fixed_time_series,
    find_slots,
    fixed_time_series_cost,
    occurrence_windows,
    plan_series,
)
from tests.domain.scheduling.helpers import person
from tests.domain.scheduling.test_rotation_optimality import STEP, brute_force

HOUR = timedelta(hours=1)


def _print(title: str, plan: SeriesPlan, attendees, windows, *, step: timedelta | None = None) -> None:
    extra = {} if step is None else {"step": step}
    fixed = fixed_time_series_cost(attendees, windows, HOUR)
    best_fixed = best_fixed_time_series(attendees, windows, HOUR, **extra)
    print(f"\n== {title}")
    for occurrence in plan.occurrences:
        slot = occurrence.slot
        people = "  ".join(
            f"{a.key} {a.local_start:%a %H:%M}{'*' if not a.inside_working_hours else ' '} {a.cost:5.2f}"
            for a in slot.attendees
        )
        print(f"{slot.start:%Y-%m-%d %H:%M} UTC  {people}")
    print("(* = outside working hours)")
    print(f"{'person':10} {'plan':>8} {'out-of-hours':>12} {'fixed@first':>12} {'best fixed':>11} {'its o-o-h':>9}")
    for key, cost in plan.ledger.items():
        print(
            f"{key:10} {cost:8.3f} {plan.out_of_hours_counts[key]:12d} {fixed.ledger[key]:12.3f}"
            f" {best_fixed.ledger[key]:11.3f} {best_fixed.out_of_hours_counts[key]:9d}"
        )
    print(
        f"max: plan {plan.max_cost:.3f}, fixed@first {fixed.max_cost:.3f} at {fixed.at:%H:%M} UTC, "
        f"best fixed {best_fixed.max_cost:.3f} at {best_fixed.at:%H:%M} UTC weekday {best_fixed.weekday}"
    )


def _every_slot(attendees, windows) -> list[list[Slot]]:
    """Every free slot of each window on the planner's grid: what the plan could have chosen from."""
    return [find_slots(attendees, start, end, HOUR) for start, end in windows]


def _asleep(slot: Slot) -> bool:
    return any(a.in_night for a in slot.attendees)


def test_london_singapore_pair_alternates_the_out_of_hours_burden():
    # given a London and a Singapore mentor pair, both 09:00-17:00 local, meeting monthly through 2027
    pair = [person("london", "Europe/London"), person("singapore", "Asia/Singapore")]
    windows = occurrence_windows(date(2027, 1, 4), "MONTHLY", 12)
    choices = _every_slot(pair, windows)
    # when the series is planned
    plan = plan_series(pair, windows, HOUR)
    _print("London / Singapore, monthly 2027", plan, pair, windows)
    slots = [occurrence.slot for occurrence in plan.occurrences]
    # then no meeting falls in anyone's night
    assert plan.night_counts == {"london": 0, "singapore": 0}
    assert not any(_asleep(slot) for slot in slots)
    # and wherever a slot inside both working days exists (DST opens one in the northern summer), it is used
    shared_days = [any(s.inside_everyones_working_hours for s in window) for window in choices]
    assert [slot.inside_everyones_working_hours for slot in slots] == shared_days
    assert shared_days == [False] * 3 + [True] * 7 + [False] * 2  # April to October: BST 09:00 = SGT 16:00
    for slot, shared in zip(slots, shared_days, strict=True):
        if shared:
            assert [a.local_start.hour for a in slot.attendees] == [9, 16]
    # and where none fits, the burden alternates: at no point has either person been out of hours more than
    # once more than the other, and nobody is burdened alone twice running
    running = {
        key: list(accumulate(not a.inside_working_hours for s in slots for a in s.attendees if a.key == key))
        for key in ("london", "singapore")
    }
    assert all(abs(ldn - sg) <= 1 for ldn, sg in zip(running["london"], running["singapore"], strict=True))
    alone = [
        next(a.key for a in s.attendees if not a.inside_working_hours)
        for s in slots
        if sum(not a.inside_working_hours for a in s.attendees) == 1
    ]
    assert all(earlier != later for earlier, later in pairwise(alone))
    assert plan.out_of_hours_counts == {"london": 3, "singapore": 3}
    # and it beats any plain recurring event for the worse-off person
    best_fixed = best_fixed_time_series(pair, windows, HOUR)
    assert plan.max_cost < best_fixed.max_cost
    assert abs(best_fixed.out_of_hours_counts["london"] - best_fixed.out_of_hours_counts["singapore"]) > 1


def test_five_person_circle_spares_london_and_shares_between_new_york_and_singapore():
    # given two in New York, two in London and one in Singapore, monthly across both DST changes
    circle = [
        person("ny-ana", "America/New_York"),
        person("ny-ben", "America/New_York"),
        person("ldn-cat", "Europe/London"),
        person("ldn-dev", "Europe/London"),
        person("sg-eve", "Asia/Singapore"),
    ]
    windows = occurrence_windows(date(2027, 1, 25), "MONTHLY", 12)  # 4th Monday: 22 Mar, 25 Oct, ...
    starts = [start.date() for start, _ in windows]
    assert date(2027, 3, 22) in starts  # New York already on EDT, London still on GMT
    assert date(2027, 10, 25) in starts  # late October, the week before Europe falls back
    choices = _every_slot(circle, windows)
    awake = [[s for s in window if not _asleep(s)] for window in choices]
    # and, as the guide says, only a narrow band of UTC hours avoids everyone's night, and on working days it
    # always burdens New York or Singapore and never London
    assert all(awake)
    for window in awake:
        assert len({s.start.time() for s in window}) <= 9  # at most two hours of quarter-hour starts a day
        for slot in (s for s in window if s.start.weekday() < 5):
            by_key = {a.key: a for a in slot.attendees}
            assert by_key["ldn-cat"].inside_working_hours and by_key["ldn-dev"].inside_working_hours
            assert not (by_key["ny-ana"].inside_working_hours and by_key["sg-eve"].inside_working_hours)
    # when the series is planned
    plan = plan_series(circle, windows, HOUR)
    _print("NY x2 / London x2 / Singapore, monthly 2027", plan, circle, windows)
    # then no night slot is used, since every window has a slot outside everyone's night
    assert all(count == 0 for count in plan.night_counts.values())
    assert not any(_asleep(o.slot) for o in plan.occurrences)
    # and London never carries any of it
    assert plan.ledger["ldn-cat"] == plan.ledger["ldn-dev"] == 0.0
    # and New York and Singapore share it by cost: both carry some, and the gap between them is narrower
    # than under the best plain recurring event, which leaves Singapore the most
    best_fixed = best_fixed_time_series(circle, windows, HOUR)
    ny, sg = plan.ledger["ny-ana"], plan.ledger["sg-eve"]
    assert plan.ledger["ny-ben"] == ny > 0 and sg > 0
    assert abs(sg - ny) < abs(best_fixed.ledger["sg-eve"] - best_fixed.ledger["ny-ana"])
    # and the worst-off person's cost is no higher than under the best fixed time: here it is the least
    # Singapore could carry at all (its cheapest waking slot every month), so no plan does better
    assert plan.max_cost <= best_fixed.max_cost
    least_for_singapore = sum(
        min(next(a.cost for a in s.attendees if a.key == "sg-eve") for s in window) for window in awake
    )
    assert plan.max_cost == sg == round(least_for_singapore, 6)
    assert plan.proven_optimal


def test_a_small_series_is_as_fair_as_exhaustive_search_finds_possible():
    # given New York, London and Singapore, four monthly occurrences, an hourly grid and one-day windows
    trio = [
        person("ny", "America/New_York"),
        person("ldn", "Europe/London"),
        person("sg", "Asia/Singapore"),
    ]
    windows = occurrence_windows(date(2027, 2, 1), "MONTHLY", 4, days=1)  # through the US and EU spring changes
    # when the planner and brute force over every combination of slots both solve it
    plan = plan_series(trio, windows, HOUR, step=STEP)
    best_max, best_total = brute_force(trio, windows)
    _print("NY / London / Singapore, 4 monthly, hourly grid", plan, trio, windows, step=STEP)
    print(f"exhaustive search: least largest ledger {best_max:.3f}, then least total {best_total:.3f}")
    # then the planner's largest ledger, and its total, are the true minimum
    assert plan.proven_optimal
    assert abs(plan.max_cost - best_max) < 1e-6
    assert abs(plan.total_cost - best_total) < 1e-6
    assert plan.max_cost <= best_fixed_time_series(trio, windows, HOUR, step=STEP).max_cost
