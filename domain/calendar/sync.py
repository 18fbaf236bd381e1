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

from domain.batch import update_each
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
            ical_uid="",
        )


async def record_create_ids(creates: Sequence[tuple[SyncJob, KnownEvent]]) -> set:
    """Commits the ids these creates are about to use, before their requests leave, in one statement."""
    rows = [
        (
            job.connection.provider,
            job.connection.id,
            known.calendar,
            known.generation,
            known.event_id,
            True,
            job.event_row,
        )
        for job, known in creates
    ]
    await update_each(CalendarEvent, CREATE_FIELDS, rows)
    return set()


CREATE_FIELDS = ("provider", "connection_id", "calendar", "generation", "event_id", "create_sent")


async def record_synced_many(outcomes: Sequence[tuple[SyncJob, WrittenEvent, Claim]], *, now: datetime) -> set[Claim]:
    """Records several meetings' synced events in one transaction; returns the claims whose lease another worker
    took meanwhile, for which nothing is recorded."""
    async with in_transaction():
        lost = await outbox.finish_many(CALENDAR_TOPIC, [claim for _, _, claim in outcomes], now=now)
        recorded = [(job, written) for job, written, claim in outcomes if claim not in lost]
        if recorded:
            # One statement for the batch: per-row UPDATEs were most of the worker's database time.
            rows = [_synced_row(job, written, now) for job, written in recorded]
            await update_each(CalendarEvent, SYNCED_FIELDS, rows)
        for job, written in recorded:
            if written.conference_url and job.desired.wants_conference:
                await _show_link(job, written, now)
        if pending := [job.meeting_id for job, written in recorded if written.conference_pending]:
            await meetings_changed(pending, now=now)
    return lost


SYNCED_FIELDS = (
    "status",
    "provider",
    "connection_id",
    "calendar",
    "generation",
    "event_id",
    "etag",
    "create_sent",
    "conference_url",
    "synced_sequence",
    "synced_at",
    "attempts",
    "last_error",
    "ical_uid",
)


def _synced_row(job: SyncJob, written: WrittenEvent, now: datetime) -> tuple:
    """SYNCED_FIELDS' values for the meeting's event row, then the row's id."""
    return (
        SyncStatus.SYNCED,
        job.connection.provider,
        job.connection.id,
        job.known.calendar,
        written.generation,
        written.event_id,
        written.etag,
        not written.absent,
        written.conference_url or job.known.conference_url,
        job.sequence,
        now,
        0,
        "",
        written.ical_uid or job.known_ical_uid,
        job.event_row,
    )


async def _show_link(job: SyncJob, written: WrittenEvent, now: datetime) -> None:
    """The link goes where every reader looks (GraphQL, the ICS feed), unless the organizer typed one."""
    replaceable = ["", job.known.conference_url, job.replaced_link]
    linked = await Meeting.filter(id=job.meeting_id, sequence=job.sequence, conference_url__in=replaceable).update(
        conference_url=written.conference_url, sequence=F("sequence") + 1, updated_at=now
    )
    if linked:
        # The calendar already shows this link: the version it makes is synced too.
        await CalendarEvent.filter(id=job.event_row).update(synced_sequence=job.sequence + 1)


async def record_not_connected(job: SyncJob, claim: Claim, *, worker: str, now: datetime) -> None:
    async with in_transaction():
        await CalendarEvent.filter(meeting_id=job.meeting_id).update(status=SyncStatus.NOT_CONNECTED)
        await outbox.finish(CALENDAR_TOPIC, claim, worker=worker, now=now)


async def back_off(claim: Claim, failure: SyncFailed, *, worker: str, now: datetime, policy: RetryPolicy) -> bool:
    """The calendar message tried again later (honouring the provider's Retry-After), or dead-lettered when the
    failure is permanent or its attempts are spent; True when dead-lettered. Runs in the caller's transaction."""
    return await outbox.fail(
        CALENDAR_TOPIC,
        claim,
        worker=worker,
        now=now,
        error=failure.reason,
        policy=policy,
        retry_after=failure.retry_after,
        permanent=not failure.retryable,
    )


async def record_failure(
    job: SyncJob, failure: SyncFailed, claim: Claim, *, worker: str, now: datetime, policy: RetryPolicy
) -> bool:
    """Backs off or dead-letters; returns True when the meeting now shows FAILED."""
    async with in_transaction():
        dead = await back_off(claim, failure, worker=worker, now=now, policy=policy)
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
