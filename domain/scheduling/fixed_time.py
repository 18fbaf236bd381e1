"""What a plain recurring event costs: the same UTC weekday and time every occurrence, busy or not.

This is the comparison a coordinator sees beside a rotation plan. A calendar "repeat" keeps the UTC
time, so when one attendee's DST changes the meeting drifts an hour in their day; that drift is
exactly what the ledger here shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from domain.errors import ValidationFailed
from domain.scheduling.attendees import Attendee
from domain.scheduling.calendar_math import MICROS_PER_DAY, from_micros
from domain.scheduling.costs import COST_DECIMALS
from domain.scheduling.rotation import window_searches
from domain.scheduling.slots import DEFAULT_STEP, SlotSearch

_SCALE = 10**COST_DECIMALS
_EPOCH_WEEKDAY = 3  # 1970-01-01 was a Thursday
_MICROSECOND = timedelta(microseconds=1)


@dataclass(frozen=True)
class FixedTimeSeries:
    weekday: int  # UTC weekday, 0=Monday
    at: time  # UTC time of day
    starts: tuple[datetime, ...]
    ledger: dict[str, float]
    out_of_hours_counts: dict[str, int]
    night_counts: dict[str, int]

    @property
    def max_cost(self) -> float:
        return max(self.ledger.values())

    @property
    def total_cost(self) -> float:
        return round(sum(self.ledger.values()), COST_DECIMALS)


def _start_in_window(search: SlotSearch, weekday: int, at_us: int) -> int | None:
    """First instant in the window on that UTC weekday and time whose meeting still ends inside it."""
    window_start, window_end = search.window
    day = window_start // MICROS_PER_DAY
    while True:
        start = day * MICROS_PER_DAY + at_us
        if (day + _EPOCH_WEEKDAY) % 7 == weekday and start >= window_start:
            return start if start + search.duration <= window_end else None
        day += 1


def _ledger(searches: list[SlotSearch], weekday: int, at_us: int) -> tuple[list[int], list[list]] | None:
    ledger = [0] * len(searches[0].attendees)
    per_occurrence = []
    for search in searches:
        start = _start_in_window(search, weekday, at_us)
        if start is None:
            return None
        results = search.evaluate(start)
        ledger = [total + round(cost * _SCALE) for total, (cost, _, _) in zip(ledger, results, strict=True)]
        per_occurrence.append([start, results])
    return ledger, per_occurrence


def _series(searches: list[SlotSearch], weekday: int, at_us: int) -> FixedTimeSeries:
    computed = _ledger(searches, weekday, at_us)
    if computed is None:
        raise ValidationFailed("That weekday and time do not fall inside every window.", field="windows")
    ledger, per_occurrence = computed
    keys = [person.key for person in searches[0].attendees]
    out_of_hours = dict.fromkeys(keys, 0)
    nights = dict.fromkeys(keys, 0)
    for _, results in per_occurrence:
        for key, (_, inside, in_night) in zip(keys, results, strict=True):
            out_of_hours[key] += not inside
            nights[key] += in_night
    return FixedTimeSeries(
        weekday=weekday,
        at=(datetime.min + timedelta(microseconds=at_us)).time(),
        starts=tuple(from_micros(start) for start, _ in per_occurrence),
        ledger={key: amount / _SCALE for key, amount in zip(keys, ledger, strict=True)},
        out_of_hours_counts=out_of_hours,
        night_counts=nights,
    )


def fixed_time_series_cost(
    attendees: Sequence[Attendee],
    windows: Sequence[tuple[datetime, datetime]],
    duration: timedelta,
    *,
    weekday: int | None = None,
    at: time | None = None,
) -> FixedTimeSeries:
    """Ledger of a recurring event at UTC ``weekday``/``at``; by default the first window's best slot."""
    searches = window_searches(attendees, windows, duration, DEFAULT_STEP)
    if weekday is None or at is None:
        best = searches[0].ranked(1)
        if not best:
            raise ValidationFailed("The first window has no slot free for everyone.", field="windows")
        first = from_micros(best[0][3])
        weekday, at = first.weekday(), first.time()
    if not isinstance(weekday, int) or not 0 <= weekday <= 6:
        raise ValidationFailed("Weekday must be 0 (Monday) to 6 (Sunday).", field="weekday")
    at_us = (datetime.combine(datetime.min, at) - datetime.min) // _MICROSECOND
    return _series(searches, weekday, at_us)


def best_fixed_time_series(
    attendees: Sequence[Attendee],
    windows: Sequence[tuple[datetime, datetime]],
    duration: timedelta,
    *,
    step: timedelta = DEFAULT_STEP,
) -> FixedTimeSeries:
    """The fixed UTC weekday and time minimising the largest cumulative cost (then the total)."""
    searches = window_searches(attendees, windows, duration, step)
    step_us = searches[0].step
    best: tuple[tuple[int, int], int, int] | None = None
    for weekday in range(7):
        for at_us in range(0, MICROS_PER_DAY, step_us):
            computed = _ledger(searches, weekday, at_us)
            if computed is None:
                continue
            score = (max(computed[0]), sum(computed[0]))
            if best is None or score < best[0]:
                best = (score, weekday, at_us)
    if best is None:
        raise ValidationFailed("No weekday and time fall inside every window.", field="windows")
    return _series(searches, best[1], best[2])
