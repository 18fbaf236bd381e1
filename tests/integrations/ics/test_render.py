"""render_feed with plain data: RFC 5545 output that icalendar parses back field for field."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from domain.meetings.feed import Feed, FeedEvent, FeedPerson
from domain.meetings.models import MeetingStatus, Rsvp
from domain.people.models import MeetingFormat
from integrations.ics.render import render_feed

START = datetime(2027, 3, 28, 0, 30, tzinfo=UTC)  # the night the UK moves its clocks forward
STAMP = datetime(2027, 3, 1, 8, 15, 42, tzinfo=UTC)


def event(**overrides) -> FeedEvent:
    values = dict(
        uid="3f1c8a2e-0000-4000-8000-000000000001",
        sequence=4,
        created=STAMP - timedelta(days=1),
        last_modified=STAMP,
        start=START,
        end=START + timedelta(minutes=45),
        title="Chat; with, commas\\ and a newline\nhere",
        format=MeetingFormat.ASYNC,
        agenda=(),
        location="",
        url="",
        status=MeetingStatus.CANCELLED,
        organizer=FeedPerson("Ana, Lima", "ana@example.com"),
        attendees=(
            FeedPerson("Ana, Lima", "ana@example.com", Rsvp.ACCEPTED),
            FeedPerson("Ben", "ben@example.com", Rsvp.TENTATIVE),
            FeedPerson("Cy", "cy@example.com", Rsvp.DECLINED),
        ),
    )
    values.update(overrides)
    return FeedEvent(**values)


def parse(feed: Feed) -> Calendar:
    return Calendar.from_ical(render_feed(feed))


def test_special_characters_round_trip_and_optional_fields_are_left_out():
    calendar = parse(Feed(owner=FeedPerson("Ana, Lima", "ana@example.com"), events=(event(),)))
    [vevent] = calendar.walk("VEVENT")
    assert str(vevent["SUMMARY"]) == "Chat; with, commas\\ and a newline\nhere"
    assert str(vevent["DESCRIPTION"]) == "Format: Asynchronous"
    assert "LOCATION" not in vevent and "URL" not in vevent
    assert str(vevent["STATUS"]) == "CANCELLED"
    assert int(vevent["SEQUENCE"]) == 4
    assert vevent.decoded("DTSTART") == START
    assert vevent.decoded("DTSTAMP") == STAMP
    assert vevent["ORGANIZER"].params["CN"] == "Ana, Lima"
    assert [a.params["PARTSTAT"] for a in vevent["ATTENDEE"]] == ["ACCEPTED", "TENTATIVE", "DECLINED"]
    assert str(calendar["X-WR-CALNAME"]) == "Mentoring — Ana, Lima"


def test_times_are_written_in_utc_and_the_output_is_crlf_folded_ical():
    raw = render_feed(Feed(owner=FeedPerson("Ana", "ana@example.com"), events=(event(),)))
    assert b"DTSTART:20270328T003000Z\r\n" in raw
    assert b"DTEND:20270328T011500Z\r\n" in raw
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n") and raw.endswith(b"END:VCALENDAR\r\n")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))


def test_an_empty_feed_is_still_a_valid_calendar():
    calendar = parse(Feed(owner=FeedPerson("Ana", "ana@example.com"), events=()))
    assert calendar.walk("VEVENT") == []
    assert str(calendar["VERSION"]) == "2.0"
