"""Finding times: availableSlots and planSeries (read-only), and bookSeries, which books a fair plan."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

import strawberry
from strawberry import relay

from domain.errors import ValidationFailed
from domain.idempotency.service import rows_of
from domain.meetings import availability, series
from domain.meetings.models import MeetingSeries as MeetingSeriesRow
from domain.scheduling import AttendeeTime, Slot, best_fixed_time_series
from schema.context import Info
from schema.enums import Cadence, MeetingFormat, Weekday
from schema.errors import result_union, run_mutation
from schema.idempotency import IdempotentInput, run_once
from schema.meetings.types import LedgerEntry, MeetingSeries, PersonRef, person_of
from schema.pagination import decode_cursor, encode_cursor
from schema.relay_ids import decode_id


@strawberry.type(description="How one slot looks to one attendee, in their own time zone.")
class SlotAttendee:
    time_zone: str
    local_start: datetime.datetime = strawberry.field(description="With the offset in force that day.")
    local_end: datetime.datetime
    inside_working_hours: bool
    in_night: bool = strawberry.field(description="Touches their night (22:00-07:00 local).")
    cost: float = strawberry.field(
        description="Inconvenience in weighted hours. 0 when the slot lies inside their working hours. Otherwise "
        "1 for being pulled out of the working day at all, plus, for each hour outside it, 1 + the hours to the "
        "nearest edge of a working day (capped at 12, so a weekend or day off weighs 13 an hour), plus 1000 "
        "when any minute falls in their night. 1004.5 is one night slot plus 4.5 weighted hours; a cost under "
        "1000 never touches a night."
    )
    person_id: strawberry.Private[int]

    @strawberry.field
    async def person(self, info: Info) -> PersonRef:
        return await person_of(info, self.person_id)

    @classmethod
    def from_domain(cls, value: AttendeeTime) -> SlotAttendee:
        return cls(
            time_zone=str(value.local_start.tzinfo),
            local_start=value.local_start,
            local_end=value.local_end,
            inside_working_hours=value.inside_working_hours,
            in_night=value.in_night,
            cost=value.cost,
            person_id=int(value.key),
        )


UNAVAILABLE_CALENDARS = (
    "People of this search whose connected calendar (Google, Outlook) could not be read in time: the slots "
    "avoid their meetings booked here but not the rest of their calendar. Empty when every calendar answered."
)


async def people_of(info: Info, person_ids: Sequence[int]) -> list[PersonRef]:
    found = [await person_of(info, person_id) for person_id in person_ids]
    return [person for person in found if person is not None]


# Slot cursors count positions in the ranking: the search is recomputed per page, not stored.
_SLOT_RANK = "AvailableSlot"


@strawberry.type
class AvailableSlot:
    start: datetime.datetime
    end: datetime.datetime
    inside_everyones_working_hours: bool
    max_cost: float = strawberry.field(description="The largest attendee cost (the units of SlotAttendee.cost).")
    total_cost: float = strawberry.field(description="The sum of the attendees' costs.")
    attendees: list[SlotAttendee]

    @classmethod
    def from_domain(cls, slot: Slot) -> AvailableSlot:
        return cls(
            start=slot.start,
            end=slot.end,
            inside_everyones_working_hours=slot.inside_everyones_working_hours,
            max_cost=slot.max_cost,
            total_cost=slot.total_cost,
            attendees=[SlotAttendee.from_domain(person) for person in slot.attendees],
        )


@strawberry.type(description="Free slots, best first: inside everyone's hours, then least burden on anyone.")
class AvailableSlots:
    slots: list[AvailableSlot]
    has_more: bool = strawberry.field(description="More slots follow in the ranking: ask again with endCursor.")
    end_cursor: str | None = strawberry.field(description="Pass as `after` for the next page; null when empty.")
    unavailable_ids: strawberry.Private[list[int]]

    @strawberry.field(description=UNAVAILABLE_CALENDARS)
    async def unavailable_calendars(self, info: Info) -> list[PersonRef]:
        return await people_of(info, self.unavailable_ids)

    @classmethod
    def from_domain(cls, found: availability.SlotSearchResult) -> AvailableSlots:
        end = found.offset + len(found.slots)
        return cls(
            slots=[AvailableSlot.from_domain(slot) for slot in found.slots],
            has_more=found.has_more,
            end_cursor=encode_cursor(_SLOT_RANK, end) if found.slots else None,
            unavailable_ids=found.unavailable_calendars,
        )


AvailableSlotsResult = result_union("AvailableSlotsResult", AvailableSlots)


@strawberry.input
class AvailableSlotsInput:
    relationship_id: relay.GlobalID | None = strawberry.field(default=None, description="Or personIds.")
    person_ids: list[relay.GlobalID] | None = strawberry.field(default=None, description="Must include you.")
    from_: datetime.datetime = strawberry.field(name="from")
    to: datetime.datetime
    duration_minutes: int
    limit: int = strawberry.field(default=10, description="1 to 500 slots per page.")
    after: str | None = strawberry.field(default=None, description="The endCursor of the previous page.")


def _ledger(plan_ledger: dict[str, float], out_of_hours: dict[str, int], nights: dict[str, int]) -> list[LedgerEntry]:
    return [
        LedgerEntry(person_id=int(key), cost=cost, out_of_hours_count=out_of_hours[key], night_count=nights[key])
        for key, cost in plan_ledger.items()
    ]


@strawberry.type
class PlannedOccurrence:
    start: datetime.datetime
    end: datetime.datetime
    attendees: list[SlotAttendee]
    ledger_after: list[LedgerEntry] = strawberry.field(description="Everyone's running totals after this one.")
    beyond_booking_horizon: bool = strawberry.field(
        description="Starts further ahead than meetings may be booked today: bookSeries refuses the series until "
        "it comes within the horizon."
    )


@strawberry.type(description="What a plain recurring event (same UTC weekday and time every time) would cost.")
class FixedTimeComparison:
    weekday: Weekday = strawberry.field(description="In UTC.")
    time: datetime.time = strawberry.field(description="In UTC.")
    max_cost: float
    total_cost: float
    ledger: list[LedgerEntry]


@strawberry.type(description="A fair rotation: one slot per occurrence, sharing the out-of-hours burden.")
class SeriesPlan:
    cadence: Cadence
    count: int
    duration_minutes: int
    first_date: datetime.date
    occurrences: list[PlannedOccurrence]
    ledger: list[LedgerEntry]
    max_cost: float = strawberry.field(description="The largest final ledger cost: what the plan minimises first.")
    total_cost: float = strawberry.field(description="The sum of the final ledger costs, minimised second.")
    agreement_ends_on: datetime.date = strawberry.field(
        description="Every occurrence starts on or before this day, the agreement's last."
    )
    planned: strawberry.Private[series.PlannedSeries]

    @strawberry.field(description=UNAVAILABLE_CALENDARS)
    async def unavailable_calendars(self, info: Info) -> list[PersonRef]:
        return await people_of(info, self.planned.unavailable_calendars)

    @classmethod
    def from_domain(cls, planned: series.PlannedSeries) -> SeriesPlan:
        plan = planned.plan
        return cls(
            cadence=planned.cadence,
            count=planned.count,
            duration_minutes=planned.duration_minutes,
            first_date=planned.first_date,
            occurrences=[
                PlannedOccurrence(
                    start=o.slot.start,
                    end=o.slot.end,
                    attendees=[SlotAttendee.from_domain(person) for person in o.slot.attendees],
                    ledger_after=_ledger(o.ledger_after, o.out_of_hours_after, o.nights_after),
                    beyond_booking_horizon=o.slot.start > planned.booking_horizon,
                )
                for o in plan.occurrences
            ],
            ledger=_ledger(plan.ledger, plan.out_of_hours_counts, plan.night_counts),
            max_cost=plan.max_cost,
            total_cost=plan.total_cost,
            agreement_ends_on=planned.agreement_ends_on,
            planned=planned,
        )

    @strawberry.field(description="The best fixed-time series for comparison; null when none fits every window.")
    def fixed_time_comparison(self) -> FixedTimeComparison | None:
        planned = self.planned
        try:
            fixed = best_fixed_time_series(
                planned.attendees, planned.windows, datetime.timedelta(minutes=planned.duration_minutes)
            )
        except ValidationFailed:
            return None
        return FixedTimeComparison(
            weekday=Weekday(fixed.weekday),
            time=fixed.at,
            max_cost=fixed.max_cost,
            total_cost=fixed.total_cost,
            ledger=_ledger(fixed.ledger, fixed.out_of_hours_counts, fixed.night_counts),
        )


SeriesPlanResult = result_union("SeriesPlanResult", SeriesPlan)


@strawberry.input
class PlanSeriesInput:
    relationship_id: relay.GlobalID
    first_date: datetime.date = strawberry.field(description="Each occurrence may fall in the week from its date.")
    count: int
    cadence: Cadence | None = strawberry.field(default=None, description="Null: the agreement's (or program's).")
    duration_minutes: int | None = strawberry.field(default=None, description="Null: the agreed meeting length.")


@strawberry.input
class BookSeriesInput(PlanSeriesInput, IdempotentInput):
    title: str = "Mentoring session"
    format: MeetingFormat = MeetingFormat.VIDEO
    conference_url: str | None = None


@strawberry.type
class BookSeriesPayload:
    series: MeetingSeries


BookSeriesResult = result_union("BookSeriesResult", BookSeriesPayload)


def _relationship_id(input) -> int:
    return decode_id(input.relationship_id, "Relationship", field="relationshipId")


def _person_ids(ids: Sequence[relay.GlobalID] | None) -> list[int] | None:
    if ids is None:
        return None
    return [decode_id(value, "Person", field=f"personIds[{index}]") for index, value in enumerate(ids)]


def _plan_arguments(info: Info, input: PlanSeriesInput) -> dict:
    return dict(
        relationship_id=_relationship_id(input),
        first_date=input.first_date,
        count=input.count,
        cadence=input.cadence,
        duration_minutes=input.duration_minutes,
        free_busy=info.context.free_busy,
        rules=info.context.booking_rules,
    )


@strawberry.type
class SchedulingQueries:
    @strawberry.field(description="Ranked free slots for a relationship's members, or for people including you.")
    async def available_slots(self, info: Info, input: AvailableSlotsInput) -> AvailableSlotsResult:
        async def action():
            return await availability.available_slots(
                info.context.viewer,
                relationship_id=None if input.relationship_id is None else _relationship_id(input),
                person_ids=_person_ids(input.person_ids),
                start=input.from_,
                end=input.to,
                duration_minutes=input.duration_minutes,
                limit=input.limit,
                offset=0 if input.after is None else decode_cursor(input.after, _SLOT_RANK),
                free_busy=info.context.free_busy,
                rules=info.context.booking_rules,
            )

        return await run_mutation(action, AvailableSlots.from_domain)

    @strawberry.field(description="A fair plan for a recurring meeting of your relationship; books nothing.")
    async def plan_series(self, info: Info, input: PlanSeriesInput) -> SeriesPlanResult:
        async def action():
            return await series.plan(info.context.viewer, **_plan_arguments(info, input))

        return await run_mutation(action, SeriesPlan.from_domain)


@strawberry.type
class SchedulingMutations:
    @strawberry.mutation(description="Plans a fair series (as planSeries) and books every occurrence, or none.")
    async def book_series(self, info: Info, input: BookSeriesInput) -> BookSeriesResult:
        async def action():
            return await series.book(
                info.context.viewer,
                **_plan_arguments(info, input),
                title=input.title,
                format=input.format,
                conference_url=input.conference_url,
            )

        return await run_once(
            info,
            input,
            action,
            lambda row: BookSeriesPayload(series=MeetingSeries.from_model(row)),
            codec=rows_of(MeetingSeriesRow),
        )
