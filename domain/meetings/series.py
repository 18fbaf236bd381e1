"""Recurring meetings planned fairly across time zones, then booked all at once.

`plan` asks the scheduling engine for one slot per occurrence window (a week from each occurrence date,
in the organiser's zone) so that out-of-hours burden is shared; nothing is written. `book` re-checks
every occurrence under the attendees' locks and writes the series and all its meetings in one
transaction, or nothing. A series needs an ACTIVE relationship: the cadence is what the agreement set,
and every occurrence falls on or before the agreement's last day (a longer series is refused, saying how
many fit). A plan may reach past the booking horizon (its occurrences there are flagged); a booking may not.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.agreements.queries import agreed_terms
from domain.clock import utc_now
from domain.errors import ValidationFailed
from domain.meetings import validation as v
from domain.meetings.availability import engine_fields, refuse_overlong, scheduling_attendees
from domain.meetings.booking import create_meeting, lock_people, refuse_clash
from domain.meetings.coverage import Coverage, coverage
from domain.meetings.models import MeetingSeries
from domain.meetings.ports import FreeBusyProvider
from domain.meetings.rules import BookingRules
from domain.meetings.service import BOOKABLE, require_bookable
from domain.people.models import MeetingFormat, Person
from domain.programs.models import Cadence
from domain.relationships.access import relationship_access
from domain.relationships.models import Relationship, RelationshipStatus
from domain.relationships.sessions import check_room_for_meetings
from domain.scheduling import Attendee, SeriesPlan, occurrence_windows, plan_series

# Weekly for the longest agreement a program allows (24 months).
MAX_OCCURRENCES = 104


@dataclass(frozen=True)
class PlannedSeries:
    relationship_id: int
    person_ids: list[int]
    cadence: Cadence
    count: int
    duration_minutes: int
    first_date: date
    attendees: list[Attendee]
    windows: list[tuple[datetime, datetime]]
    plan: SeriesPlan
    agreement_ends_on: date
    # Occurrences starting after this instant are planned but cannot be booked yet.
    booking_horizon: datetime
    # Members whose connected calendar could not be read: the plan rests on their meetings here alone.
    unavailable_calendars: list[int] = field(default_factory=list)

    def ledger_json(self) -> dict[str, dict]:
        """{"<person id>": {"cost", "out_of_hours", "nights"}}: what each person carries at the end."""
        return {
            key: {
                "cost": cost,
                "out_of_hours": self.plan.out_of_hours_counts[key],
                "nights": self.plan.night_counts[key],
            }
            for key, cost in self.plan.ledger.items()
        }


def _covered_windows(windows: list[tuple[datetime, datetime]], cover: Coverage) -> list[tuple[datetime, datetime]]:
    """Each window cut at the agreement's end; a series reaching past it is refused, saying how many fit."""
    fit = sum(1 for start, _ in windows if start < cover.until)
    ends_on = cover.ends_on.isoformat()
    if fit == 0:
        raise ValidationFailed(f"The agreement ends on {ends_on}, before the first occurrence.", field="first_date")
    if fit < len(windows):
        raise ValidationFailed(
            f"Only {fit} occurrences fit before the agreement ends on {ends_on}; ask for {fit} or fewer.",
            field="count",
        )
    return [(start, min(end, cover.until)) for start, end in windows]


def _bookable_windows(
    windows: list[tuple[datetime, datetime]], *, now: datetime, rules: BookingRules, booking: bool
) -> list[tuple[datetime, datetime]]:
    """Each window cut to what may be booked now: after the minimum notice, before the horizon.

    A window wholly past the horizon is kept whole for a plan and refused for a booking.
    """
    earliest, latest = now + rules.minimum_notice, now + rules.maximum_horizon
    bookable = sum(1 for start, _ in windows if start < latest)
    if booking and bookable < len(windows):
        raise ValidationFailed(
            f"Meetings are booked at most {rules.maximum_horizon.days} days ahead; "
            f"the first {bookable} occurrences can be booked now.",
            field="count",
        )
    clipped = [(max(start, earliest), end if start >= latest else min(end, latest)) for start, end in windows]
    if any(end <= start for start, end in clipped):
        raise ValidationFailed(
            "The first occurrences would be in the past; choose a later first date.", field="first_date"
        )
    return clipped


