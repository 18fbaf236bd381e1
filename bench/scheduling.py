"""Benchmark the pure scheduling code: slot search, series planning, and many small searches.

Run: python bench/scheduling.py. Prints one row per case: median wall time over repeated runs, the
target, pass/fail and a ratio against a baseline run in this process on the same input. The slot
search baselines are a naive minute-by-minute scan (below); the planner's is the fixed-time costing.
"""

from __future__ import annotations

import random
import statistics
import sys
import time as clock
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, available_timezones

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from domain.scheduling import (
    Attendee,
    WorkingInterval,
    find_slots,
    fixed_time_series_cost,
    occurrence_windows,
    plan_series,
)
from domain.scheduling.costs import NIGHT_PENALTY, OUT_OF_HOURS_BASE

HOUR = timedelta(hours=1)
MINUTE = timedelta(minutes=1)
STEP = timedelta(minutes=15)
LIMIT = 10
CAP_MINUTES = 12 * 60


def office(start: int = 9, end: int = 17) -> tuple[WorkingInterval, ...]:
    return tuple(WorkingInterval(day, time(start), time(end)) for day in range(5))


def naive_find_slots(attendees, window_start, window_end, duration, step=STEP, limit=LIMIT) -> list[datetime]:
    """Baseline: classify every minute of the window for every person, then sum minutes per candidate."""
    minutes = int((window_end - window_start) / MINUTE)
    slot_minutes = int(duration / MINUTE)
    busy = bytearray(minutes)
    densities, nights = [], []
    for person in attendees:
        zone = ZoneInfo(person.zone)
        table = [bytearray(1440) for _ in range(7)]
        for interval in person.working_hours:
            first = interval.start.hour * 60 + interval.start.minute
            last = interval.end.hour * 60 + interval.end.minute
            table[interval.weekday][first:last] = b"\x01" * (last - first)
        night_from = person.night_start.hour * 60 + person.night_start.minute
        night_to = person.night_end.hour * 60 + person.night_end.minute
        working, night = bytearray(minutes), bytearray(minutes)
        for m in range(minutes):
            local = (window_start + m * MINUTE).astimezone(zone)
            of_day = local.hour * 60 + local.minute
            working[m] = table[local.weekday()][of_day]
            in_night = (
                of_day >= night_from or of_day < night_to if night_from > night_to else night_from <= of_day < night_to
            )
            night[m] = in_night and not working[m]
        since = [CAP_MINUTES] * minutes  # minutes since the last working minute, then until the next
        for m in range(minutes):
            since[m] = 0 if working[m] else min(CAP_MINUTES, (since[m - 1] if m else CAP_MINUTES) + 1)
        for m in range(minutes - 1, -1, -1):
            until = 0 if working[m] else min(CAP_MINUTES, (since[m + 1] if m + 1 < minutes else CAP_MINUTES) + 1)
            since[m] = min(since[m], until)
        densities.append([0.0 if working[m] else (1 + since[m] / 60) / 60 for m in range(minutes)])
        nights.append(night)
        for start, end in person.busy:
            first_busy = max(0, -int(-(start - window_start) // MINUTE))
            for m in range(first_busy, minutes):
                if window_start + m * MINUTE >= end:
                    break
                busy[m] = 1
    ranked = []
    first = -(-int(window_start.timestamp()) // int(step.total_seconds())) * int(step.total_seconds())
    offset = int((datetime.fromtimestamp(first, UTC) - window_start) / MINUTE)
    for m in range(offset, minutes - slot_minutes + 1, int(step / MINUTE)):
        if any(busy[m : m + slot_minutes]):
            continue
        costs = []
        for density, night in zip(densities, nights, strict=True):
            outside = sum(density[m : m + slot_minutes])
            costs.append(
                0.0 if outside == 0 else OUT_OF_HOURS_BASE + outside + NIGHT_PENALTY * any(night[m : m + slot_minutes])
            )
        ranked.append((max(costs) > 0, round(max(costs), 3), round(sum(costs), 3), m))
    ranked.sort()
    return [window_start + m * MINUTE for *_, m in ranked[:limit]]


def median_ms(run: Callable[[], object], repeats: int) -> tuple[float, object]:
    """Median wall time in ms over ``repeats`` runs, and the last run's result."""
    times = []
    for _ in range(repeats):
        began = clock.perf_counter()
        result = run()
        times.append((clock.perf_counter() - began) * 1000)
    return statistics.median(times), result


def circle() -> list[Attendee]:
    return [
        Attendee("ny-1", "America/New_York", office()),
        Attendee("ny-2", "America/New_York", office()),
        Attendee("ldn-1", "Europe/London", office()),
        Attendee("ldn-2", "Europe/London", office()),
        Attendee("sg-1", "Asia/Singapore", office()),
    ]


def random_pairs(count: int, window_start: datetime, seed: int = 7) -> list[list[Attendee]]:
    """Pairs in random zones with 8h days starting 07:00-11:00 and four random busy hours each."""
    rng = random.Random(seed)
    zones = sorted(zone for zone in available_timezones() if zone != "localtime")
    pairs = []
    for index in range(count):
        pair = []
        for side in "ab":
            start = rng.randint(7, 11)
            busy = []
            for _ in range(4):
                begins = window_start + timedelta(minutes=30 * rng.randrange(14 * 48))
                busy.append((begins, begins + HOUR))
            pair.append(Attendee(f"{side}{index}", rng.choice(zones), office(start, start + 8), tuple(busy)))
        pairs.append(pair)
    return pairs


def main() -> None:
    repeats = 20
    rows = []

    people = circle()
    year = (datetime(2027, 1, 1, tzinfo=UTC), datetime(2028, 1, 1, tzinfo=UTC))
    ours, slots = median_ms(lambda: find_slots(people, *year, HOUR, limit=LIMIT), repeats)
    naive, naive_starts = median_ms(lambda: naive_find_slots(people, *year, HOUR), 1)
    agrees = "yes" if slots[0].start == naive_starts[0] else "no"
    rows.append(("find_slots: 5-person NY/LDN/SG circle, 12 months", ours, 50, naive, "naive minute scan", agrees))

    windows = occurrence_windows(date(2027, 1, 25), "MONTHLY", 12)
    ours, _ = median_ms(lambda: plan_series(people, windows, HOUR), repeats)
    fixed, _ = median_ms(lambda: fixed_time_series_cost(people, windows, HOUR), repeats)
    rows.append(("plan_series: same circle, 12 monthly occurrences", ours, 100, fixed, "fixed-time costing", None))

    fortnight = (datetime(2027, 3, 8, tzinfo=UTC), datetime(2027, 3, 22, tzinfo=UTC))
    pairs = random_pairs(200, fortnight[0])

    def every_pair(search: Callable) -> list:
        return [search(pair, *fortnight, HOUR, limit=LIMIT) for pair in pairs]

    ours, all_slots = median_ms(lambda: every_pair(find_slots), 5)
    naive, all_naive = median_ms(lambda: every_pair(naive_find_slots), 1)
    agreeing = sum(bool(s and n and s[0].start == n[0]) for s, n in zip(all_slots, all_naive, strict=True))
    agrees = f"{agreeing}/{len(pairs)}"
    rows.append(("find_slots: 200 random-zone pairs, 2 weeks (total)", ours, 1000, naive, "naive minute scan", agrees))

    print(f"{'case':54} {'median ms':>9} {'target':>6} {'result':>6} {'baseline ms':>11} {'ratio':>7} baseline")
    for name, measured, target, baseline, label, check in rows:
        verdict = "PASS" if measured <= target else "FAIL"
        note = "" if check is None else f" (same best slot: {check})"
        ratio = baseline / measured
        print(f"{name:54} {measured:9.1f} {target:6d} {verdict:>6} {baseline:11.1f} {ratio:6.1f}x {label}{note}")
    print("ratio = baseline ms / median ms (above 1: faster than the baseline)")


if __name__ == "__main__":
    main()
