"""Occurrence windows for a recurring mentoring meeting: the span of days each occurrence may land in."""

from __future__ import annotations

import calendar
from datetime import date, datetime, time, timedelta

from domain.errors import ValidationFailed
from domain.scheduling.calendar_math import load_zone, wall_to_utc

CADENCE_PERIOD_DAYS = {"WEEKLY": 7, "BIWEEKLY": 14, "MONTHLY": 28}
_MIDNIGHT = time(0, 0)


def _same_week_of_month(first_date: date, months_later: int) -> date:
    """The same weekday in the same week of the month (2nd Tuesday -> 2nd Tuesday); a 5th becomes the last."""
    week = (first_date.day - 1) // 7
    month_index = first_date.month - 1 + months_later
    year, month = first_date.year + month_index // 12, month_index % 12 + 1
    first_weekday_day = 1 + (first_date.weekday() - date(year, month, 1).weekday()) % 7
    day = first_weekday_day + 7 * week
    if day > calendar.monthrange(year, month)[1]:
        day -= 7
    return date(year, month, day)


def occurrence_dates(first_date: date, cadence: str, count: int) -> list[date]:
    if cadence == "MONTHLY":
        return [_same_week_of_month(first_date, index) for index in range(count)]
    period = timedelta(days=CADENCE_PERIOD_DAYS[cadence])
    return [first_date + index * period for index in range(count)]


def occurrence_windows(
    first_date: date,
    cadence: str,
    count: int,
    *,
    days: int = 7,
    zone: str = "UTC",
) -> list[tuple[datetime, datetime]]:
    """One UTC window per occurrence: ``days`` local days from midnight (in ``zone``) of each occurrence date.

    MONTHLY keeps the week of the month and the weekday of ``first_date`` (first Monday stays first
    Monday), so with the default 7 days every month gets the same full week to choose from.
    """
    if not isinstance(first_date, date) or isinstance(first_date, datetime):
        raise ValidationFailed("First date must be a calendar date.", field="firstDate")
    cadence = cadence.upper() if isinstance(cadence, str) else cadence
    if cadence not in CADENCE_PERIOD_DAYS:
        raise ValidationFailed("Cadence must be WEEKLY, BIWEEKLY or MONTHLY.", field="cadence")
    if not isinstance(count, int) or count < 1:
        raise ValidationFailed("Count must be at least 1.", field="count")
    if not isinstance(days, int) or not 1 <= days <= min(7, CADENCE_PERIOD_DAYS[cadence]):
        raise ValidationFailed("Windows are 1 to 7 days long so occurrences never overlap.", field="days")
    tz = load_zone(zone)
    return [
        (
            wall_to_utc(day, _MIDNIGHT, tz, edge="start"),
            wall_to_utc(day + timedelta(days=days), _MIDNIGHT, tz, edge="start"),
        )
        for day in occurrence_dates(first_date, cadence, count)
    ]