async def plan(
    viewer: Viewer,
    *,
    relationship_id: int,
    first_date: date,
    count: int,
    cadence: Cadence | None = None,
    duration_minutes: int | None = None,
    free_busy: FreeBusyProvider,
    rules: BookingRules = BookingRules(),
    now: datetime | None = None,
    statuses: frozenset[RelationshipStatus] = BOOKABLE,
    booking: bool = False,
) -> PlannedSeries:
    """The fair plan for the relationship's members, for its members only; writes nothing."""
    now = now or utc_now()
    access = await relationship_access(relationship_id)
    organizer_id = access.require_member(viewer)
    require_bookable(access.relationship, statuses)
    if not 1 <= count <= MAX_OCCURRENCES:
        raise ValidationFailed(f"Plan 1 to {MAX_OCCURRENCES} occurrences.", field="count")
    agreed_cadence, agreed_minutes = (await agreed_terms([access.relationship]))[access.relationship.id]
    cadence = Cadence(cadence or agreed_cadence)
    minutes = agreed_minutes if duration_minutes is None else duration_minutes
    duration = v.valid_duration_minutes(minutes)
    organizer = await Person.get(id=organizer_id)
    with engine_fields():
        windows = occurrence_windows(first_date, cadence.value, count, zone=organizer.time_zone)
    cover = await coverage(access.relationship, zone=organizer.time_zone, now=now)
    windows = _bookable_windows(_covered_windows(windows, cover), now=now, rules=rules, booking=booking)
    person_ids = sorted(access.member_ids)
    attendees, unavailable = await scheduling_attendees(
        person_ids, windows[0][0], windows[-1][1], free_busy=free_busy, field_at=lambda _: "relationship_id"
    )
    refuse_overlong(attendees, duration)
    with engine_fields():
        chosen = plan_series(attendees, windows, duration)
    return PlannedSeries(
        relationship_id=relationship_id,
        person_ids=person_ids,
        cadence=cadence,
        count=count,
        duration_minutes=minutes,
        first_date=first_date,
        attendees=attendees,
        windows=windows,
        plan=chosen,
        agreement_ends_on=cover.ends_on,
        booking_horizon=now + rules.maximum_horizon,
        unavailable_calendars=unavailable,
    )


async def book(
    viewer: Viewer,
    *,
    relationship_id: int,
    first_date: date,
    count: int,
    cadence: Cadence | None = None,
    duration_minutes: int | None = None,
    title: str = "Mentoring session",
    format: MeetingFormat = MeetingFormat.VIDEO,
    conference_url: str | None = None,
    free_busy: FreeBusyProvider,
    rules: BookingRules = BookingRules(),
    now: datetime | None = None,
) -> MeetingSeries:
    """Books the fair plan: the series and every occurrence in one transaction, or nothing at all."""
    now = now or utc_now()
    details = dict(
        format=MeetingFormat(format),
        title=v.valid_title(title),
        conference_url=v.valid_conference_url(conference_url),
    )
    planned = await plan(
        viewer,
        relationship_id=relationship_id,
        first_date=first_date,
        count=count,
        cadence=cadence,
        duration_minutes=duration_minutes,
        free_busy=free_busy,
        rules=rules,
        now=now,
        statuses=frozenset({RelationshipStatus.ACTIVE}),
        booking=True,
    )
    slots = [occurrence.slot for occurrence in planned.plan.occurrences]
    async with in_transaction():
        await lock_people(planned.person_ids)
        # The plan was read before the locks: someone may have booked one of its slots since.
        for index, slot in enumerate(slots):
            await refuse_clash(planned.person_ids, slot.start, slot.end, field=f"occurrences[{index}]")
        await check_room_for_meetings(await Relationship.get(id=relationship_id), len(slots), field="count")
        series = await MeetingSeries.create(
            relationship_id=relationship_id,
            cadence=planned.cadence,
            count=count,
            duration_minutes=planned.duration_minutes,
            first_date=first_date,
            ledger=planned.ledger_json(),
            created_by_id=viewer.person_id,
        )
        for slot in slots:
            await create_meeting(
                relationship_id=relationship_id,
                organizer_id=viewer.person_id,  # type: ignore[arg-type]
                attendee_ids=planned.person_ids,
                start=slot.start,
                end=slot.end,
                details=details,
                series_id=series.id,
                now=now,
            )
    return series
