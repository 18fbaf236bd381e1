"""Plain-data builders shared by the scheduling tests (no database, no fixtures)."""

from __future__ import annotations

from datetime import UTC, datetime, time

from domain.scheduling import Attendee, WorkingInterval

WEEKDAYS = range(5)


def office_hours(start: time = time(9), end: time = time(17), days=WEEKDAYS) -> tuple[WorkingInterval, ...]:
    return tuple(WorkingInterval(day, start, end) for day in days)


def person(key: str, zone: str, **kwargs) -> Attendee:
    kwargs.setdefault("working_hours", office_hours())
    return Attendee(key=key, zone=zone, **kwargs)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)
