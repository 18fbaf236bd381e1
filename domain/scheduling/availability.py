"""Per-person UTC intervals over a horizon: working hours and nights expanded per local day, busy, free time.

Expansion walks local calendar days (not minutes): each WorkingInterval of that weekday becomes one UTC
interval. Steady days use integer arithmetic with the day's offset; DST transition days go through
``wall_to_micros``, so gaps and folds follow the rules in ``calendar_math``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

from domain.scheduling.attendees import Attendee
from domain.scheduling.calendar_math import (
    MICROS_PER_DAY,
    Edge,
    load_zone,
    local_date,
    local_midnight_micros,
    steady_offsets,
    to_micros,
    wall_micros,
    wall_to_micros,
)
from domain.scheduling.intervals import Interval, merge, subtract

# A night that starts on the previous local day can reach into the horizon, and UTC offsets reach
# +/-14h, so one extra local day on each side covers every interval that can touch it.
_DAY = timedelta(days=1)


def _local_days(attendee: Attendee, start_us: int, end_us: int) -> dict[date, int | None]:
    zone = load_zone(attendee.zone)
    first, last = local_date(start_us, zone) - _DAY, local_date(end_us, zone) + _DAY
    # One more day so a night starting on ``last`` can read the next day's offset.
    return steady_offsets(first, last + _DAY, zone)


def _instant(day: date, wall: time, offsets: dict[date, int | None], zone: ZoneInfo, edge: Edge) -> int:
    offset = offsets.get(day)
    if offset is None:  # a DST transition day: resolve gaps and folds by the rules in calendar_math
        return wall_to_micros(day, wall, zone, edge=edge)
    return local_midnight_micros(day) + wall_micros(wall) - offset


def expand(attendee: Attendee, start_us: int, end_us: int) -> tuple[list[Interval], list[Interval]]:
    """(working intervals, nights outside working hours) in UTC for every local day touching the range.

    Night minus working hours: someone who chose to work at 23:00 is not disturbed by a 23:00 meeting.
    A night starting after its end time (22:00-07:00) runs into the next day.
    """
    zone = load_zone(attendee.zone)
    offsets = _local_days(attendee, start_us, end_us)
    days = list(offsets)[:-1]
    expanded: list[Interval] = []
    for day in days:
        for interval in attendee.working_on(day.weekday()):
            expanded.append(
                (
                    _instant(day, interval.start, offsets, zone, "start"),
                    _instant(day, interval.end, offsets, zone, "end"),
                )
            )
    working = merge(expanded)
    if attendee.night_start == attendee.night_end:
        return working, []
    spills_over = attendee.night_start > attendee.night_end
    nights = [
        (
            _instant(day, attendee.night_start, offsets, zone, "start"),
            _instant(day + _DAY if spills_over else day, attendee.night_end, offsets, zone, "end"),
        )
        for day in days
    ]
    return working, subtract(merge(nights), working)


def busy_intervals(attendees: Sequence[Attendee]) -> list[Interval]:
    return merge((to_micros(start), to_micros(end)) for attendee in attendees for start, end in attendee.busy)


def free_time(attendees: Sequence[Attendee], start_us: int, end_us: int) -> list[Interval]:
    """The window minus everyone's busy blocks."""
    return subtract([(start_us, end_us)], busy_intervals(attendees)) if start_us < end_us else []


def horizon(start_us: int, end_us: int) -> tuple[int, int]:
    """Expansion range around a window: wide enough for the 12h distance cap in ``costs``."""
    return start_us - MICROS_PER_DAY, end_us + MICROS_PER_DAY
