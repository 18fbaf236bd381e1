"""bookMeeting through GraphQL: who may book, what is written, and every refusal writing nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from domain.access import Role
from domain.meetings.models import AgendaItem, Meeting, MeetingAttendee, MeetingStatus, Rsvp
from domain.programs.models import Cadence, ProgramCoordinator
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person
from tests.factories_meetings import iso, make_agreement, make_meeting, make_relationship, soon
from tests.support import assert_unchanged, gid

BOOK = """
mutation Book($input: BookMeetingInput!) {
  bookMeeting(input: $input) {
    __typename
    ... on MeetingPayload {
      meeting {
        id title format status sequence start end location conferenceUrl calendarUid
        organizer { name }
        attendees { person { name } rsvp }
        agenda { position text }
      }
    }
    ... on Error { message code field }
  }
}
"""


@pytest.fixture
async def pair(db):
    ana = await make_person(name="Ana", time_zone="Europe/London")
    ben = await make_person(name="Ben", time_zone="Asia/Singapore")
    relationship = await make_relationship(ana, ben)
    return ana, ben, relationship


def booking(relationship, **fields) -> dict:
    return {"input": {"relationshipId": gid("Relationship", relationship.id), "start": iso(soon()), **fields}}


async def test_a_member_books_a_meeting_for_every_member(gql, pair):
    ana, _, relationship = pair
    start = soon()
    data = await gql(
        BOOK,
        booking(
            relationship,
            start=iso(start),
            durationMinutes=45,
            format="AUDIO",
            title="  First   chat ",
            location="Lisbon office",
            conferenceUrl="https://meet.example.com/abc",
            agenda=["Introductions", "What you hope to learn"],
        ),
        as_=ana,
    )
    meeting = data["bookMeeting"]["meeting"]
    assert data["bookMeeting"]["__typename"] == "MeetingPayload"
    assert meeting["title"] == "First chat"
    assert meeting["format"] == "AUDIO"
    assert meeting["status"] == "SCHEDULED"
    assert meeting["sequence"] == 0
    assert meeting["location"] == "Lisbon office"
    assert meeting["conferenceUrl"] == "https://meet.example.com/abc"
    assert meeting["organizer"] == {"name": "Ana"}
    assert meeting["attendees"] == [
        {"person": {"name": "Ana"}, "rsvp": "ACCEPTED"},
        {"person": {"name": "Ben"}, "rsvp": "NEEDS_ACTION"},
    ]
    assert meeting["agenda"] == [
        {"position": 1, "text": "Introductions"},
        {"position": 2, "text": "What you hope to learn"},
    ]
    row = await Meeting.get(relationship_id=relationship.id)
    assert row.starts_at == start
    assert row.ends_at == start + timedelta(minutes=45)
    assert len(row.uid) == 36 and row.uid == meeting["calendarUid"]
    assert await MeetingAttendee.filter(meeting_id=row.id).count() == 2
    assert await AgendaItem.filter(meeting_id=row.id).count() == 2


async def test_an_end_instead_of_a_duration_and_any_offset_is_stored_in_utc(gql, pair):
    ana, _, relationship = pair
    start = soon()
    local_start = start.astimezone(timezone(timedelta(hours=8)))
    data = await gql(
        BOOK, booking(relationship, start=iso(local_start), end=iso(local_start + timedelta(minutes=30))), as_=ana
    )
    assert data["bookMeeting"]["__typename"] == "MeetingPayload"
    row = await Meeting.get(relationship_id=relationship.id)
    assert (row.starts_at, row.ends_at) == (start, start + timedelta(minutes=30))


async def test_a_proposed_relationship_may_book_its_first_conversation(gql, db):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben, status=RelationshipStatus.PROPOSED)
    data = await gql(BOOK, booking(relationship, durationMinutes=30), as_=ben)
    assert data["bookMeeting"]["__typename"] == "MeetingPayload"


async def test_touching_meetings_do_not_clash(gql, pair):
    ana, ben, relationship = pair
    start = soon()
    await make_meeting(relationship, ana, ben, start=start - timedelta(minutes=45), minutes=45)
    data = await gql(BOOK, booking(relationship, start=iso(start), durationMinutes=30), as_=ana)
    assert data["bookMeeting"]["__typename"] == "MeetingPayload"


async def test_a_cancelled_meeting_frees_the_time(gql, pair):
    ana, ben, relationship = pair
    start = soon()
    await make_meeting(relationship, ana, ben, start=start, status=MeetingStatus.CANCELLED)
    data = await gql(BOOK, booking(relationship, start=iso(start), durationMinutes=30), as_=ana)
    assert data["bookMeeting"]["__typename"] == "MeetingPayload"


async def test_someone_already_booked_elsewhere_at_that_time_is_a_conflict(gql, pair):
    ana, ben, relationship = pair
    start = soon()
    cara = await make_person(name="Cara")
    other = await make_relationship(ben, cara)
    await make_meeting(other, ben, cara, start=start + timedelta(minutes=15), minutes=60)
    async with assert_unchanged():
        data = await gql(BOOK, booking(relationship, start=iso(start), durationMinutes=30), as_=ana)
    result = data["bookMeeting"]
    assert result["__typename"] == "ConflictError"
    assert result["field"] == "start"
    assert "already has a meeting" in result["message"]


async def test_an_outsider_cannot_book_and_nothing_is_written(gql, pair):
    _, _, relationship = pair
    outsider = await make_person()
    async with assert_unchanged():
        data = await gql(BOOK, booking(relationship, durationMinutes=30), as_=outsider)
    assert data["bookMeeting"] == {
        "__typename": "PermissionDeniedError",
        "message": "Only the relationship's members can do this.",
        "code": "PERMISSION_DENIED",
        "field": "relationshipId",
    }


@pytest.mark.parametrize("status", [RelationshipStatus.PAUSED, RelationshipStatus.COMPLETED])
async def test_a_paused_or_closed_relationship_books_nothing(gql, db, status):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben, status=status)
    async with assert_unchanged():
        data = await gql(BOOK, booking(relationship, durationMinutes=30), as_=ana)
    assert data["bookMeeting"]["__typename"] == "InvalidTransitionError"
    assert data["bookMeeting"]["field"] == "relationshipId"


BAD_INPUT = [
    ({"durationMinutes": 0}, "durationMinutes", "positive"),
    ({"durationMinutes": -30}, "durationMinutes", "positive"),
    ({"durationMinutes": 9 * 60}, "durationMinutes", "at most"),
    ({"durationMinutes": 30, "end": iso(soon(hour=11))}, "end", "not both"),
    ({"end": iso(soon(hour=9))}, "end", "end after it starts"),
    ({"start": "2027-03-01T09:00:00", "durationMinutes": 30}, "start", "UTC offset"),
    ({"start": iso(soon(days=-1)), "durationMinutes": 30}, "start", "notice"),
    ({"start": iso(soon(days=800)), "durationMinutes": 30}, "start", "731 days ahead"),
    ({"durationMinutes": 30, "title": "   "}, "title", "blank"),
    ({"durationMinutes": 30, "conferenceUrl": "ftp://x"}, "conferenceUrl", "http"),
    ({"durationMinutes": 30, "agenda": ["ok", " "]}, "agenda[1]", "blank"),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_INPUT)
async def test_bad_input_is_a_validation_error_naming_the_field(gql, pair, fields, field, message):
    ana, _, relationship = pair
    async with assert_unchanged():
        data = await gql(BOOK, booking(relationship, **fields), as_=ana)
    result = data["bookMeeting"]
    assert (result["__typename"], result["field"]) == ("ValidationError", field)
    assert message in result["message"]


async def test_without_end_or_duration_the_meeting_lasts_as_long_as_agreed(gql, pair):
    ana, _, relationship = pair
    await make_agreement(relationship, Cadence.MONTHLY)  # its version says 45 minutes
    start = soon()
    data = await gql(BOOK, booking(relationship, start=iso(start)), as_=ana)
    meeting = data["bookMeeting"]["meeting"]
    assert meeting["end"] == iso(start + timedelta(minutes=45))


async def test_before_an_agreement_the_programs_meeting_length_is_used(gql, pair):
    ana, _, relationship = pair
    program = await relationship.program
    program.meeting_minutes = 30
    await program.save()
    start = soon()
    data = await gql(BOOK, booking(relationship, start=iso(start)), as_=ana)
    assert data["bookMeeting"]["meeting"]["end"] == iso(start + timedelta(minutes=30))


async def test_a_start_inside_the_minimum_notice_is_refused(gql, pair):
    ana, _, relationship = pair
    start = datetime.now(UTC) + timedelta(minutes=5)
    async with assert_unchanged():
        data = await gql(BOOK, booking(relationship, start=iso(start), durationMinutes=30), as_=ana)
    assert data["bookMeeting"]["field"] == "start"
    assert data["bookMeeting"]["message"] == "A meeting needs at least 15 minutes' notice."


async def test_an_unknown_relationship_is_not_found(gql, pair):
    ana, _, _ = pair
    async with assert_unchanged():
        data = await gql(
            BOOK,
            {"input": {"relationshipId": gid("Relationship", 9999), "start": iso(soon()), "durationMinutes": 30}},
            as_=ana,
        )
    assert data["bookMeeting"]["__typename"] == "NotFoundError"
    assert data["bookMeeting"]["field"] == "relationshipId"


async def test_organizer_rsvp_is_accepted_for_whoever_books(gql, pair):
    _, ben, relationship = pair
    await gql(BOOK, booking(relationship, durationMinutes=30), as_=ben)
    rsvps = dict(await MeetingAttendee.all().values_list("person_id", "rsvp"))
    assert rsvps[ben.id] is Rsvp.ACCEPTED
    assert sorted(r.value for r in rsvps.values()) == ["ACCEPTED", "NEEDS_ACTION"]


async def test_the_programs_coordinator_cannot_book_for_its_members(gql, pair):
    _, _, relationship = pair
    coordinator = await make_person()
    await ProgramCoordinator.create(program_id=relationship.program_id, person=coordinator)
    async with assert_unchanged():
        data = await gql(BOOK, booking(relationship, durationMinutes=30), as_=coordinator, role=Role.COORDINATOR)
    assert (data["bookMeeting"]["__typename"], data["bookMeeting"]["field"]) == (
        "PermissionDeniedError",
        "relationshipId",
    )
