"""GET /ics/<token>.ics over HTTP, parsed back with icalendar: every field, sequences, cancellation, rotation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from domain.meetings.feed import hash_token
from domain.meetings.models import CalendarFeed, Meeting
from tests.factories import make_person
from tests.factories_meetings import iso, make_meeting, make_relationship, soon
from tests.support import gid

ROTATE = """
mutation { rotateMyCalendarFeed { __typename ... on RotateMyCalendarFeedPayload { url } ... on Error { code } } }
"""
BOOK = """
mutation B($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on MeetingPayload { meeting { id calendarUid } } }
}
"""
RESCHEDULE = """
mutation R($input: RescheduleMeetingInput!) { rescheduleMeeting(input: $input) { __typename } }
"""
CANCEL = "mutation C($input: CancelMeetingInput!) { cancelMeeting(input: $input) { __typename } }"
RESPOND = "mutation A($input: RespondToMeetingInput!) { respondToMeeting(input: $input) { __typename } }"


async def feed_url(gql, person) -> str:
    data = await gql(ROTATE, as_=person)
    url = data["rotateMyCalendarFeed"]["url"]
    assert url.startswith("http://mentorgraph.test/ics/") and url.endswith(".ics")
    return url


async def fetch(http, url: str) -> Calendar:
    response = await http.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> dict[str, object]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


@pytest.fixture
async def pair(db):
    ana = await make_person(name="Ana Lima", email="ana@example.com")
    ben = await make_person(name="Ben Tan", email="ben@example.com", time_zone="Asia/Singapore")
    return ana, ben, await make_relationship(ana, ben)


async def test_the_feed_lists_a_booked_meeting_with_every_field(gql, http, pair):
    ana, ben, relationship = pair
    start = soon()
    booked = await gql(
        BOOK,
        {
            "input": {
                "relationshipId": gid("Relationship", relationship.id),
                "start": iso(start),
                "durationMinutes": 45,
                "title": "Monthly mentoring",
                "format": "VIDEO",
                "location": "Room 4",
                "conferenceUrl": "https://meet.example.com/xyz",
                "agenda": ["Career goals", "Feedback on the talk"],
            }
        },
        as_=ana,
    )
    uid = booked["bookMeeting"]["meeting"]["calendarUid"]
    calendar = await fetch(http, await feed_url(gql, ben))

    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Mentorgraph//Meetings feed//EN"
    assert str(calendar["X-WR-CALNAME"]) == "Mentoring — Ben Tan"
    event = events(calendar)[uid]
    row = await Meeting.get(uid=uid)
    assert int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == start
    assert event.decoded("DTEND") == start + timedelta(minutes=45)
    assert event.decoded("DTSTART").tzinfo.utcoffset(None) == timedelta(0)
    assert event.decoded("DTSTAMP") == row.updated_at.replace(microsecond=0)
    assert event.decoded("LAST-MODIFIED") == row.updated_at.replace(microsecond=0)
    assert event.decoded("CREATED") == row.created_at.replace(microsecond=0)
    assert str(event["SUMMARY"]) == "Monthly mentoring"
    assert str(event["DESCRIPTION"]) == ("Format: Video call\n\nAgenda:\n1. Career goals\n2. Feedback on the talk")
    assert str(event["LOCATION"]) == "Room 4"
    assert str(event["URL"]) == "https://meet.example.com/xyz"
    assert str(event["STATUS"]) == "CONFIRMED"
    organizer = event["ORGANIZER"]
    assert str(organizer) == "mailto:ana@example.com"
    assert organizer.params["CN"] == "Ana Lima"
    attendees = {str(a): a.params for a in event["ATTENDEE"]}
    assert attendees["mailto:ana@example.com"]["PARTSTAT"] == "ACCEPTED"
    assert attendees["mailto:ana@example.com"]["CN"] == "Ana Lima"
    assert attendees["mailto:ben@example.com"]["PARTSTAT"] == "NEEDS-ACTION"
    assert attendees["mailto:ben@example.com"]["ROLE"] == "REQ-PARTICIPANT"


async def test_sequence_rises_with_each_change_and_a_cancelled_meeting_stays_listed(gql, http, pair):
    ana, ben, relationship = pair
    booked = await gql(
        BOOK,
        {
            "input": {
                "relationshipId": gid("Relationship", relationship.id),
                "start": iso(soon()),
                "durationMinutes": 30,
            }
        },
        as_=ana,
    )
    meeting_id, uid = booked["bookMeeting"]["meeting"]["id"], booked["bookMeeting"]["meeting"]["calendarUid"]
    url = await feed_url(gql, ana)

    new_start = soon(days=3, hour=15)
    await gql(RESCHEDULE, {"input": {"meetingId": meeting_id, "start": iso(new_start), "durationMinutes": 30}}, as_=ana)
    moved = events(await fetch(http, url))[uid]
    assert int(moved["SEQUENCE"]) == 1
    assert moved.decoded("DTSTART") == new_start
    assert {str(a): a.params["PARTSTAT"] for a in moved["ATTENDEE"]}["mailto:ben@example.com"] == "NEEDS-ACTION"

    await gql(RESPOND, {"input": {"meetingId": meeting_id, "response": "DECLINED"}}, as_=ben)
    answered = events(await fetch(http, url))[uid]
    assert int(answered["SEQUENCE"]) == 2
    assert {str(a): a.params["PARTSTAT"] for a in answered["ATTENDEE"]}["mailto:ben@example.com"] == "DECLINED"

    await gql(CANCEL, {"input": {"meetingId": meeting_id}}, as_=ana)
    cancelled = events(await fetch(http, url))[uid]
    assert int(cancelled["SEQUENCE"]) == 3
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert str(cancelled["UID"]) == uid


async def test_the_feed_keeps_about_ninety_days_of_history_and_only_the_owners_meetings(gql, http, pair):
    ana, ben, relationship = pair
    cara, dan = await make_person(), await make_person()
    now = datetime.now(UTC)
    recent = await make_meeting(relationship, ana, ben, start=now - timedelta(days=80))
    old = await make_meeting(relationship, ana, ben, start=now - timedelta(days=100))
    others = await make_meeting(await make_relationship(cara, dan), cara, dan, start=soon())
    listed = events(await fetch(http, await feed_url(gql, ana)))
    assert recent.uid in listed
    assert old.uid not in listed
    assert others.uid not in listed


async def test_rotating_retires_the_old_url_and_only_a_hash_is_stored(gql, http, pair):
    ana, _, _ = pair
    old_url = await feed_url(gql, ana)
    assert (await http.get(old_url)).status_code == 200
    new_url = await feed_url(gql, ana)
    assert new_url != old_url
    assert (await http.get(old_url)).status_code == 404
    assert (await http.get(new_url)).status_code == 200
    token = new_url.rsplit("/", 1)[1].removesuffix(".ics")
    feed = await CalendarFeed.get(person_id=ana.id)
    assert feed.token_hash == hash_token(token)
    assert token not in feed.token_hash


async def test_an_unknown_token_is_not_found_and_needs_no_bearer_token(http, db):
    response = await http.get("/ics/not-a-real-token.ics")
    assert response.status_code == 404


async def test_an_account_without_a_profile_cannot_have_a_feed(gql, db):
    data = await gql(ROTATE, as_="nobody@example.com")
    assert data["rotateMyCalendarFeed"] == {"__typename": "PermissionDeniedError", "code": "PERMISSION_DENIED"}
    assert await CalendarFeed.all().count() == 0
