"""Concurrent bookings on PostgreSQL: locking the attendees' rows lets exactly one overlapping booking in."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.meetings.models import Meeting, MeetingAttendee
from tests.factories import make_person
from tests.factories_meetings import gid, iso, make_relationship, soon

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
