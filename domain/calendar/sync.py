"""One round of calendar sync for one meeting, minus the provider call: what the event should be, and what to
record afterwards. The worker (integrations/calendar/worker.py) holds the outbox lease around the call.

Every outcome is written in one transaction with the outbox bookkeeping: the event's state, the messages it
covers, and, on invalid_grant, the connection marked BROKEN.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain.calendar import connections
from domain.calendar.changes import CALENDAR_TOPIC, meetings_changed
from domain.calendar.models import CalendarConnection, CalendarEvent, ConnectionKind, SyncStatus
from domain.calendar.ports import DesiredEvent, KnownEvent, SyncFailed, WrittenEvent
from domain.meetings.models import AgendaItem, Meeting, MeetingAttendee, MeetingStatus
from domain.outbox import service as outbox
from domain.outbox.backoff import RetryPolicy
from domain.outbox.service import Claim
from domain.people.models import MeetingFormat, Person


@dataclass(frozen=True)
class SyncJob:
    meeting_id: int
    sequence: int
    connection: CalendarConnection | None
    desired: DesiredEvent
    known: KnownEvent
    # The provider already shows this very version of the meeting: a duplicated message needs no call.
    up_to_date: bool


def _description(agenda: list[str], typed_link: str) -> str:
    lines = [f"- {text}" for text in agenda]
    if typed_link:
        lines.append(f"Join: {typed_link}")
    lines.append("Booked in Mentorgraph.")
    return "\n".join(lines)


async def prepare(meeting_id: int) -> SyncJob | None:
    meeting = await Meeting.get_or_none(id=meeting_id)
    if meeting is None:
        return None
    organizer = await Person.get(id=meeting.organizer_id)
    invited = (
        await MeetingAttendee.filter(meeting_id=meeting_id)
        .exclude(person_id=organizer.id)
        .values_list("person_id", flat=True)
    )
    emails = tuple(sorted(await Person.filter(id__in=list(invited)).values_list("email", flat=True)))
    agenda = await AgendaItem.filter(meeting_id=meeting_id).order_by("position").values_list("text", flat=True)
    connection = await connections.connection_for(organizer)
    event, _ = await CalendarEvent.get_or_create(meeting_id=meeting_id)
    if connection is not None and event.provider not in (None, connection.provider):
        # Another provider's ids mean nothing here: start afresh in the new calendar.
        event.event_id, event.etag, event.create_sent, event.conference_url = "", "", False, ""
    provider_link = not meeting.conference_url or meeting.conference_url == event.conference_url
    desired = DesiredEvent(
        meeting_uid=meeting.uid,
        title=meeting.title,
        description=_description(agenda, "" if provider_link else meeting.conference_url),
        location=meeting.location,
        start=meeting.starts_at,
        end=meeting.ends_at,
        cancelled=meeting.status is MeetingStatus.CANCELLED,
        cancellation_reason=meeting.cancellation_reason,
        organizer_email=organizer.email,
        attendee_emails=emails,
        wants_conference=meeting.format is MeetingFormat.VIDEO and provider_link,
    )
    personal_account = connection is not None and connection.kind is ConnectionKind.PERSONAL
    known = KnownEvent(
        # A personal connection writes to the connected account's calendar, which is the organizer's own.
        calendar=connection.account_email if personal_account and connection.account_email else organizer.email,
        generation=event.generation,
        event_id=event.event_id,
        etag=event.etag,
        # Written through another connection (a person connecting their own account of the same calendar):
        # the event may already be there, so look before creating.
        create_sent=event.create_sent or (connection is not None and event.connection_id not in (None, connection.id)),
        conference_url=event.conference_url,
    )
    up_to_date = (
        connection is not None
        and event.status is SyncStatus.SYNCED
        and event.connection_id == connection.id
        and event.synced_sequence == meeting.sequence
    )
    return SyncJob(meeting.id, meeting.sequence, connection, desired, known, up_to_date)


async def before_create(job: SyncJob, known: KnownEvent) -> None:
    """Commits the id a create is about to use, before the request leaves."""
    await CalendarEvent.filter(meeting_id=job.meeting_id).update(
        provider=job.connection.provider,
        connection_id=job.connection.id,
        calendar=known.calendar,
        generation=known.generation,
        event_id=known.event_id,
        create_sent=True,
    )


async def record_synced(job: SyncJob, written: WrittenEvent, claim: Claim, *, worker: str, now: datetime) -> None:
    async with in_transaction():
        await CalendarEvent.filter(meeting_id=job.meeting_id).update(
            status=SyncStatus.SYNCED,
            provider=job.connection.provider,
            connection_id=job.connection.id,
            calendar=job.known.calendar,
            generation=written.generation,
            event_id=written.event_id,
            etag=written.etag,
            create_sent=not written.absent,
            conference_url=written.conference_url or job.known.conference_url,
            synced_sequence=job.sequence,
            synced_at=now,
            attempts=0,
            last_error="",
        )
        if written.conference_url and job.desired.wants_conference:
            # The link goes where every reader looks (GraphQL, the ICS feed), unless the organizer typed one.
            linked = await Meeting.filter(
                id=job.meeting_id, sequence=job.sequence, conference_url__in=["", job.known.conference_url]
            ).update(conference_url=written.conference_url, sequence=F("sequence") + 1, updated_at=now)
            if linked:
                # The calendar already shows this link: the version it makes is synced too.
                await CalendarEvent.filter(meeting_id=job.meeting_id).update(synced_sequence=job.sequence + 1)
        await outbox.finish(CALENDAR_TOPIC, claim, worker=worker, now=now)
        if written.conference_pending:
            await meetings_changed([job.meeting_id], now=now)


async def record_not_connected(job: SyncJob, claim: Claim, *, worker: str, now: datetime) -> None:
    async with in_transaction():
        await CalendarEvent.filter(meeting_id=job.meeting_id).update(status=SyncStatus.NOT_CONNECTED)
        await outbox.finish(CALENDAR_TOPIC, claim, worker=worker, now=now)


async def record_failure(
    job: SyncJob, failure: SyncFailed, claim: Claim, *, worker: str, now: datetime, policy: RetryPolicy
) -> bool:
    """Backs off or dead-letters; returns True when the meeting now shows FAILED."""
    async with in_transaction():
        dead = await outbox.fail(
            CALENDAR_TOPIC,
            claim,
            worker=worker,
            now=now,
            error=failure.reason,
            policy=policy,
            retry_after=failure.retry_after,
            permanent=not failure.retryable,
        )
        await CalendarEvent.filter(meeting_id=job.meeting_id).update(
            status=SyncStatus.FAILED if dead else SyncStatus.PENDING,
            attempts=F("attempts") + 1,
            last_error=failure.reason[:2000],
        )
    return dead


async def record_broken(job: SyncJob, failure: SyncFailed, claim: Claim, *, worker: str, now: datetime) -> None:
    """invalid_grant: the connection is BROKEN and the meeting falls back to ICS, in the same transaction."""
    async with in_transaction():
        await connections.mark_broken(job.connection.id, reason=failure.reason, now=now)
        await CalendarEvent.filter(meeting_id=job.meeting_id).update(
            status=SyncStatus.NOT_CONNECTED, last_error=failure.reason[:2000]
        )
        await outbox.finish(CALENDAR_TOPIC, claim, worker=worker, now=now)


async def record_nothing_to_do(claim: Claim, *, worker: str, now: datetime) -> None:
    async with in_transaction():
        await outbox.finish(CALENDAR_TOPIC, claim, worker=worker, now=now)
