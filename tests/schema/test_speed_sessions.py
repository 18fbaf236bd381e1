"""SPEED mentoring is one focused session: one meeting on the books at a time, and holding it completes the
relationship (and, with no other open relationship, the members' enrollments)."""

from __future__ import annotations

import datetime
from datetime import UTC

import pytest

from domain.meetings.models import Meeting, MeetingStatus
from domain.programs.models import Enrollment, EnrollmentRole, EnrollmentStatus, ProgramKind
from domain.relationships.models import MemberRole, RelationshipStatus
from tests.domain.relationships.scenario import enrolled, program_run_by, relationship_of
from tests.factories import make_working_week
from tests.factories_meetings import iso, make_meeting, soon
from tests.support import assert_unchanged, gid

BOOK = """
mutation Book($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on Error { message field } }
}
"""
BOOK_SERIES = """
mutation Series($input: BookSeriesInput!) {
  bookSeries(input: $input) { __typename ... on Error { message field } }
}
"""
CANCEL = """
mutation Cancel($input: CancelMeetingInput!) { cancelMeeting(input: $input) { __typename } }
"""
HELD = """
mutation Held($input: MarkMeetingHeldInput!) {
  markMeetingHeld(input: $input) { __typename ... on MeetingPayload { meeting { relationship { status endedAt } } } }
}
"""


async def pair_of(kind: ProgramKind, status: RelationshipStatus = RelationshipStatus.ACTIVE):
    program = await program_run_by(kind=kind)
    mentor = await enrolled(program, EnrollmentRole.MENTOR, status=EnrollmentStatus.ACTIVE, name="Mara")
    mentee = await enrolled(program, status=EnrollmentStatus.ACTIVE, name="Milo")
    for person in (mentor, mentee):
        await make_working_week(person)
    # Started today, so the meetings booked below fall inside its agreement.
    relationship = await relationship_of(
        program,
        [(mentor, MemberRole.MENTOR), (mentee, MemberRole.MENTEE)],
        status=status,
        now=datetime.datetime.now(UTC),
    )
    return program, mentor, mentee, relationship


def booking(relationship, days: int) -> dict:
    return {"input": {"relationshipId": gid("Relationship", relationship.id), "start": iso(soon(days=days))}}


async def test_a_speed_relationship_takes_one_booked_session_and_another_after_a_cancellation(gql, db):
    _, mentor, mentee, relationship = await pair_of(ProgramKind.SPEED)
    assert (await gql(BOOK, booking(relationship, 2), as_=mentee))["bookMeeting"]["__typename"] == "MeetingPayload"

    async with assert_unchanged():
        second = (await gql(BOOK, booking(relationship, 3), as_=mentor))["bookMeeting"]
    assert (second["__typename"], second["field"]) == ("ConflictError", "relationshipId"), second

    booked = await Meeting.get(relationship_id=relationship.id)
    cancelled = await gql(CANCEL, {"input": {"meetingId": gid("Meeting", booked.id)}}, as_=mentee)
    assert cancelled["cancelMeeting"]["__typename"] == "MeetingPayload"
    assert (await gql(BOOK, booking(relationship, 3), as_=mentor))["bookMeeting"]["__typename"] == "MeetingPayload"


async def test_a_speed_relationship_books_no_series_of_sessions(gql, db):
    _, _, mentee, relationship = await pair_of(ProgramKind.SPEED)
    first_date = (datetime.datetime.now(UTC).date() + datetime.timedelta(days=3)).isoformat()
    variables = {"input": {"relationshipId": gid("Relationship", relationship.id), "firstDate": first_date, "count": 2}}

    async with assert_unchanged():
        result = (await gql(BOOK_SERIES, variables, as_=mentee))["bookSeries"]

    assert (result["__typename"], result["field"]) == ("ConflictError", "count"), result


async def test_holding_the_session_completes_the_speed_relationship_and_the_mentees_enrollment(gql, db):
    program, mentor, mentee, relationship = await pair_of(ProgramKind.SPEED)
    session = await make_meeting(
        relationship, mentor, mentee, start=datetime.datetime.now(UTC) - datetime.timedelta(hours=1)
    )

    data = await gql(HELD, {"input": {"meetingId": gid("Meeting", session.id)}}, as_=mentee)

    assert data["markMeetingHeld"]["meeting"]["relationship"]["status"] == "COMPLETED"
    await relationship.refresh_from_db()
    assert relationship.status is RelationshipStatus.COMPLETED and relationship.ended_at is not None
    assert (await Enrollment.get(program=program, person=mentee)).status is EnrollmentStatus.COMPLETED
    # The mentor stays for the next speed session.
    assert (await Enrollment.get(program=program, person=mentor)).status is EnrollmentStatus.ACTIVE
    assert (await Meeting.get(id=session.id)).status is MeetingStatus.HELD


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        (ProgramKind.ONE_ON_ONE, RelationshipStatus.ACTIVE),
        # Held before the agreement was signed: it goes active only through the signed agreement.
        (ProgramKind.SPEED, RelationshipStatus.PROPOSED),
    ],
)
async def test_a_held_meeting_leaves_other_relationships_as_they_are(gql, db, kind, status):
    _, mentor, mentee, relationship = await pair_of(kind, status)
    meeting = await make_meeting(
        relationship, mentor, mentee, start=datetime.datetime.now(UTC) - datetime.timedelta(hours=1)
    )

    data = await gql(HELD, {"input": {"meetingId": gid("Meeting", meeting.id)}}, as_=mentee)

    assert data["markMeetingHeld"]["meeting"]["relationship"]["status"] == status.value
    if kind is ProgramKind.ONE_ON_ONE:
        assert (await gql(BOOK, booking(relationship, 2), as_=mentee))["bookMeeting"]["__typename"] == "MeetingPayload"
        assert (await gql(BOOK, booking(relationship, 3), as_=mentee))["bookMeeting"]["__typename"] == "MeetingPayload"
