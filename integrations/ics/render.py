"""Renders a person's meeting feed as an RFC 5545 VCALENDAR with the `icalendar` package."""

from __future__ import annotations

from icalendar import Calendar, Event, vCalAddress

from domain.meetings.feed import Feed, FeedEvent, FeedPerson
from domain.meetings.models import MeetingStatus, Rsvp

PRODUCT_ID = "-//Mentorgraph//Meetings feed//EN"

_PARTSTAT = {
    Rsvp.NEEDS_ACTION: "NEEDS-ACTION",
    Rsvp.ACCEPTED: "ACCEPTED",
    Rsvp.DECLINED: "DECLINED",
    Rsvp.TENTATIVE: "TENTATIVE",
}
_FORMAT_LABEL = {"VIDEO": "Video call", "AUDIO": "Audio call", "IN_PERSON": "In person", "ASYNC": "Asynchronous"}


def _address(person: FeedPerson, **parameters: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{person.email}")
    address.params["CN"] = person.name
    for name, value in parameters.items():
        address.params[name] = value
    return address


def _description(event: FeedEvent) -> str:
    lines = [f"Format: {_FORMAT_LABEL[event.format.value]}"]
    if event.agenda:
        lines += ["", "Agenda:", *(f"{number}. {text}" for number, text in enumerate(event.agenda, start=1))]
    return "\n".join(lines)


def _vevent(event: FeedEvent) -> Event:
    vevent = Event()
    vevent.add("uid", event.uid)
    vevent.add("sequence", event.sequence)
    # A published feed has no METHOD, so DTSTAMP is when the event last changed (RFC 5545 3.8.7.2):
    # stable across fetches, so calendar apps see a change only when there is one.
    vevent.add("dtstamp", event.last_modified)
    vevent.add("created", event.created)
    vevent.add("last-modified", event.last_modified)
    vevent.add("dtstart", event.start)
    vevent.add("dtend", event.end)
    vevent.add("summary", event.title)
    vevent.add("description", _description(event))
    if event.location:
        vevent.add("location", event.location)
    if event.url:
        vevent.add("url", event.url)
    vevent.add("status", "CANCELLED" if event.status is MeetingStatus.CANCELLED else "CONFIRMED")
    vevent.add("organizer", _address(event.organizer))
    for attendee in event.attendees:
        vevent.add(
            "attendee",
            _address(attendee, ROLE="REQ-PARTICIPANT", PARTSTAT=_PARTSTAT[attendee.rsvp or Rsvp.NEEDS_ACTION]),
        )
    return vevent


def render_feed(feed: Feed) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"Mentoring — {feed.owner.name}")
    for event in feed.events:
        calendar.add_component(_vevent(event))
    return calendar.to_ical()
