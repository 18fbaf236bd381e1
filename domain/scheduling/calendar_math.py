"""Wall-clock <-> UTC conversion with daylight-saving handled on purpose, never by accident.

Working hours and nights are stored as local wall-clock times; slots are UTC instants. Internally
instants are integer microseconds since the Unix epoch so interval arithmetic is exact and fast.

A local time on a given date is usually one instant. Around DST transitions it is not:

* Gap (spring forward, e.g. 01:30 in Europe/London on the last Sunday of March): the wall time does
  not exist. Both a start and an end are moved to the first valid instant after the gap, i.e. the
  transition itself (02:00 BST). An interval lying wholly inside the gap therefore becomes empty.
* Fold (fall back, e.g. 01:30 in Europe/London on the last Sunday of October happens twice): a
  start uses the first occurrence (fold=0) and an end the second (fold=1), so an interval that
  touches the repeated hour grows by that hour instead of being silently shortened.

Only ``zoneinfo`` is used; the ``tzdata`` package supplies the database where the OS has none.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Literal
from zoneinfo import ZoneInfo

from domain.errors import ValidationFailed

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)
MICROS_PER_MINUTE = 60_000_000
MICROS_PER_HOUR = 3_600_000_000
MICROS_PER_DAY = 24 * MICROS_PER_HOUR

Edge = Literal["start", "end"]


@lru_cache(maxsize=1024)
def _cached_zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def load_zone(name: object) -> ZoneInfo:
    """The IANA zone called ``name``; ValidationFailed(field="timeZone") when there is none."""
    if not isinstance(name, str) or not name:
        raise ValidationFailed(f"Unknown time zone: {name!r}.", field="timeZone")
    try:
        return _cached_zone(name)
    except (KeyError, ValueError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
        raise ValidationFailed(f"Unknown time zone: {name!r}.", field="timeZone") from exc


def is_aware(value: object) -> bool:
    return isinstance(value, datetime) and value.tzinfo is not None and value.utcoffset() is not None


def to_micros(instant: datetime) -> int:
    """Microseconds since the epoch of an aware datetime (any zone)."""
    return (instant - EPOCH) // MICROSECOND


def from_micros(micros: int) -> datetime:
    """The aware UTC datetime ``micros`` microseconds after the epoch."""
    return EPOCH + timedelta(microseconds=micros)


def local_date(micros: int, zone: ZoneInfo) -> date:
    return from_micros(micros).astimezone(zone).date()


def wall_to_micros(day: date, wall: time, zone: ZoneInfo, *, edge: Edge) -> int:
    """The instant of wall-clock ``wall`` on local ``day``, resolving gaps and folds per the module rules."""
    naive = datetime.combine(day, wall)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    first_offset = first.utcoffset()
    second_offset = second.utcoffset()
    # Fast path: on all but a couple of days a year both folds agree.
    if first_offset == second_offset:
        return to_micros(first)
    first_us = to_micros(first)
    second_us = to_micros(second)
    if first.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == naive:
        # Fold: the wall time happens twice. Starts take the earlier, ends the later instant.
        return min(first_us, second_us) if edge == "start" else max(first_us, second_us)
    return _transition_after_gap(min(first_us, second_us), max(first_us, second_us), zone)


def _transition_after_gap(before_us: int, after_us: int, zone: ZoneInfo) -> int:
    """First instant in (before_us, after_us] whose UTC offset is the post-gap one (binary search)."""
    target = from_micros(after_us).astimezone(zone).utcoffset()
    low, high = before_us, after_us
    while high - low > 1:
        middle = (low + high) // 2
        if from_micros(middle).astimezone(zone).utcoffset() == target:
            high = middle
        else:
            low = middle
    return high


def wall_to_utc(day: date, wall: time, zone: ZoneInfo, *, edge: Edge) -> datetime:
    """Aware-UTC form of ``wall_to_micros``."""
    return from_micros(wall_to_micros(day, wall, zone, edge=edge))


def dates_between(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _midnight_offsets(day: date, zone: ZoneInfo) -> tuple[timedelta | None, timedelta | None]:
    midnight = datetime.combine(day, time(0))
    return midnight.replace(tzinfo=zone).utcoffset(), midnight.replace(tzinfo=zone, fold=1).utcoffset()


def steady_offsets(first: date, last: date, zone: ZoneInfo) -> dict[date, int | None]:
    """Per local date, its UTC offset in microseconds when constant all day, else None (a transition day).

    A day is steady when both folds of its midnight and of the next midnight share one offset. That
    misses only two transitions cancelling within one day, which tzdata has nowhere since 1900
    (the closest two are more than two days apart), so the shortcut is exact. It lets a year of
    working hours expand with integer arithmetic instead of four zone lookups per wall time.
    """
    offsets: dict[date, int | None] = {}
    previous = _midnight_offsets(first, zone)
    for day in dates_between(first, last):
        following = _midnight_offsets(day + timedelta(days=1), zone)
        same = previous[0] == previous[1] == following[0] == following[1]
        offsets[day] = previous[0] // MICROSECOND if same and previous[0] is not None else None
        previous = following
    return offsets


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def wall_micros(wall: time) -> int:
    return ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1_000_000 + wall.microsecond


def local_midnight_micros(day: date) -> int:
    """The naive local midnight of ``day`` as if it were UTC; subtract the offset to get the instant."""
    return (day.toordinal() - _EPOCH_ORDINAL) * MICROS_PER_DAY
