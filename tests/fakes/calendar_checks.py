"""What "exactly once" means, checked against the fakes' state: for every meeting, one event in its
organizer's calendar, in the meeting's final state, with every attendee invited; no duplicates, none missing."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC

from domain.calendar.models import Provider
from domain.meetings.models import Meeting, MeetingAttendee, MeetingStatus
from domain.people.models import Person
from integrations.microsoft.calendar import PROPERTY_ID
from tests.fakes.google_calendar import FakeGoogleCalendar
from tests.fakes.microsoft_graph import FakeMicrosoftGraph


@dataclass
class Convergence:
    checked: int = 0
    duplicates: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)
    uninvited: list[str] = field(default_factory=list)

    @property
    def problems(self) -> dict[str, list[str]]:
        return {name: values for name, values in vars(self).items() if name != "checked" and values}


def _google_events(fake: FakeGoogleCalendar, email: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for event in fake.organizer_events(email):
        uid = event.get("extendedProperties", {}).get("private", {}).get("mentorgraphMeeting")
        found.setdefault(uid, []).append(event)
    return found


def _graph_events(fake: FakeMicrosoftGraph, email: str) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for event in fake.organizer_events(email):
        uids = [p["value"] for p in event["singleValueExtendedProperties"] if p["id"] == PROPERTY_ID]
        found.setdefault(uids[0] if uids else None, []).append(event)
    return found


def _zulu(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


async def check_convergence(
    providers: dict[str, Provider], google: FakeGoogleCalendar, graph: FakeMicrosoftGraph
) -> Convergence:
    """`providers` maps an email domain to the provider its company connection uses."""
    result = Convergence()
    people = {person.id: person.email for person in await Person.all()}
    attendees: dict[int, list[str]] = {}
    for row in await MeetingAttendee.all():
        attendees.setdefault(row.meeting_id, []).append(people[row.person_id])
    cache: dict[str, dict[str, list[dict]]] = {}
    google_invites = Counter((i.calendar, i.event_id) for i in google.invitations if i.kind == "invite")
    graph_invites = Counter((i.mailbox, i.ical_uid) for i in graph.invitations if i.kind == "invite")
    for meeting in await Meeting.all():
        result.checked += 1
        organizer = people[meeting.organizer_id]
        provider = providers[organizer.rsplit("@", 1)[1]]
        if organizer not in cache:
            cache[organizer] = (
                _google_events(google, organizer) if provider is Provider.GOOGLE else _graph_events(graph, organizer)
            )
        events = cache[organizer].get(meeting.uid, [])
        label = f"meeting {meeting.id} ({provider.value}, {meeting.status.value})"
        cancelled = meeting.status is MeetingStatus.CANCELLED
        if len(events) > 1:
            result.duplicates.append(label)
            continue
        if not events:
            # A meeting cancelled before its first sync never needed an event; any other needs one.
            if not cancelled:
                result.missing.append(label)
            continue
        [event] = events
        invitees = [email for email in attendees[meeting.id] if email != organizer]
        if provider is Provider.GOOGLE:
            is_cancelled = event["status"] == "cancelled"
            starts = event["start"]["dateTime"][:19]
            invited = all(google_invites[(email, event["id"])] >= 1 for email in invitees)
        else:
            is_cancelled = event["isCancelled"]
            starts = event["start"]["dateTime"][:19]
            invited = all(graph_invites[(email, event["iCalUId"])] >= 1 for email in invitees)
        if is_cancelled != cancelled or (not cancelled and starts != _zulu(meeting.starts_at)):
            result.wrong.append(f"{label}: calendar shows cancelled={is_cancelled} at {starts}")
        if not invited:
            result.uninvited.append(label)
    return result
