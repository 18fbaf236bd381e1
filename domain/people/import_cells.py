"""Parsing the list-valued cells of a people CSV (working hours, skills, languages, level); pure, no I/O.

Each parser raises ValidationFailed naming the CSV column as the field, so a spreadsheet user sees the
column they have to fix; the message quotes the piece of the cell that is wrong.
"""

from __future__ import annotations

import datetime
import re

from domain.errors import ValidationFailed
from domain.people.models import minutes_to_time
from domain.people.validation import (
    MAX_LEVEL,
    WorkingInterval,
    valid_level,
    valid_working_interval,
    without_overlaps,
)

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# 'Mon' and 'Monday' (any case) both name a day.
_DAY_NAMES = {name.lower()[:length]: day for day, name in enumerate(WEEKDAYS) for length in (3, len(name))}
MIN_PROFICIENCY, MAX_PROFICIENCY = 1, 5
END_OF_DAY = 24 * 60

_CLOCK = re.compile(r"^(\d{1,2}):(\d{2})$")
_STRETCH = re.compile(r"^(?P<days>.+?)\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2})$")


def split_list(cell: str, separators: str = ";") -> list[str]:
    """The non-empty, trimmed items of a list cell."""
    items = re.split(f"[{re.escape(separators)}]", cell)
    return [item.strip() for item in items if item.strip()]


def _weekday(name: str, *, stretch: str, field: str) -> int:
    day = _DAY_NAMES.get(name.strip().lower())
    if day is None:
        raise ValidationFailed(
            f"{stretch!r}: {name.strip()!r} is not a weekday such as 'Mon' or 'Tuesday'.", field=field
        )
    return day


def _weekdays(days: str, *, stretch: str, field: str) -> list[int]:
    """'Mon', 'Mon-Fri' or 'Mon,Wed,Fri' as weekday numbers (0 is Monday); a range runs forwards within the week."""
    weekdays: list[int] = []
    for part in days.split(","):
        first, dash, last = part.partition("-")
        start = _weekday(first, stretch=stretch, field=field)
        end = _weekday(last, stretch=stretch, field=field) if dash else start
        if end < start:
            raise ValidationFailed(f"{stretch!r}: a day range runs forwards, as in 'Mon-Fri'.", field=field)
        weekdays.extend(day for day in range(start, end + 1) if day not in weekdays)
    return weekdays


def _minutes(clock: str, *, stretch: str, field: str) -> int:
    match = _CLOCK.match(clock)
    hours, minutes = (int(match.group(1)), int(match.group(2))) if match else (-1, -1)
    if (hours, minutes) == (24, 0):
        return END_OF_DAY
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise ValidationFailed(f"{stretch!r}: {clock!r} is not a 24-hour time such as '09:00'.", field=field)
    return hours * 60 + minutes


def parse_working_hours(cell: str, *, field: str = "working_hours") -> list[tuple[int, int, int]]:
    """'Mon-Fri 09:00-17:00; Sat 10:00-12:00' as (weekday, start minute, end minute), sorted."""
    stretches: list[tuple[int, int, int]] = []
    for stretch in split_list(cell):
        match = _STRETCH.match(stretch)
        if match is None:
            raise ValidationFailed(
                f"{stretch!r} is not a stretch such as 'Mon-Fri 09:00-17:00' (days, then start-end).", field=field
            )
        start = _minutes(match["start"], stretch=stretch, field=field)
        end = _minutes(match["end"], stretch=stretch, field=field)
        for weekday in _weekdays(match["days"], stretch=stretch, field=field):
            try:
                valid_working_interval(weekday, minutes_to_time(start), minutes_to_time(end), field=field)
            except ValidationFailed as error:
                raise ValidationFailed(f"{stretch!r}: {error.message}", field=field) from None
            stretches.append((weekday, start, end))
    try:
        without_overlaps([WorkingInterval(day, start, end) for day, start, end in stretches], field=field)
    except ValidationFailed as error:
        index = int(re.search(r"\[(\d+)\]", error.field or "[0]").group(1))
        day, start, end = stretches[index]
        clash = f"{WEEKDAYS[day][:3]} {start // 60:02d}:{start % 60:02d}"
        raise ValidationFailed(f"{clash}: {error.message}", field=field) from None
    return sorted(stretches)


def parse_skill_levels(cell: str, *, field: str) -> list[tuple[str, int]]:
    """'Python:4; Stakeholder management:3' as (name as typed, proficiency 1-5)."""
    skills: list[tuple[str, int]] = []
    for item in split_list(cell):
        name, colon, level = item.rpartition(":")
        if not colon or not name.strip():
            raise ValidationFailed(f"{item!r}: give a proficiency after the skill, as in 'Python:4'.", field=field)
        if not level.strip().isdigit() or not MIN_PROFICIENCY <= int(level) <= MAX_PROFICIENCY:
            raise ValidationFailed(
                f"{item!r}: proficiency is a whole number from {MIN_PROFICIENCY} to {MAX_PROFICIENCY}.", field=field
            )
        skills.append((name.strip(), int(level)))
    return skills


def parse_level(cell: str, *, field: str = "level") -> int:
    text = cell.strip()
    if not text.isdigit():
        raise ValidationFailed(f"{text!r}: level is a whole number from 1 to {MAX_LEVEL}.", field=field)
    level = int(text)
    valid_level(level, field=field)
    return level


def parse_leaving_date(cell: str, *, today: datetime.date, field: str = "left_on") -> datetime.date:
    """'2026-03-10': the day someone left. A date still to come is refused, since an import marks them gone now."""
    text = cell.strip()
    try:
        day = datetime.date.fromisoformat(text)
    except ValueError:
        message = f"{text!r}: a leaving date is written as YYYY-MM-DD, as in '2026-03-10'."
        raise ValidationFailed(message, field=field) from None
    if day > today:
        raise ValidationFailed(
            f"{text!r} is still to come: import the leaving date once the person has left.", field=field
        )
    return day
