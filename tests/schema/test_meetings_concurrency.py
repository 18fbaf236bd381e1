"""Concurrent writes on PostgreSQL: locking the attendees' rows lets exactly one overlapping booking in.

Bookings, reschedules and series all take the same person locks, so each race below ends with nobody in two
overlapping SCHEDULED meetings and the losing write leaving nothing behind.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from domain.meetings.models import Meeting, MeetingAttendee, MeetingReschedule, MeetingSeries, MeetingStatus
from domain.meetings.ports import BusyTimes
from domain.programs.models import Cadence
from integrations.calendar.free_busy import ConnectedCalendars
from tests.factories import make_person, make_program, make_working_week
from tests.factories_meetings import iso, make_meeting, make_relationship, soon
from tests.support import gid

BOOK = """
mutation B($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on Error { field } }
}
"""


@pytest.mark.postgres_only
async def test_eight_concurrent_overlapping_bookings_with_one_mentor_let_exactly_one_in(gql, db):
    mentor = await make_person(name="Max")
    mentees = [await make_person() for _ in range(8)]
    relationships = [await make_relationship(mentor, mentee) for mentee in mentees]
    start = soon()

    results = await asyncio.gather(
        *(
            gql(
                BOOK,
                {
                    "input": {
                        "relationshipId": gid("Relationship", relationship.id),
                        "start": iso(start + timedelta(minutes=5 * index)),
                        "durationMinutes": 60,
                    }
                },
                as_=mentee,
            )
            for index, (relationship, mentee) in enumerate(zip(relationships, mentees, strict=True))
        )
    )

    outcomes = sorted(result["bookMeeting"]["__typename"] for result in results)
    assert outcomes == ["ConflictError"] * 7 + ["MeetingPayload"]
    assert {r["bookMeeting"].get("field") for r in results if "field" in r["bookMeeting"]} == {"start"}
    assert await Meeting.all().count() == 1
    assert await MeetingAttendee.filter(person_id=mentor.id).count() == 1


@pytest.mark.postgres_only
async def test_concurrent_bookings_for_different_times_all_succeed(gql, db):
    mentor = await make_person()
    mentees = [await make_person() for _ in range(6)]
    relationships = [await make_relationship(mentor, mentee) for mentee in mentees]
    start = soon()

    results = await asyncio.gather(
        *(
            gql(
                BOOK,
                {
                    "input": {
                        "relationshipId": gid("Relationship", relationship.id),
                        "start": iso(start + timedelta(hours=index)),
                        "durationMinutes": 60,
                    }
                },
                as_=mentee,
            )
            for index, (relationship, mentee) in enumerate(zip(relationships, mentees, strict=True))
        )
    )

    assert [r["bookMeeting"]["__typename"] for r in results] == ["MeetingPayload"] * 6
    assert await Meeting.all().count() == 6


RESCHEDULE = """
mutation R($input: RescheduleMeetingInput!) {
  rescheduleMeeting(input: $input) { __typename ... on Error { field } }
}
"""
PLAN = """
query P($input: PlanSeriesInput!) { planSeries(input: $input) { ... on SeriesPlan { occurrences { start end } } } }
"""
BOOK_SERIES = """
mutation S($input: BookSeriesInput!) { bookSeries(input: $input) { __typename ... on Error { field } } }
"""
ROUNDS = 6


async def assert_nobody_double_booked() -> None:
    """No person sits in two overlapping SCHEDULED meetings."""
    links = await MeetingAttendee.filter(meeting__status=MeetingStatus.SCHEDULED).values_list(
        "person_id", "meeting__starts_at", "meeting__ends_at"
    )
    by_person: dict[int, list[tuple]] = defaultdict(list)
    for person_id, start, end in links:
        by_person[person_id].append((start, end))
    for spans in by_person.values():
        spans.sort()
        for (_, earlier_end), (later_start, _) in pairwise(spans):
            assert earlier_end <= later_start, spans


@pytest.mark.postgres_only
async def test_a_reschedule_racing_a_booking_into_the_same_slot_lets_exactly_one_in(gql, db):
    # given Max, who meets Ana and, separately, Cy; Ana's meeting is moved as Cy books the same hour
    max_, ana, cy = await make_person(name="Max"), await make_person(), await make_person()
    with_ana, with_cy = await make_relationship(max_, ana), await make_relationship(max_, cy)
    for round_ in range(ROUNDS):
        meeting = await make_meeting(with_ana, max_, ana, start=soon(days=2 + round_, hour=8), minutes=60)
        target = soon(days=2 + round_, hour=14)
        cy_meetings_before = await Meeting.filter(relationship_id=with_cy.id).count()
        # when both requests race
        moved, booked = await asyncio.gather(
            gql(
                RESCHEDULE,
                {"input": {"meetingId": gid("Meeting", meeting.id), "start": iso(target), "durationMinutes": 60}},
                as_=ana,
            ),
            gql(
                BOOK,
                {
                    "input": {
                        "relationshipId": gid("Relationship", with_cy.id),
                        "start": iso(target + timedelta(minutes=30)),
                        "durationMinutes": 60,
                    }
                },
                as_=cy,
            ),
        )
        # then exactly one wins, and the loser wrote nothing
        outcomes = sorted([moved["rescheduleMeeting"]["__typename"], booked["bookMeeting"]["__typename"]])
        assert outcomes == ["ConflictError", "MeetingPayload"]
        if moved["rescheduleMeeting"]["__typename"] == "MeetingPayload":
            assert booked["bookMeeting"]["field"] == "start"
            assert (await Meeting.get(id=meeting.id)).starts_at == target
            assert await Meeting.filter(relationship_id=with_cy.id).count() == cy_meetings_before
        else:
            assert moved["rescheduleMeeting"]["field"] == "start"
            assert (await Meeting.get(id=meeting.id)).starts_at == soon(days=2 + round_, hour=8)
            assert await MeetingReschedule.filter(meeting_id=meeting.id).count() == 0
    await assert_nobody_double_booked()


class PlanReadGate:
    """Stands in for the free/busy port, which a series asks once its plan has read the database and before
    it takes any lock: it opens the gate for the competing booking, then yields for `delay` seconds."""

    def __init__(self) -> None:
        self.opened = asyncio.Event()
        self.delay = 0.0

    async def busy(self, person_ids, start, end) -> BusyTimes:
        self.opened.set()
        await asyncio.sleep(self.delay)
        return BusyTimes()


@pytest.mark.postgres_only
async def test_a_series_racing_a_booking_into_its_planned_slot_lets_exactly_one_in(gql, db, monkeypatch):
    # given Ana and Ben, both working 09:00-17:00 in London, and Ana's other relationship with Cy
    ana, ben, cy = [await make_person(name=n, time_zone="Europe/London") for n in ("Ana", "Ben", "Cy")]
    for person in (ana, ben, cy):
        await make_working_week(person)
    program = await make_program(cadence=Cadence.WEEKLY, meeting_minutes=60)
    pair, other = await make_relationship(ana, ben, program=program), await make_relationship(ana, cy)
    gate = PlanReadGate()
    monkeypatch.setattr(ConnectedCalendars, "busy", lambda self, *args: gate.busy(*args))
    winners = set()
    for round_, delay in enumerate([0, 0, 0.001, 0.003, 0.01, 0.05]):
        first_date = (datetime.now(UTC) + timedelta(days=3 + 28 * round_)).date().isoformat()
        series = {"relationshipId": gid("Relationship", pair.id), "firstDate": first_date, "count": 3}
        planned = (await gql(PLAN, {"input": series}, as_=ana))["planSeries"]["occurrences"]
        gate.opened.clear()
        gate.delay = delay

        async def book_the_planned_hour(start: str = planned[1]["start"]):
            await gate.opened.wait()
            variables = {
                "input": {
                    "relationshipId": gid("Relationship", other.id),
                    "start": start,
                    "durationMinutes": 60,
                }
            }
            return await gql(BOOK, variables, as_=cy)

        # when Cy books Ana into the planned second occurrence just after Ana's series read its plan
        booked_series, booked = await asyncio.gather(
            gql(BOOK_SERIES, {"input": series}, as_=ana), book_the_planned_hour()
        )
        # then exactly one wins; the series loses on the occurrence it planned, the meeting on its start
        series_result, single_result = booked_series["bookSeries"], booked["bookMeeting"]
        if series_result["__typename"] == "BookSeriesPayload":
            winners.add("series")
            assert single_result == {"__typename": "ConflictError", "field": "start"}
        else:
            winners.add("meeting")
            assert series_result == {"__typename": "ConflictError", "field": "occurrences[1]"}
            assert single_result == {"__typename": "MeetingPayload"}
    # and a series that lost wrote neither its series row nor any of its meetings
    assert await Meeting.filter(relationship_id=pair.id, series_id=None).count() == 0
    assert await Meeting.filter(relationship_id=pair.id).count() == 3 * await MeetingSeries.all().count()
    await assert_nobody_double_booked()
    print(f"\nwinners across rounds: {sorted(winners)}")
