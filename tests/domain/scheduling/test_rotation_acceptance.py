"""Acceptance: fair rotation for a London-Singapore pair and a five-person circle, beside a fixed-time series.

Run with -s to see each plan, each person's ledger and what a plain recurring event would cost.
"""

from __future__ import annotations

from datetime import date, timedelta
from itertools import pairwise

from domain.scheduling import (
    SeriesPlan,
    best_fixed_time_series,
    fixed_time_series_cost,
    occurrence_windows,
    plan_series,
)
from tests.domain.scheduling.helpers import person

HOUR = timedelta(hours=1)


def _print(title: str, plan: SeriesPlan, attendees, windows) -> None:
    fixed = fixed_time_series_cost(attendees, windows, HOUR)
    best_fixed = best_fixed_time_series(attendees, windows, HOUR)
    print(f"\n== {title}")
    for occurrence in plan.occurrences:
        slot = occurrence.slot
        people = "  ".join(
            f"{a.key} {a.local_start:%a %H:%M}{'*' if not a.inside_working_hours else ' '} {a.cost:5.2f}"
            for a in slot.attendees
        )
        print(f"{slot.start:%Y-%m-%d %H:%M} UTC  {people}")
    print("(* = outside working hours)")
    print(f"{'person':8} {'plan':>8} {'out-of-hours':>12} {'fixed@first':>12} {'best fixed':>11}")
    for key, cost in plan.ledger.items():
        print(
            f"{key:8} {cost:8.3f} {plan.out_of_hours_counts[key]:12d} {fixed.ledger[key]:12.3f}"
            f" {best_fixed.ledger[key]:11.3f}"
        )
    print(
        f"max: plan {plan.max_cost:.3f}, fixed {fixed.max_cost:.3f} at {fixed.at:%H:%M} UTC, "
        f"best fixed {best_fixed.max_cost:.3f} at {best_fixed.at:%H:%M} UTC weekday {best_fixed.weekday}"
    )


def test_london_singapore_pair_alternates_the_out_of_hours_burden():
    # given a London and a Singapore mentor pair, both 09:00-17:00 local, meeting monthly through 2027
    pair = [person("london", "Europe/London"), person("singapore", "Asia/Singapore")]
    windows = occurrence_windows(date(2027, 1, 4), "MONTHLY", 12)
    # when the series is planned
    plan = plan_series(pair, windows, HOUR)
    _print("London / Singapore, monthly 2027", plan, pair, windows)
    # then nobody meets at night and neither has more than one out-of-hours meeting more than the other
    assert all(count == 0 for count in plan.night_counts.values())
    assert abs(plan.out_of_hours_counts["london"] - plan.out_of_hours_counts["singapore"]) <= 1
    # and the burden alternates: no one is out of hours twice running while the other was not
    burdened = [
        {a.key for a in o.slot.attendees if not a.inside_working_hours}
        for o in plan.occurrences
        if not o.slot.inside_everyones_working_hours
    ]
    for earlier, later in pairwise(burdened):
        assert not (len(earlier) == len(later) == 1 and earlier == later)
    # and in the British summer the plan uses 09:00 BST = 16:00 SGT, inside both days
    for occurrence in plan.occurrences:
        slot = occurrence.slot
        if date(2027, 4, 1) <= slot.start.date() <= date(2027, 10, 30):
            assert slot.inside_everyones_working_hours
            assert slot.start.hour == 8
    # and it is no worse than any plain recurring event
    assert plan.max_cost <= best_fixed_time_series(pair, windows, HOUR).max_cost
    assert plan.max_cost < fixed_time_series_cost(pair, windows, HOUR).max_cost


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
    # when the series is planned
    plan = plan_series(circle, windows, HOUR)
    _print("NY x2 / London x2 / Singapore, monthly 2027", plan, circle, windows)
    # then no night slot is used (a non-night slot exists in every window)
    assert all(count == 0 for count in plan.night_counts.values())
    assert all(not a.in_night for o in plan.occurrences for a in o.slot.attendees)
    # and London never carries any of it
    assert plan.ledger["ldn-cat"] == plan.ledger["ldn-dev"] == 0.0
    # and New York and Singapore share it by cost, and the worst-off is no worse than under a fixed time
    assert plan.ledger["ny-ana"] > 0 and plan.ledger["ny-ben"] > 0 and plan.ledger["sg-eve"] > 0
    best_fixed = best_fixed_time_series(circle, windows, HOUR)
    assert plan.max_cost <= best_fixed.max_cost
    assert plan.ledger["sg-eve"] < best_fixed.ledger["sg-eve"]
