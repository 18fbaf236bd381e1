"""Who is scheduled: local working hours, night and busy blocks, validated when built."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from domain.errors import ValidationFailed
from domain.scheduling.calendar_math import is_aware, load_zone

DEFAULT_NIGHT_START = time(22, 0)
DEFAULT_NIGHT_END = time(7, 0)


@dataclass(frozen=True)
class WorkingInterval:
    """Local wall-clock working time on one weekday (0=Monday .. 6=Sunday); end > start."""

    weekday: int
    start: time
    end: time

    def __post_init__(self) -> None:
        if not isinstance(self.weekday, int) or not 0 <= self.weekday <= 6:
            raise ValidationFailed("Weekday must be 0 (Monday) to 6 (Sunday).", field="workingHours")
        for wall in (self.start, self.end):
            if not isinstance(wall, time) or wall.tzinfo is not None:
                raise ValidationFailed("Working hours are naive wall-clock times.", field="workingHours")
        if self.end <= self.start:
            raise ValidationFailed("A working interval must end after it starts.", field="workingHours")

    @property
    def length(self) -> timedelta:
        """Nominal (wall-clock) length; DST days may make the real interval an hour longer or shorter."""
        return _as_delta(self.end) - _as_delta(self.start)


def _as_delta(wall: time) -> timedelta:
    return timedelta(hours=wall.hour, minutes=wall.minute, seconds=wall.second, microseconds=wall.microsecond)


@dataclass(frozen=True)
class Attendee:
    """One person to schedule. ``busy`` holds aware [start, end) blocks; night defaults to 22:00-07:00."""

    key: str
    zone: str
    working_hours: tuple[WorkingInterval, ...] = ()
    busy: tuple[tuple[datetime, datetime], ...] = ()
    night_start: time = DEFAULT_NIGHT_START
    night_end: time = DEFAULT_NIGHT_END
    _by_weekday: tuple[tuple[WorkingInterval, ...], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        load_zone(self.zone)
        if not isinstance(self.key, str) or not self.key:
            raise ValidationFailed("Every attendee needs a key.", field="attendees")
        object.__setattr__(self, "working_hours", tuple(self.working_hours))
        object.__setattr__(self, "busy", tuple(tuple(block) for block in self.busy))
        for interval in self.working_hours:
            if not isinstance(interval, WorkingInterval):
                raise ValidationFailed("Working hours must be WorkingInterval values.", field="workingHours")
        for block in self.busy:
            if len(block) != 2 or not all(is_aware(edge) for edge in block) or block[1] <= block[0]:
                raise ValidationFailed("Busy blocks are aware (start, end) pairs, end > start.", field="busy")
        for wall in (self.night_start, self.night_end):
            if not isinstance(wall, time) or wall.tzinfo is not None:
                raise ValidationFailed("Night bounds are naive local wall-clock times.", field="night")
        # Grouped once so expanding a year of days does not rescan every interval per day.
        grouped = tuple(tuple(i for i in self.working_hours if i.weekday == day) for day in range(7))
        object.__setattr__(self, "_by_weekday", grouped)

    @property
    def longest_working_interval(self) -> timedelta:
        return max((interval.length for interval in self.working_hours), default=timedelta(0))

    def working_on(self, weekday: int) -> tuple[WorkingInterval, ...]:
        return self._by_weekday[weekday]
