"""Timing rules set in the environment reach the GraphQL mutations: request lifetime and booking notice."""

from __future__ import annotations

import datetime
from datetime import UTC, timedelta

import httpx
import pytest

from api.app import create_app
from api.settings import load_settings
from domain.programs.models import EnrollmentRole, ProgramTier
from tests.domain.relationships.scenario import enrolled, program_run_by
from tests.factories import make_person
from tests.factories_meetings import gid, make_relationship
from tests.support import GraphQLClient, assert_unchanged

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
