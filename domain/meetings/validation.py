"""Checks on meeting input, run before anything is written."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from domain.errors import ValidationFailed
from domain.meetings.rules import BookingRules
from domain.people.validation import valid_name, valid_optional_text

MAX_MEETING_MINUTES = 8 * 60
MAX_AGENDA_ITEMS = 30
AGENDA_TEXT_MAX = 500


def valid_instant(value: datetime, *, field: str) -> datetime:
    """An aware instant, normalised to UTC; a naive time would be read in nobody's zone."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationFailed("Give the time with its UTC offset, e.g. 2027-03-01T09:00:00Z.", field=field)
    return value.astimezone(UTC)


def valid_duration_minutes(minutes: int, *, field: str = "duration_minutes") -> timedelta:
    if minutes <= 0:
        raise ValidationFailed("The duration must be a positive number of minutes.", field=field)
    if minutes > MAX_MEETING_MINUTES:
        raise ValidationFailed(f"A meeting lasts at most {MAX_MEETING_MINUTES} minutes.", field=field)
    return timedelta(minutes=minutes)


def valid_span(
    start: datetime, end: datetime | None, duration_minutes: int | None, *, now: datetime, rules: BookingRules
) -> tuple[datetime, datetime]:
    """The meeting's [start, end) in UTC from an end or a duration, within the notice and horizon rules."""
    start = valid_instant(start, field="start")
    if (end is None) == (duration_minutes is None):
        raise ValidationFailed("Give an end or a duration in minutes, not both.", field="end")
    if end is not None:
        end = valid_instant(end, field="end")
        if end <= start:
            raise ValidationFailed("The meeting must end after it starts.", field="end")
        valid_duration_minutes(int((end - start).total_seconds() // 60) or 1, field="end")
    else:
        end = start + valid_duration_minutes(duration_minutes)  # type: ignore[arg-type]
    if start < now + rules.minimum_notice:
        minutes = int(rules.minimum_notice.total_seconds() // 60)
        raise ValidationFailed(f"A meeting needs at least {minutes} minutes' notice.", field="start")
    if start > now + rules.maximum_horizon:
        raise ValidationFailed(
            f"Meetings can be booked at most {rules.maximum_horizon.days} days ahead.", field="start"
        )
    return start, end


def valid_title(value: str) -> str:
    return valid_name(value, field="title", max_length=200)


def valid_location(value: str | None) -> str:
    return valid_optional_text(value, field="location", max_length=300) or ""


def valid_conference_url(value: str | None) -> str:
    url = valid_optional_text(value, field="conference_url", max_length=500)
    if url is None:
        return ""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.netloc:
        raise ValidationFailed("A conference link is an http(s) URL.", field="conference_url")
    return url


def valid_agenda_text(value: str, *, field: str) -> str:
    text = " ".join(value.split())
    if not text:
        raise ValidationFailed("An agenda item cannot be blank.", field=field)
    if len(text) > AGENDA_TEXT_MAX:
        raise ValidationFailed(f"At most {AGENDA_TEXT_MAX} characters.", field=field)
    return text


def valid_agenda(values: Sequence[str], *, field: str = "agenda") -> list[str]:
    if len(values) > MAX_AGENDA_ITEMS:
        raise ValidationFailed(f"At most {MAX_AGENDA_ITEMS} agenda items.", field=field)
    return [valid_agenda_text(value, field=f"{field}[{index}]") for index, value in enumerate(values)]


def valid_reason(value: str | None, *, field: str = "reason") -> str:
    return valid_optional_text(value, field=field, max_length=2000) or ""
