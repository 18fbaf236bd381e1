"""What one round of calendar sync records for a meeting after the provider call (domain/calendar/jobs.py says
what the event should be). The worker (integrations/calendar/worker.py) holds the outbox lease around both.

Every outcome is written in one transaction with the outbox bookkeeping: the event's state, the messages it
covers, and, on invalid_grant, the connection marked BROKEN.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tortoise.expressions import F
from tortoise.transactions import in_transaction

from domain.calendar import connections
from domain.calendar.changes import CALENDAR_TOPIC, meetings_changed
from domain.calendar.jobs import SyncJob
from domain.calendar.models import CalendarEvent, SyncStatus
from domain.calendar.ports import KnownEvent, SyncFailed, WrittenEvent
from domain.meetings.models import Meeting
from domain.outbox import service as outbox
from domain.outbox.backoff import RetryPolicy
from domain.outbox.service import Claim


async def record_moved(job: SyncJob, *, broken_reason: str = "", now: datetime) -> None:
    """The old calendar's event is cancelled (or out of reach: `broken_reason`); the meeting's event now lives
    in the new calendar, yet to be made (or nowhere, with no connection). Committed before the create, so a
    failure after it never cancels twice."""
    connection = job.connection
    async with in_transaction():
        if broken_reason:
            await connections.mark_broken(job.leftover.connection.id, reason=broken_reason, now=now)
        await CalendarEvent.filter(meeting_id=job.meeting_id).update(
            provider=connection.provider if connection else None,
            connection_id=connection.id if connection else None,
            calendar=job.known.calendar if connection else "",
            generation=job.known.generation,
            event_id="",
            etag="",
            create_sent=False,
            conference_url="",
        )


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


async def record_synced_many(outcomes: Sequence[tuple[SyncJob, WrittenEvent, Claim]], *, now: datetime) -> set[Claim]:
    """Records several meetings' synced events in one transaction; returns the claims whose lease another worker
    took meanwhile, for which nothing is recorded."""
    async with in_transaction():
        lost = await outbox.finish_many(CALENDAR_TOPIC, [claim for _, _, claim in outcomes], now=now)
        recorded = [(job, written) for job, written, claim in outcomes if claim not in lost]
        for job, written in recorded:
            await _record_event(job, written, now)
        if pending := [job.meeting_id for job, written in recorded if written.conference_pending]:
            await meetings_changed(pending, now=now)
    return lost


async def _record_event(job: SyncJob, written: WrittenEvent, now: datetime) -> None:
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
        replaceable = ["", job.known.conference_url, job.replaced_link]
        linked = await Meeting.filter(id=job.meeting_id, sequence=job.sequence, conference_url__in=replaceable).update(
            conference_url=written.conference_url, sequence=F("sequence") + 1, updated_at=now
        )
        if linked:
            # The calendar already shows this link: the version it makes is synced too.
            await CalendarEvent.filter(meeting_id=job.meeting_id).update(synced_sequence=job.sequence + 1)


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
