"""Checks on profile values, shared by the profile mutations and the CSV import."""

from __future__ import annotations

import datetime
import itertools
import zoneinfo
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from email_validator import EmailNotValidError
from email_validator import validate_email as _validate_email

from domain.errors import ValidationFailed, quoted
from domain.people.models import MeetingFormat, time_to_minutes

MAX_LEVEL = 20


class WorkingInterval(NamedTuple):
    """One validated stretch of a weekday (0 is Monday), in minutes after local midnight."""

    weekday: int
    start_minute: int
    end_minute: int


# The regions of IANA's Area/Location names. Legacy names outside them (EST, EST5EDT, MST, CET, Etc/GMT+5,
# SystemV/...) are fixed offsets or rules of the past: they ignore a place's daylight saving and put its people
# an hour off for half the year.
_AREAS = frozenset(
    {"Africa", "America", "Antarctica", "Arctic", "Asia", "Atlantic", "Australia", "Europe", "Indian", "Pacific"}
)


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    places = {zone for zone in zoneinfo.available_timezones() if zone.partition("/")[0] in _AREAS and "/" in zone}
    return frozenset({*places, "UTC"})


def valid_time_zone(value: str, *, field: str = "time_zone") -> str:
    """An IANA Area/Location zone such as 'Europe/London', or UTC; abbreviations and offsets are refused."""
    zone = value.strip()
    if zone not in _known_zones():
        raise ValidationFailed(f"{quoted(value)} is not an IANA time zone such as 'Europe/London'.", field=field)
    return zone


def valid_email(value: str, *, field: str = "email") -> str:
    try:
        result = _validate_email(value.strip(), check_deliverability=False)
    except EmailNotValidError as error:
        raise ValidationFailed(f"{value!r} is not a valid email address: {error}", field=field) from None
    return result.normalized.lower()


def valid_name(value: str, *, field: str = "name", max_length: int = 200) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValidationFailed("This cannot be blank.", field=field)
    if len(name) > max_length:
        raise ValidationFailed(f"At most {max_length} characters.", field=field)
    return name


def valid_optional_text(value: str | None, *, field: str, max_length: int) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if len(text) > max_length:
        raise ValidationFailed(f"At most {max_length} characters.", field=field)
    return text or None


def valid_level(value: int | None, *, field: str = "level") -> int | None:
    if value is not None and not 1 <= value <= MAX_LEVEL:
        raise ValidationFailed(f"Level is an ordinal from 1 to {MAX_LEVEL}.", field=field)
    return value


def valid_languages(values: Iterable[str], *, field: str = "languages") -> list[str]:
    languages: list[str] = []
    for index, value in enumerate(values):
        code = value.strip()
        if not code or len(code) > 35:
            raise ValidationFailed("Give a language tag such as 'en' or 'pt-BR'.", field=f"{field}[{index}]")
        if code not in languages:
            languages.append(code)
    return languages


def valid_meeting_formats(values: Iterable[MeetingFormat]) -> list[str]:
    return list(dict.fromkeys(MeetingFormat(value).value for value in values))


def valid_working_interval(weekday: int, start: datetime.time, end: datetime.time, *, field: str) -> WorkingInterval:
    """A stretch of one weekday as stored: minutes after local midnight, so the checks see what is written."""
    if not 0 <= weekday <= 6:
        raise ValidationFailed("Weekday runs from 0 (Monday) to 6 (Sunday).", field=f"{field}.weekday")
    if start.tzinfo is not None or end.tzinfo is not None:
        raise ValidationFailed("Working hours are local wall-clock times, without an offset.", field=f"{field}.start")
    # Compared after truncating seconds: 09:00:30-09:00:50 would otherwise pass and be stored as 09:00-09:00.
    start_minute, end_minute = time_to_minutes(start), time_to_minutes(end)
    if end_minute <= start_minute:
        raise ValidationFailed("Working hours must end after they start.", field=f"{field}.end")
    return WorkingInterval(weekday, start_minute, end_minute)


def without_overlaps(intervals: list[WorkingInterval], *, field: str) -> list[WorkingInterval]:
    """Refuses two stretches on one day that overlap (touching is fine): nobody works the same hour twice."""
    ordered = sorted(enumerate(intervals), key=lambda item: (item[1].weekday, item[1].start_minute))
    # Sorted by start, any overlap shows between neighbours, so one pass finds it.
    for (_, previous), (index, current) in itertools.pairwise(ordered):
        if previous.weekday == current.weekday and current.start_minute < previous.end_minute:
            raise ValidationFailed("This stretch overlaps another on the same day.", field=f"{field}[{index}].start")
    return intervals
