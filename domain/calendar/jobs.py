"""What one round of calendar sync should make of each claimed meeting: the event as the meeting is now, what
was last written and where, read for a whole batch of meetings in a handful of queries (not a dozen each).

Read after the claim's watermark, so the state covers every message the claim will mark done.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.expressions import Q

from domain.calendar import connections
from domain.calendar.models import (
    CalendarConnection,
    CalendarEvent,
    ConnectionKind,
    ConnectionStatus,
    Provider,
    SyncStatus,
)
from domain.calendar.ports import DesiredEvent, KnownEvent
from domain.meetings.models import AgendaItem, Meeting, MeetingAttendee, MeetingStatus
from domain.people.models import MeetingFormat, Person


@dataclass(frozen=True)
class Leftover:
    """The meeting's event in the calendar it no longer belongs to (the organizer's calendar moved to another
    connection, provider or address): cancelled there before the meeting is created in its new calendar."""

    connection: CalendarConnection
    known: KnownEvent


@dataclass(frozen=True)
class SyncJob:
    meeting_id: int
    sequence: int
    connection: CalendarConnection | None
    desired: DesiredEvent
    known: KnownEvent
    # The provider already shows this very version of the meeting: a duplicated message needs no call.
    up_to_date: bool
    leftover: Leftover | None = None
    # A link the provider made in the old calendar: the meeting may show it and takes the new one instead.
    replaced_link: str = ""
    # The meeting's CalendarEvent row, which the outcome updates.
    event_row: int = 0
    # The iCalendar UID recorded for the event in its calendar ("" once it has moved to another).
    known_ical_uid: str = ""


@dataclass
class _Batch:
    """Everything the jobs of one round read, keyed for lookup."""

    meetings: dict[int, Meeting]
    organizers: dict[int, Person]
    invited: dict[int, list[str]]
    agenda: dict[int, list[str]]
    events: dict[int, CalendarEvent]
    personal: dict[int, CalendarConnection]
    companies: list[CalendarConnection]
    by_id: dict[int, CalendarConnection]


async def _read(meeting_ids: Sequence[int]) -> _Batch:
    ids = list(meeting_ids)
    meetings = {meeting.id: meeting for meeting in await Meeting.filter(id__in=ids)}
    organizer_ids = list({meeting.organizer_id for meeting in meetings.values()})
    organizers = {person.id: person for person in await Person.filter(id__in=organizer_ids)}
    invited: dict[int, list[str]] = defaultdict(list)
    for meeting_id, person_id, email in await MeetingAttendee.filter(meeting_id__in=ids).values_list(
        "meeting_id", "person_id", "person__email"
    ):
        if person_id != meetings[meeting_id].organizer_id:
            invited[meeting_id].append(email)
    agenda: dict[int, list[str]] = defaultdict(list)
    for meeting_id, text in (
        await AgendaItem.filter(meeting_id__in=ids).order_by("meeting_id", "position").values_list("meeting_id", "text")
    ):
        agenda[meeting_id].append(text)
    # Every meeting write makes its event row (domain/calendar/changes.py); one made before that rule is made here.
    events = {event.meeting_id: event for event in await CalendarEvent.filter(meeting_id__in=ids)}
    if missing := [meeting_id for meeting_id in meetings if meeting_id not in events]:
        await CalendarEvent.bulk_create([CalendarEvent(meeting_id=i) for i in missing], ignore_conflicts=True)
        events.update({e.meeting_id: e for e in await CalendarEvent.filter(meeting_id__in=missing)})
    wanted = connections.candidates(organizer_ids)
    # And whichever connection wrote each event last: a moved event is cancelled through it.
    if written := list({e.connection_id for e in events.values() if e.connection_id}):
        wanted |= Q(id__in=written)
    rows = await CalendarConnection.filter(wanted)
    personal = {c.person_id: c for c in rows if c.kind is ConnectionKind.PERSONAL and c.person_id in organizers}
    companies = [c for c in rows if c.kind is ConnectionKind.COMPANY and c.status is ConnectionStatus.ACTIVE]
    return _Batch(meetings, organizers, invited, agenda, events, personal, companies, {c.id: c for c in rows})


async def prepare_many(meeting_ids: Sequence[int]) -> dict[int, SyncJob | None]:
    """Each meeting's job; None for a meeting that no longer exists."""
    batch = await _read(meeting_ids)
    return {meeting_id: _job(batch, meeting_id) for meeting_id in meeting_ids}


