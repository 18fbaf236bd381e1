"""The calendar outbox worker: claims meetings with pending messages, makes each organizer's event match the
meeting as it is now, and records the outcome with the outbox bookkeeping in one transaction.

Up to `worker_concurrency` meetings are in flight at once; a meeting is only ever in one worker's hands (its
outbox stream is leased), so its changes reach the provider one at a time, in order. Any number of workers
may run against PostgreSQL; a killed one's meetings are taken over when its leases expire.

A live worker renews its leases while it works (every quarter lease), and sends a request for a meeting only
while its lease will outlast the request (the provider timeout): a worker that fell behind (a starved event
loop, a database that would not answer) stops before its successor starts, instead of writing an old version
of the meeting over the successor's, e.g. re-creating an event the successor has just cancelled.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import replace
from datetime import datetime, timedelta

from domain.calendar import jobs, rsvps, sync
from domain.calendar.changes import CALENDAR_TOPIC, rsvp_of
from domain.calendar.jobs import SyncJob
from domain.calendar.ports import GrantRevoked, SyncFailed
from domain.calendar.rsvps import RsvpJob
from domain.clock import utc_now
from domain.outbox import service as outbox
from domain.outbox.service import Claim, LeaseLost
from integrations.calendar.config import SyncConfig
from integrations.calendar.group_commit import GroupCommit
from integrations.calendar.providers import Writers

log = logging.getLogger("mentorgraph.calendar.worker")


async def _never_create(known) -> None:
    raise AssertionError("cancelling an event never creates one")


class CalendarWorker:
    def __init__(
        self,
        settings: SyncConfig,
        *,
        name: str | None = None,
        writers: Writers | None = None,
        clock: Callable[[], datetime] = utc_now,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.name = name or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.writers = writers or Writers(settings)
        self.clock = clock
        # The heartbeat waits on the same time as the clock, so a test moving the clock moves the heartbeat.
        self.sleep = sleep
        self.lease = timedelta(seconds=settings.worker_lease_seconds)
        # A request may take this long; it is sent only while the lease outlasts it.
        self.request_time = timedelta(seconds=settings.provider_timeout_seconds)
        if self.lease < 2 * self.request_time:
            raise ValueError(
                "MENTORGRAPH_WORKER_LEASE_SECONDS must be at least twice MENTORGRAPH_PROVIDER_TIMEOUT_SECONDS: "
                "a request is sent only while the lease outlasts it"
            )
        # The claims in hand and until when each lease is known to hold.
        self._held: dict[Claim, datetime] = {}
        # Outcomes are refused when their claim's lease was lost.
        self._synced = GroupCommit(
            lambda outcomes, now: sync.record_synced_many(outcomes, now=now), self.clock, key=lambda done: done[2]
        )
        self._create_ids = GroupCommit(lambda creates, now: sync.record_create_ids(creates), self.clock)

    def holding(self) -> list[str]:
        """The keys of the meetings in this worker's hands right now."""
        return [claim.key for claim in self._held]

    async def run_once(self) -> int:
        """Claims what is due and syncs it; returns how many meetings it handled (for tests and scripts)."""
        work = await self._take(self.settings.worker_concurrency)
        await asyncio.gather(*work)
        return len(work)

    async def drain(self) -> None:
        """Runs until nothing is due (backoffs still waiting are not due)."""
        while await self.run_once():
            pass

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        stop = stop or asyncio.Event()
        active: set[asyncio.Task] = set()
        heartbeat = asyncio.create_task(self._renew_forever(), name="calendar-lease-heartbeat")
        # Claim in batches of at least a quarter of the slots: reading a claimed batch costs the same handful of
        # queries for one meeting as for thirty, so topping up one free slot at a time multiplies them.
        refill = max(1, self.settings.worker_concurrency // 4)
        try:
            while not stop.is_set():
                free = self.settings.worker_concurrency - len(active)
                work = await self._take(free) if free >= refill or (free and not active) else []
                active.update(asyncio.create_task(one) for one in work)
                # A full batch means more may be due: claim again at once. Otherwise wait for a slot or the poll.
                if not work or len(work) < free:
                    waiting = asyncio.create_task(stop.wait())
                    await asyncio.wait(
                        [*active, waiting],
                        timeout=self.settings.worker_poll_seconds,
                        return_when=asyncio.FIRST_COMPLETED,
                    )
                    waiting.cancel()
                active = {task for task in active if not task.done()}
        finally:
            heartbeat.cancel()
            for task in active:
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*active, return_exceptions=True)
            await self.writers.close()

    async def _claim(self, limit: int) -> list[Claim]:
        now = self.clock()
        claims = await outbox.claim(CALENDAR_TOPIC, worker=self.name, now=now, lease=self.lease, limit=limit)
        for claim in claims:
            self._held[claim] = now + self.lease
        return claims

    async def renew(self) -> None:
        """Extends every lease in hand; a claim whose lease another worker took is dropped from sending."""
        claims = list(self._held)
        now = self.clock()
        lost = await outbox.renew(CALENDAR_TOPIC, claims, now=now, lease=self.lease)
        for claim in claims:
            if claim in self._held:
                self._held[claim] = now - self.lease if claim in lost else now + self.lease

    async def _renew_forever(self) -> None:
        while True:
            await self.sleep(self.lease.total_seconds() / 4)
            try:
                await self.renew()
            except Exception:
                # The leases keep their last known end: requests stop before it, and the next beat tries again.
                log.exception("renewing calendar leases failed")

    async def _take(self, limit: int) -> list[Coroutine]:
        """Claims up to `limit` meetings and reads them all at once; returns the work, one coroutine each."""
        try:
            claims = await self._claim(limit)
        except Exception:
            log.exception("claiming calendar work failed; trying again")
            return []
        if not claims:
            return []
        meetings = [claim for claim in claims if rsvp_of(claim.key) is None]
        answers = [claim for claim in claims if rsvp_of(claim.key) is not None]
        try:
            prepared = await jobs.prepare_many([int(claim.key) for claim in meetings]) if meetings else {}
            to_answer = await rsvps.prepare_many([rsvp_of(claim.key) for claim in answers]) if answers else {}
        except Exception:
            log.exception("reading claimed meetings failed; they are tried again when their leases run out")
            for claim in claims:
                self._held.pop(claim, None)  # no longer renewed
            return []
        return [self.process(claim, prepared[int(claim.key)]) for claim in meetings] + [
            self._handled(claim, self._answer(claim, to_answer[rsvp_of(claim.key)])) for claim in answers
        ]

    def _guard(self, claim: Claim) -> Callable[[], None]:
        def before_send() -> None:
            if self.clock() + self.request_time >= self._held.get(claim, self.clock()):
                raise LeaseLost(f"meeting {claim.key}: the lease could run out before the provider answers")

        return before_send

    async def process(self, claim: Claim, job: SyncJob | None) -> None:
        await self._handled(claim, self._process(claim, job))

    async def _handled(self, claim: Claim, work: Coroutine) -> None:
        try:
            await work
        except LeaseLost as lost:
            # Another worker has the meeting (or soon may): it converges the event; nothing is recorded here.
            log.warning("calendar sync of meeting %s given up: %s", claim.key, lost)
        except Exception:
            # The lease runs out and the meeting is tried again; nothing is marked done that was not.
            log.exception("calendar sync of meeting %s failed unexpectedly", claim.key)
        finally:
            self._held.pop(claim, None)

    async def _answer(self, claim: Claim, job: RsvpJob | str) -> None:
        """An attendee's answer to their own copy of the event (domain/calendar/rsvps.py says when)."""
        if job == rsvps.LATER:
            await rsvps.record_later(claim, worker=self.name, until=self.clock() + self.settings.retry_policy.base)
            return
        if job != rsvps.NOTHING:
            try:
                writer = self.writers.for_connection(job.connection)
                await writer.respond_as_attendee(
                    attendee=job.attendee_email,
                    ical_uid=job.ical_uid,
                    response=job.response.value,
                    before_send=self._guard(claim),
                )
            except SyncFailed as failure:
                if await rsvps.record_failure(
                    claim, failure, worker=self.name, now=self.clock(), policy=self.settings.retry_policy
                ):
                    log.error("answer %s dead-lettered: %s", claim.key, failure.reason)
                return
        await sync.record_nothing_to_do(claim, worker=self.name, now=self.clock())

    async def _cancel_leftover(self, job: SyncJob, claim: Claim) -> None:
        """The organizer's calendar moved: the event in the old one is cancelled (its attendees told) first."""
        leftover = job.leftover
        old_writer = self.writers.for_connection(leftover.connection)
        broken = ""
        try:
            await old_writer.converge(
                replace(job.desired, cancelled=True),
                leftover.known,
                before_create=_never_create,
                before_send=self._guard(claim),
            )
        except GrantRevoked as failure:
            # The old calendar is out of reach for good: its connection is broken; the new calendar goes ahead.
            broken = failure.reason
        await sync.record_moved(job, broken_reason=broken, now=self.clock())

    async def _process(self, claim: Claim, job: SyncJob | None) -> None:
        now = self.clock()
        if job is None or job.up_to_date:
            await sync.record_nothing_to_do(claim, worker=self.name, now=now)
            return
        if job.connection is None and job.leftover is None:
            await sync.record_not_connected(job, claim, worker=self.name, now=now)
            return
        try:
            if job.leftover is not None:
                await self._cancel_leftover(job, claim)
            if job.connection is None:
                await sync.record_not_connected(job, claim, worker=self.name, now=self.clock())
                return
            writer = self.writers.for_connection(job.connection)
            written = await writer.converge(
                job.desired,
                job.known,
                before_create=lambda known: self._create_ids.record((job, known)),
                before_send=self._guard(claim),
            )
        except GrantRevoked as failure:
            log.warning("connection %s is broken: %s", job.connection.id, failure.reason)
            await sync.record_broken(job, failure, claim, worker=self.name, now=self.clock())
        except SyncFailed as failure:
            dead = await sync.record_failure(
                job, failure, claim, worker=self.name, now=self.clock(), policy=self.settings.retry_policy
            )
            if dead:
                log.error("meeting %s dead-lettered: %s", job.meeting_id, failure.reason)
        else:
            if not await self._synced.record((job, written, claim)):
                raise LeaseLost(f"meeting {claim.key}: claimed by another worker since")
