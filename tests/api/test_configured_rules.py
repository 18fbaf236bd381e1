"""Timing rules set in the environment reach GraphQL: request lifetime, booking notice and booking horizon."""

from __future__ import annotations

import datetime
from datetime import UTC, timedelta

import httpx
import pytest

from api.app import create_app
from api.settings import load_settings
from domain.meetings.models import Meeting
from domain.programs.models import EnrollmentRole, ProgramTier
from tests.domain.relationships.scenario import enrolled, program_run_by
from tests.factories import make_person
from tests.factories_meetings import make_relationship
from tests.support import GraphQLClient, assert_unchanged, gid

REQUEST = """
mutation Ask($input: RequestMentorInput!) {
  requestMentor(input: $input) { ... on MentorRequestPayload { request { expiresAt } } ... on Error { field } }
}
"""
BOOK = """
mutation Book($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on Error { field message } }
}
"""


@pytest.fixture
async def strict_gql(db, monkeypatch):
    """An app configured with a 3-day request lifetime (from the environment) and two hours' booking notice."""
    monkeypatch.setenv("MENTORGRAPH_MENTOR_REQUEST_DAYS", "3")
    settings = load_settings(database_url=db, booking_min_notice_minutes=120)
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://mentorgraph.test") as http:
        yield GraphQLClient(http, settings)


async def test_a_mentor_request_expires_after_the_configured_days(strict_gql):
    program = await program_run_by(tier=ProgramTier.SELF_SERVICE)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, capacity=1)
    mentee = await enrolled(program, EnrollmentRole.MENTEE)
    before = datetime.datetime.now(UTC)

    data = await strict_gql(
        REQUEST,
        {"input": {"programId": gid("Program", program.id), "mentorId": gid("Person", mentor.id), "message": "Hi"}},
        as_=mentee,
    )

    expires_at = datetime.datetime.fromisoformat(data["requestMentor"]["request"]["expiresAt"])
    assert before + timedelta(days=3) <= expires_at <= datetime.datetime.now(UTC) + timedelta(days=3)


async def test_a_meeting_inside_the_configured_notice_is_refused(strict_gql):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben)
    in_an_hour = (datetime.datetime.now(UTC) + timedelta(hours=1)).replace(microsecond=0)

    async with assert_unchanged():
        data = await strict_gql(
            BOOK,
            {
                "input": {
                    "relationshipId": gid("Relationship", relationship.id),
                    "start": in_an_hour.isoformat(),
                    "durationMinutes": 30,
                }
            },
            as_=ana,
        )

    assert data["bookMeeting"]["__typename"] == "ValidationError"
    assert data["bookMeeting"]["field"] == "start"


RESCHEDULE = """
mutation Move($input: RescheduleMeetingInput!) {
  rescheduleMeeting(input: $input) { __typename ... on Error { field message } }
}
"""
SLOTS = """
query Slots($input: AvailableSlotsInput!) {
  availableSlots(input: $input) { __typename ... on AvailableSlots { slots { start } } ... on Error { field message } }
}
"""
PLAN = """
query Plan($input: PlanSeriesInput!) {
  planSeries(input: $input) {
    __typename ... on SeriesPlan { occurrences { beyondBookingHorizon } } ... on Error { field message }
  }
}
"""
BOOK_SERIES = """
mutation Book($input: BookSeriesInput!) { bookSeries(input: $input) { __typename ... on Error { field message } } }
"""


@pytest.fixture
async def env_gql(db, monkeypatch):
    """An app whose booking notice (2 hours) and horizon (30 days) come from the environment variables."""
    monkeypatch.setenv("MENTORGRAPH_BOOKING_MIN_NOTICE_MINUTES", "120")
    monkeypatch.setenv("MENTORGRAPH_BOOKING_MAX_HORIZON_DAYS", "30")
    settings = load_settings(database_url=db)
    transport = httpx.ASGITransport(app=create_app(settings, manage_database=False))
    async with httpx.AsyncClient(transport=transport, base_url="http://mentorgraph.test") as http:
        yield GraphQLClient(http, settings)


async def test_the_booking_horizon_and_notice_come_from_the_environment(env_gql):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben)
    now = datetime.datetime.now(UTC).replace(microsecond=0)

    def book(start: datetime.datetime) -> dict:
        fields = {"relationshipId": gid("Relationship", relationship.id), "start": start.isoformat()}
        return {"input": {**fields, "durationMinutes": 30}}

    # beyond 30 days nothing is booked, rescheduled or searched; a plan says which occurrences lie beyond
    async with assert_unchanged():
        too_far = await env_gql(BOOK, book(now + timedelta(days=31)), as_=ana)
    assert too_far["bookMeeting"] == {
        "__typename": "ValidationError",
        "field": "start",
        "message": "Meetings can be booked at most 30 days ahead.",
    }
    inside = await env_gql(BOOK, book(now + timedelta(days=29)), as_=ana)
    assert inside["bookMeeting"]["__typename"] == "MeetingPayload"
    meeting = await Meeting.get(relationship_id=relationship.id)
    move = {"meetingId": gid("Meeting", meeting.id), "start": (now + timedelta(days=31)).isoformat()}
    async with assert_unchanged():
        moved = await env_gql(RESCHEDULE, {"input": {**move, "durationMinutes": 30}}, as_=ana)
        searched = await env_gql(
            SLOTS,
            {
                "input": {
                    "relationshipId": gid("Relationship", relationship.id),
                    "from": (now + timedelta(days=31)).isoformat(),
                    "to": (now + timedelta(days=33)).isoformat(),
                    "durationMinutes": 30,
                }
            },
            as_=ana,
        )
        series = {
            "input": {
                "relationshipId": gid("Relationship", relationship.id),
                "firstDate": (now + timedelta(days=3)).date().isoformat(),
                "count": 3,
                "cadence": "MONTHLY",
            }
        }
        planned = await env_gql(PLAN, series, as_=ana)
        booked = await env_gql(BOOK_SERIES, series, as_=ana)
    assert (moved["rescheduleMeeting"]["__typename"], moved["rescheduleMeeting"]["field"]) == (
        "ValidationError",
        "start",
    )
    assert (searched["availableSlots"]["__typename"], searched["availableSlots"]["field"]) == (
        "ValidationError",
        "from",
    )
    assert planned["planSeries"]["occurrences"] == [
        {"beyondBookingHorizon": False},
        {"beyondBookingHorizon": True},
        {"beyondBookingHorizon": True},
    ]
    assert booked["bookSeries"] == {
        "__typename": "ValidationError",
        "field": "count",
        "message": "Meetings are booked at most 30 days ahead; the first 1 occurrences can be booked now.",
    }
    # and slots offered start no sooner than two hours from now, ending before the horizon
    found = await env_gql(
        SLOTS,
        {
            "input": {
                "personIds": [gid("Person", ana.id)],
                "from": now.isoformat(),
                "to": (now + timedelta(days=40)).isoformat(),
                "durationMinutes": 30,
                "limit": 100,
            }
        },
        as_=ana,
    )
    starts = [datetime.datetime.fromisoformat(s["start"]) for s in found["availableSlots"]["slots"]]
    assert starts and min(starts) >= now + timedelta(minutes=120)
    assert max(starts) + timedelta(minutes=30) <= now + timedelta(days=30, minutes=1)
