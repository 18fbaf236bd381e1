"""Free slots for many relationships at once: a coordinator's view of when each pair could meet.

Everything the search needs is read in a fixed number of statements whatever the count — the
relationships, their members and coordinators, then every member's profile, working week and
meetings — and the pure slot search then runs once per relationship. Entries the viewer may not
see (neither a member nor one of the program's overseers), and unknown ids, come back as None, so
a list mixing programs answers what it can without revealing what exists elsewhere.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta

from domain.access import Viewer
from domain.clock import utc_now
from domain.errors import ValidationFailed
from domain.meetings.availability import (
    Schedules,
    SlotSearchResult,
    engine_fields,
    load_schedules,
    refuse_overlong,
    valid_window,
)
from domain.meetings.ports import FreeBusyProvider
from domain.meetings.rules import BookingRules
from domain.meetings.validation import valid_duration_minutes
from domain.people.validation import valid_time_zone
from domain.programs.models import ProgramCoordinator
from domain.relationships.access import RelationshipAccess, access_from_rows
from domain.relationships.models import Relationship, RelationshipMember
from domain.scheduling import find_slots

MAX_RELATIONSHIPS = 200
# Per relationship: a page of many pairs stays bounded (one pair pages on through availableSlots).
MAX_SLOTS = 100


async def _accesses(relationship_ids: Sequence[int]) -> dict[int, RelationshipAccess]:
    """Who stands where towards each existing relationship, in three statements."""
    relationships = await Relationship.filter(id__in=list(set(relationship_ids)))
    members: dict[int, list[int]] = defaultdict(list)
    for relationship_id, person_id in await RelationshipMember.filter(
        relationship_id__in=[r.id for r in relationships]
    ).values_list("relationship_id", "person_id"):
        members[relationship_id].append(person_id)
    coordinators: dict[int, list[int]] = defaultdict(list)
    for program_id, person_id in await ProgramCoordinator.filter(
        program_id__in=list({r.program_id for r in relationships})
    ).values_list("program_id", "person_id"):
        coordinators[program_id].append(person_id)
    return {r.id: access_from_rows(r, members[r.id], coordinators[r.program_id]) for r in relationships}


def _search(
    members: list[int],
    schedules: Schedules,
    *,
    index: int,
    window: tuple[datetime, datetime],
    duration: timedelta,
    limit: int,
    now: datetime,
) -> SlotSearchResult:
    """One relationship's slots, searched as availableSlots would; errors say which entry of the list they concern."""
    for person_id in members:
        valid_time_zone(schedules.people[person_id].time_zone, field=f"relationship_ids[{index}].time_zone")
    attendees = [schedules.attendee(person_id) for person_id in members]
    unavailable = schedules.unavailable_among(members)
    if not attendees:
        return SlotSearchResult(person_ids=members, slots=[])
    try:
        refuse_overlong(attendees, duration)
    except ValidationFailed as error:
        message = f"{error.message.removesuffix('.')} in relationship {index + 1} of the list."
        raise ValidationFailed(message, field=error.field) from None
    with engine_fields():
        slots = find_slots(attendees, *window, duration, limit=limit, now=now)
    return SlotSearchResult(person_ids=members, slots=slots, unavailable_calendars=unavailable)


def _valid_ids(relationship_ids: Sequence[int]) -> list[int]:
    if not 1 <= len(relationship_ids) <= MAX_RELATIONSHIPS:
        raise ValidationFailed(f"Give 1 to {MAX_RELATIONSHIPS} relationships.", field="relationship_ids")
    return list(relationship_ids)


async def available_slots_for_relationships(
    viewer: Viewer,
    *,
    relationship_ids: Sequence[int],
    start: datetime,
    end: datetime,
    duration_minutes: int,
    limit: int = 3,
    free_busy: FreeBusyProvider,
    rules: BookingRules = BookingRules(),
    now: datetime | None = None,
) -> list[SlotSearchResult | None]:
    """Ranked free slots per relationship, in the order asked; None where the viewer may not look."""
    now = now or utc_now()
    ids = _valid_ids(relationship_ids)
    start, end = valid_window(start, end, now=now, rules=rules)
    duration = valid_duration_minutes(duration_minutes)
    if not 1 <= limit <= MAX_SLOTS:
        raise ValidationFailed(f"Ask for 1 to {MAX_SLOTS} slots.", field="limit")
    visible = {key: access for key, access in (await _accesses(ids)).items() if access.can_see_metadata(viewer)}
    people = sorted({person_id for access in visible.values() for person_id in access.member_ids})
    schedules = await load_schedules(people, start, end, free_busy=free_busy)

    found: dict[int, SlotSearchResult] = {}
    results: list[SlotSearchResult | None] = []
    for index, relationship_id in enumerate(ids):
        access = visible.get(relationship_id)
        if access is None:
            results.append(None)
            continue
        if relationship_id not in found:
            found[relationship_id] = _search(
                sorted(access.member_ids),
                schedules,
                index=index,
                window=(start, end),
                duration=duration,
                limit=limit,
                now=now + rules.minimum_notice,
            )
        results.append(found[relationship_id])
    return results
