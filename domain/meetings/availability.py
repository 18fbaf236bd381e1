"""From the database to the scheduling engine: each person's zone, working week and busy time as an Attendee.

Busy time is the person's SCHEDULED meetings here plus whatever the FreeBusyProvider reports from a
connected calendar; a calendar that could not be read is named in the answer (`unavailable_calendars`)
and the search goes on with the rest. The provider's copy of a meeting booked here is busy twice over,
which changes nothing. Someone who never set working hours is read as working 09:00-17:00 on weekdays in
their zone, so an empty profile neither blocks every search nor counts every hour as convenient.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from domain.access import Viewer
from domain.clock import utc_now
from domain.errors import NotFound, PermissionDenied, ValidationFailed
from domain.meetings.models import MeetingAttendee, MeetingStatus
from domain.meetings.ports import FreeBusyProvider
from domain.meetings.rules import BookingRules
from domain.meetings.validation import valid_duration_minutes, valid_instant
from domain.people.models import Person, WorkingHours, minutes_to_time
from domain.people.validation import valid_time_zone
from domain.relationships.access import relationship_access
from domain.scheduling import Attendee, Slot, WorkingInterval, find_slots

DEFAULT_WEEK = tuple(WorkingInterval(weekday, time(9, 0), time(17, 0)) for weekday in range(5))

# The engine names its own parameters; clients know the GraphQL input's.
_INPUT_FIELD = {"duration": "duration_minutes", "windows": "first_date", "firstDate": "first_date"}


@contextlib.contextmanager
def engine_fields() -> Iterator[None]:
    """Re-labels the scheduling engine's ValidationFailed with the input field the client sent."""
    try:
        yield
    except ValidationFailed as error:
        raise ValidationFailed(error.message, field=_INPUT_FIELD.get(error.field or "", error.field)) from None


def attendee_key(person_id: int) -> str:
    return str(person_id)


async def _busy_here(person_ids: Sequence[int], start: datetime, end: datetime) -> dict[int, list[tuple]]:
    """Each person's SCHEDULED meetings overlapping [start, end), as plain (start, end) pairs from one join."""
    rows = await MeetingAttendee.filter(
        person_id__in=list(person_ids),
        meeting__status=MeetingStatus.SCHEDULED,
        meeting__starts_at__lt=end,
        meeting__ends_at__gt=start,
    ).values_list("person_id", "meeting__starts_at", "meeting__ends_at")
    busy: dict[int, list[tuple]] = defaultdict(list)
    for person_id, starts_at, ends_at in rows:
        busy[person_id].append((starts_at, ends_at))
    return busy


@dataclass(frozen=True)
class Schedules:
    """Zones, working weeks and busy time of many people over one window, read in a fixed number of queries."""

    people: dict[int, Person]
    weeks: dict[int, list[WorkingInterval]]
    busy: dict[int, list[tuple]]
    # Whose connected calendar could not be read: searched on their meetings here alone.
    unreadable: frozenset[int] = frozenset()

    def unavailable_among(self, person_ids: Sequence[int]) -> list[int]:
        return [person_id for person_id in person_ids if person_id in self.unreadable]

    def attendee(self, person_id: int) -> Attendee:
        """The engine's view of one loaded person; call only after their zone was validated."""
        return Attendee(
            key=attendee_key(person_id),
            zone=self.people[person_id].time_zone,
            working_hours=tuple(self.weeks.get(person_id) or DEFAULT_WEEK),
            busy=tuple(self.busy.get(person_id, [])),
        )


async def load_schedules(
    person_ids: Sequence[int], start: datetime, end: datetime, *, free_busy: FreeBusyProvider
) -> Schedules:
    """Three statements and one free/busy call, however many people: profiles, working hours, meetings."""
    ids = list(dict.fromkeys(person_ids))
    people = {p.id: p for p in await Person.filter(id__in=ids)}
    weeks: dict[int, list[WorkingInterval]] = defaultdict(list)
    hours = WorkingHours.filter(person_id__in=ids).values_list("person_id", "weekday", "start_minute", "end_minute")
    for person_id, weekday, start_minute, end_minute in await hours:
        weeks[person_id].append(WorkingInterval(weekday, minutes_to_time(start_minute), minutes_to_time(end_minute)))
    busy = await _busy_here(ids, start, end)
    elsewhere = await free_busy.busy(ids, start, end)
    for person_id, blocks in elsewhere.blocks.items():
        busy[person_id].extend(blocks)
    return Schedules(people=people, weeks=weeks, busy=busy, unreadable=elsewhere.unreadable)


