"""What one round of RSVP write-back should do: an answer given in Mentorgraph goes to the attendee's own copy
of the event, where the company connection covering the attendee's domain can act for them (Google domain-wide
delegation, Graph application permission). Everyone else's answer stays in Mentorgraph and the ICS feed.

The worker makes the copy agree with the answer as it is now (read after the claim), so a changed mind, a
duplicated message or a retry after a lost response all converge, and an answer the copy already shows (one
that came from the calendar in the first place) sends nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from domain.calendar import connections
from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import CalendarConnection, CalendarEvent, ConnectionKind, ConnectionStatus, SyncStatus
from domain.calendar.ports import SyncFailed
from domain.calendar.sync import back_off
from domain.meetings.models import Meeting, MeetingAttendee, MeetingStatus, Rsvp
from domain.outbox import service as outbox
from domain.outbox.backoff import RetryPolicy
from domain.outbox.service import Claim


@dataclass(frozen=True)
class RsvpJob:
    """Send `response` as `attendee_email` to their copy of the event with `ical_uid`, through `connection`."""

    attendee_email: str
    response: Rsvp
    connection: CalendarConnection
    ical_uid: str


# What a claimed RSVP comes to when there is nothing to send now.
NOTHING = "nothing"  # no answer to write, or no connection that can write it: done
LATER = "later"  # the organizer's event is still being made: its copies do not exist yet


async def prepare_many(keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], RsvpJob | str]:
    """Each (meeting id, person id)'s job, or NOTHING / LATER."""
    meeting_ids = list({meeting_id for meeting_id, _ in keys})
    meetings = {m.id: m for m in await Meeting.filter(id__in=meeting_ids)}
    wanted = Q(*(Q(meeting_id=m, person_id=p) for m, p in keys), join_type=Q.OR)
    answers = {
        (meeting_id, person_id): (Rsvp(rsvp), email)
        for meeting_id, person_id, rsvp, email in await MeetingAttendee.filter(wanted).values_list(
            "meeting_id", "person_id", "rsvp", "person__email"
        )
    }
    events = {e.meeting_id: e for e in await CalendarEvent.filter(meeting_id__in=meeting_ids)}
    companies = await CalendarConnection.filter(kind=ConnectionKind.COMPANY, status=ConnectionStatus.ACTIVE)
    return {key: _job(key[1], meetings.get(key[0]), answers.get(key), events.get(key[0]), companies) for key in keys}


def _job(person_id: int, meeting: Meeting | None, answer, event: CalendarEvent | None, companies) -> RsvpJob | str:
    if meeting is None or answer is None or meeting.status is not MeetingStatus.SCHEDULED:
        return NOTHING
    response, email = answer
    # The organizer's own event is the meeting itself: there is no invitation of theirs to answer.
    if response is Rsvp.NEEDS_ACTION or person_id == meeting.organizer_id:
        return NOTHING
    domain = connections.email_domain(email)
    company = next((c for c in companies if domain in c.domains), None)
    if company is None or event is None:
        return NOTHING
    # Only the provider that holds the organizer's event made the attendee a copy of it to answer.
    if event.provider is not None and event.provider is not company.provider:
        return NOTHING
    if not event.ical_uid:
        return LATER if event.status is SyncStatus.PENDING else NOTHING
    return RsvpJob(attendee_email=email, response=response, connection=company, ical_uid=event.ical_uid)


async def record_later(claim: Claim, *, worker: str, until: datetime) -> None:
    """Not a failure: the answer waits (attempts untouched) until the event's copies exist."""
    await outbox.release(CALENDAR_TOPIC, claim, worker=worker, until=until)


async def record_failure(claim: Claim, failure: SyncFailed, *, worker: str, now: datetime, policy: RetryPolicy) -> bool:
    """Backs off, or dead-letters (admins see it among the dead letters); True when dead-lettered."""
    async with in_transaction():
        return await back_off(claim, failure, worker=worker, now=now, policy=policy)
