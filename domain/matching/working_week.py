"""A person's working week as a bitmask of UTC half hours, from their local hours and IANA zone (DST-aware)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from domain.scheduling.attendees import Attendee, WorkingInterval
from domain.scheduling.availability import expand
from domain.scheduling.calendar_math import MICROS_PER_DAY, load_zone, to_micros

SLOT_MINUTES = 30
SLOTS_PER_WEEK = 7 * 24 * 60 // SLOT_MINUTES
_SLOT_US = SLOT_MINUTES * 60_000_000

LocalHours = tuple[tuple[int, int, int], ...]  # (weekday, start minute, end minute) in the person's zone


def reference_week(day: date) -> date:
    """The Monday starting the week of `day`: scores use the real offsets of that week, not a standard-time guess."""
    return day - timedelta(days=day.weekday())


@lru_cache(maxsize=4096)
def week_mask(zone: str, hours: LocalHours, monday: date) -> int:
    """Bit k is set when the person works at the middle of the k-th half hour after `monday` 00:00 UTC.

    The local hours are expanded day by day by the scheduling engine, so a zone that changes its clocks
    that week shifts the hours it should. Hours that fall before Monday or after Sunday in UTC wrap
    around: a working week repeats.
    """
    intervals = tuple(WorkingInterval(day, _wall(start), _wall(end)) for day, start, end in hours)
    start_us = to_micros(datetime.combine(monday, time(0), tzinfo=UTC))
    attendee = Attendee(key="week", zone=zone, working_hours=intervals)
    working, _ = expand(attendee, start_us, start_us + 7 * MICROS_PER_DAY)
    mask = 0
    for begin, end in working:
        first = -((begin - start_us - _SLOT_US // 2) // -_SLOT_US)  # first slot whose middle is >= begin
        slot = max(first, 0)
        while slot < SLOTS_PER_WEEK and start_us + slot * _SLOT_US + _SLOT_US // 2 < end:
            mask |= 1 << slot
            slot += 1
    return mask


def utc_offset_minutes(zone: str, instant: datetime) -> int:
    offset = instant.astimezone(load_zone(zone)).utcoffset()
    return int(offset.total_seconds() // 60) if offset is not None else 0


def local_hours(rows: Sequence[tuple[int, int, int]]) -> LocalHours:
    return tuple(sorted(rows))


def _wall(minute: int) -> time:
    return time(23, 59, 59, 999999) if minute >= 24 * 60 else time(minute // 60, minute % 60)