async def scheduling_attendees(
    person_ids: Sequence[int],
    start: datetime,
    end: datetime,
    *,
    free_busy: FreeBusyProvider,
    field_at: Callable[[int], str],
) -> tuple[list[Attendee], list[int]]:
    """One Attendee per person (key = str(person id)), busy over [start, end), and whose calendar could not be
    read; errors name the person's field."""
    ids = list(dict.fromkeys(person_ids))
    schedules = await load_schedules(ids, start, end, free_busy=free_busy)
    for index, person_id in enumerate(ids):
        person = schedules.people.get(person_id)
        if person is None:
            raise NotFound("No such person.", field=field_at(index))
        valid_time_zone(person.time_zone, field=f"{field_at(index)}.time_zone")
    return [schedules.attendee(person_id) for person_id in ids], schedules.unavailable_among(ids)


def refuse_overlong(attendees: Sequence[Attendee], duration: timedelta) -> None:
    """A meeting longer than every attendee's longest working stretch could never sit inside anyone's day."""
    if duration > max(a.longest_working_interval for a in attendees):
        raise ValidationFailed("The meeting is longer than anyone's working day.", field="duration_minutes")


MAX_PEOPLE = 8
MAX_WINDOW = timedelta(days=366)
MAX_SLOTS = 500


@dataclass(frozen=True)
class SlotSearchResult:
    person_ids: list[int]
    slots: list[Slot]
    # How many better-ranked slots came before this page, and whether any follow it.
    offset: int = 0
    has_more: bool = False
    # People of the search whose connected calendar could not be read (the slots ignore it).
    unavailable_calendars: list[int] = field(default_factory=list)


def valid_window(start: datetime, end: datetime, *, now: datetime, rules: BookingRules) -> tuple[datetime, datetime]:
    """[from, to) in UTC, cut to what may still be booked; errors name `from` or `to`."""
    start, end = valid_instant(start, field="from"), valid_instant(end, field="to")
    if end <= start:
        raise ValidationFailed("`to` must come after `from`.", field="to")
    if end - start > MAX_WINDOW:
        raise ValidationFailed(f"Search at most {MAX_WINDOW.days} days at once.", field="to")
    end = min(end, now + rules.maximum_horizon)
    if end <= max(start, now + rules.minimum_notice):
        raise ValidationFailed("Nothing in this window can still be booked.", field="from")
    return start, end


async def _people_to_schedule(
    viewer: Viewer, relationship_id: int | None, person_ids: Sequence[int] | None
) -> tuple[list[int], Callable[[int], str]]:
    if (relationship_id is None) == (person_ids is None):
        raise ValidationFailed("Give either a relationship or a list of people.", field="relationship_id")
    if relationship_id is not None:
        access = await relationship_access(relationship_id)
        if not access.can_see_metadata(viewer):
            raise NotFound("No such relationship.", field="relationship_id")
        return sorted(access.member_ids), lambda _: "relationship_id"
    ids = list(dict.fromkeys(person_ids or []))
    if not 1 <= len(ids) <= MAX_PEOPLE:
        raise ValidationFailed(f"Give 1 to {MAX_PEOPLE} people.", field="person_ids")
    if not viewer.is_admin and viewer.person_id not in ids:
        raise PermissionDenied("Search for times that include yourself.", field="person_ids")
    return ids, lambda index: f"person_ids[{index}]"


async def available_slots(
    viewer: Viewer,
    *,
    relationship_id: int | None = None,
    person_ids: Sequence[int] | None = None,
    start: datetime,
    end: datetime,
    duration_minutes: int,
    limit: int = 10,
    offset: int = 0,
    free_busy: FreeBusyProvider,
    rules: BookingRules = BookingRules(),
    now: datetime | None = None,
) -> SlotSearchResult:
    """Ranked free slots for a relationship's members (members and coordinators) or for people including you.

    A page is `limit` slots after the first `offset` of the ranking, with one more looked for to say whether
    the ranking goes on.
    """
    now = now or utc_now()
    ids, field_at = await _people_to_schedule(viewer, relationship_id, person_ids)
    start, end = valid_window(start, end, now=now, rules=rules)
    duration = valid_duration_minutes(duration_minutes)
    if not 1 <= limit <= MAX_SLOTS:
        raise ValidationFailed(f"Ask for 1 to {MAX_SLOTS} slots.", field="limit")
    attendees, unavailable = await scheduling_attendees(ids, start, end, free_busy=free_busy, field_at=field_at)
    refuse_overlong(attendees, duration)
    with engine_fields():
        slots = find_slots(attendees, start, end, duration, limit=offset + limit + 1, now=now + rules.minimum_notice)
    page = slots[offset : offset + limit]
    return SlotSearchResult(
        person_ids=ids,
        slots=page,
        offset=offset,
        has_more=len(slots) > offset + limit,
        unavailable_calendars=unavailable,
    )