async def prepare(meeting_id: int) -> SyncJob | None:
    return (await prepare_many([meeting_id]))[meeting_id]


def _description(agenda: list[str], typed_link: str) -> str:
    lines = [f"- {text}" for text in agenda]
    if typed_link:
        lines.append(f"Join: {typed_link}")
    lines.append("Booked in Mentorgraph.")
    return "\n".join(lines)


def _job(batch: _Batch, meeting_id: int) -> SyncJob | None:
    meeting = batch.meetings.get(meeting_id)
    if meeting is None:
        return None
    organizer = batch.organizers[meeting.organizer_id]
    connection = connections.choose(organizer, batch.personal.get(organizer.id), batch.companies)
    event = batch.events[meeting_id]
    # A link the provider made for this event (or none at all) is ours to replace; one the organizer typed is not.
    provider_link = not meeting.conference_url or meeting.conference_url == event.conference_url
    personal_account = connection is not None and connection.kind is ConnectionKind.PERSONAL
    # A personal connection writes to the connected account's calendar, which is the organizer's own.
    calendar = connection.account_email if personal_account and connection.account_email else organizer.email
    moved = _elsewhere(event, connection.provider if connection else None, calendar)
    generation, event_id, etag, create_sent, conference_url = (
        event.generation,
        event.event_id,
        event.etag,
        event.create_sent,
        event.conference_url,
    )
    leftover, replaced_link = None, ""
    if moved:
        leftover = _leftover(event, batch.by_id.get(event.connection_id))
        replaced_link = event.conference_url
        # The new calendar starts afresh: new ids, a new conference.
        generation, event_id, etag, create_sent, conference_url = event.generation + 1, "", "", False, ""
    elif connection is not None and event.connection_id not in (None, connection.id):
        # Written through another connection to this same calendar (a person connecting their own account of
        # the calendar the company connection wrote to): the event may already be there, so look first.
        create_sent = True
    desired = DesiredEvent(
        meeting_uid=meeting.uid,
        title=meeting.title,
        description=_description(batch.agenda.get(meeting_id, []), "" if provider_link else meeting.conference_url),
        location=meeting.location,
        start=meeting.starts_at,
        end=meeting.ends_at,
        cancelled=meeting.status is MeetingStatus.CANCELLED,
        cancellation_reason=meeting.cancellation_reason,
        organizer_email=organizer.email,
        attendee_emails=tuple(sorted(batch.invited.get(meeting_id, []))),
        wants_conference=meeting.format is MeetingFormat.VIDEO and provider_link,
    )
    known = KnownEvent(calendar, generation, event_id, etag, create_sent, conference_url)
    up_to_date = (
        connection is not None
        and event.status is SyncStatus.SYNCED
        and event.connection_id == connection.id
        and event.synced_sequence == meeting.sequence
    )
    return SyncJob(
        meeting.id,
        meeting.sequence,
        connection,
        desired,
        known,
        up_to_date,
        leftover,
        replaced_link,
        event.id,
        "" if moved else event.ical_uid,
    )


def _elsewhere(event: CalendarEvent, provider: Provider | None, calendar: str) -> bool:
    """The event was written (or may have been) to another calendar than the one it belongs in now (none at
    all when `provider` is None: the organizer's calendar is no longer connected)."""
    if not (event.event_id or event.create_sent) or event.provider is None:
        return False
    moved_calendar = bool(event.calendar) and event.calendar.lower() != calendar.lower()
    return event.provider is not provider or moved_calendar


def _leftover(event: CalendarEvent, old: CalendarConnection | None) -> Leftover | None:
    """The old calendar's event, when its connection can still reach it (a deleted or BROKEN one cannot)."""
    if old is None or old.status is not ConnectionStatus.ACTIVE:
        return None
    known = KnownEvent(
        calendar=event.calendar,
        generation=event.generation,
        event_id=event.event_id,
        etag=event.etag,
        create_sent=event.create_sent,
        conference_url=event.conference_url,
    )
    return Leftover(old, known)
