"""The ICS feed as a strict RFC 5545 client reads it: raw bytes (CRLF, 75-octet folding, escaping, UTC stamps),
and a SEQUENCE that rises by one with every kind of change, the sweep's included."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from domain.meetings.models import Meeting, MeetingAttendee, Rsvp
from domain.meetings.sweeps import mark_missed
from tests.api.test_ics_feed import BOOK, events, feed_url, fetch
from tests.factories import make_person
from tests.factories_meetings import iso, make_meeting, make_relationship, soon
from tests.support import gid

AGENDA = "mutation A($input: AddAgendaItemInput!) { addAgendaItem(input: $input) { __typename } }"
HELD = "mutation H($input: MarkMeetingHeldInput!) { markMeetingHeld(input: $input) { __typename } }"
LONG_ITEM = "Réunion de l'équipe — 東京オフィスとの調整、" * 6


@pytest.fixture
async def pair(db):
    ana = await make_person(name="Ana Lima", email="ana@example.com")
    ben = await make_person(name="Ben Tan", email="ben@example.com", time_zone="Asia/Singapore")
    return ana, ben, await make_relationship(ana, ben)


def unfold(raw: bytes) -> list[bytes]:
    """Content lines: CRLF followed by one space or tab continues the previous line (RFC 5545 3.1)."""
    return re.sub(rb"\r\n[ \t]", b"", raw).split(b"\r\n")


def property_of(lines: list[bytes], name: bytes) -> list[bytes]:
    return [line.split(b":", 1)[1] for line in lines if line.split(b":", 1)[0].split(b";")[0] == name]


async def test_the_feed_is_strict_rfc_5545_text(gql, http, pair):
    ana, ben, relationship = pair
    booked = await gql(
        BOOK,
        {
            "input": {
                "relationshipId": gid("Relationship", relationship.id),
                "start": iso(soon()),
                "durationMinutes": 45,
                "title": "Plan, review; next",
                "agenda": ["a, b; c\nd", "back\\slash", LONG_ITEM],
            }
        },
        as_=ana,
    )
    uid = booked["bookMeeting"]["meeting"]["calendarUid"]
    response = await http.get(await feed_url(gql, ben))
    raw = response.content

    # lines end in CRLF, never a bare LF or CR, and the body ends with one
    assert raw.endswith(b"\r\n")
    physical = raw.split(b"\r\n")[:-1]
    assert not any(b"\n" in line or b"\r" in line for line in physical)
    # no physical line is longer than 75 octets, and folding never splits a UTF-8 character
    assert max(len(line) for line in physical) <= 75
    assert any(line.startswith(b" ") for line in physical), "the long agenda item must have been folded"
    for line in physical:
        line.decode("utf-8")
    lines = unfold(raw)
    assert lines[:1] == [b"BEGIN:VCALENDAR"] and lines[-2:] == [b"END:VCALENDAR", b""]
    assert property_of(lines, b"VERSION") == [b"2.0"]
    assert property_of(lines, b"PRODID") == [b"-//Mentorgraph//Meetings feed//EN"]
    # each event has one UID and one DTSTAMP, written in UTC
    assert property_of(lines, b"UID") == [uid.encode()]
    [stamp] = property_of(lines, b"DTSTAMP")
    assert re.fullmatch(rb"\d{8}T\d{6}Z", stamp)
    for name in (b"DTSTART", b"DTEND", b"CREATED", b"LAST-MODIFIED"):
        assert re.fullmatch(rb"\d{8}T\d{6}Z", property_of(lines, name)[0]), name
    # and commas, semicolons, backslashes and line breaks in text are escaped
    assert property_of(lines, b"SUMMARY") == [rb"Plan\, review\; next"]
    [description] = property_of(lines, b"DESCRIPTION")
    item = LONG_ITEM.strip().replace(",", r"\,").encode()
    # an agenda item is one line: its line break became a space when it was added
    assert description == (rb"Format: Video call\n\nAgenda:\n1. a\, b\; c d\n2. back\\slash\n3. " + item), description
    # and icalendar reads back exactly what was written
    event = events(Calendar.from_ical(raw))[uid]
    assert str(event["SUMMARY"]) == "Plan, review; next"
    assert str(event["DESCRIPTION"]).splitlines()[3:] == ["1. a, b; c d", "2. back\\slash", f"3. {LONG_ITEM.strip()}"]


async def test_every_change_raises_the_sequence_by_one_and_keeps_the_uid(gql, http, pair):
    ana, ben, relationship = pair
    # a meeting that began two days ago and that nobody has confirmed yet
    meeting = await make_meeting(relationship, ana, ben, start=datetime.now(UTC) - timedelta(days=2))
    url = await feed_url(gql, ben)

    async def seen() -> tuple[int, str, dict[str, str]]:
        event = events(await fetch(http, url))[meeting.uid]
        partstats = {str(a): a.params["PARTSTAT"] for a in event["ATTENDEE"]}
        return int(event["SEQUENCE"]), str(event["STATUS"]), partstats

    assert (await seen())[0] == 0
    await gql(AGENDA, {"input": {"meetingId": gid("Meeting", meeting.id), "text": "What went well"}}, as_=ana)
    assert (await seen())[0] == 1
    await MeetingAttendee.filter(meeting_id=meeting.id, person_id=ben.id).update(rsvp=Rsvp.TENTATIVE)
    assert await mark_missed(datetime.now(UTC)) == 1
    sequence, status, partstats = await seen()
    assert (sequence, status) == (2, "CONFIRMED")  # a missed meeting still happened in calendars' terms
    assert partstats == {"mailto:ana@example.com": "NEEDS-ACTION", "mailto:ben@example.com": "TENTATIVE"}
    await gql(HELD, {"input": {"meetingId": gid("Meeting", meeting.id)}}, as_=ben)
    assert (await seen())[0] == 3
    assert (await Meeting.get(id=meeting.id)).sequence == 3
