"""The period a report covers: whole days, inclusive, checked once for every report."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from functools import cached_property

from domain.errors import ValidationFailed

LONGEST = datetime.timedelta(days=5 * 366)


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date

    @classmethod
    def checked(cls, start: datetime.date, end: datetime.date, *, field: str = "period") -> Period:
        if end < start:
            raise ValidationFailed("A period ends on or after the day it starts.", field=f"{field}.end")
        if end - start > LONGEST:
            raise ValidationFailed("A period covers at most five years.", field=f"{field}.end")
        return cls(start, end)

    # Cached: reports compare tens of thousands of instants against these.
    @cached_property
    def starts_at(self) -> datetime.datetime:
        return datetime.datetime.combine(self.start, datetime.time(), datetime.UTC)

    @cached_property
    def ends_at(self) -> datetime.datetime:
        """The instant just after the last day: periods are half-open in time."""
        return datetime.datetime.combine(self.end + datetime.timedelta(days=1), datetime.time(), datetime.UTC)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def contains(self, instant: datetime.datetime | None) -> bool:
        return instant is not None and self.starts_at <= instant < self.ends_at

    def overlap_days(self, since: datetime.datetime, until: datetime.datetime | None) -> float:
        """How many days of [since, until) fall inside the period."""
        start = max(since, self.starts_at)
        end = min(until or self.ends_at, self.ends_at)
        return max((end - start).total_seconds() / 86400, 0.0)

    def months(self) -> list[datetime.date]:
        """The first day of every month the period touches: the blocks survey answers are kept in."""
        month = self.start.replace(day=1)
        months = []
        while month <= self.end:
            months.append(month)
            month = (month + datetime.timedelta(days=32)).replace(day=1)
        return months
