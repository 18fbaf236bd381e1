"""The inbound calendar worker: what organizers and attendees changed in their calendars flows back.

One round: follow calendars newly written to, turn webhook notifications from the inbox into due calendars,
sync each due calendar incrementally from its cursor (a lost cursor: a bounded full sync of the window), apply
our events to their meetings (domain/calendar/inbound.py), then open or renew the channels that will announce
the next changes. A calendar is synced by one worker at a time (a lease on its watch row); a failure is retried
at the next backstop and never stops the other calendars.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from domain.calendar import watches
from domain.calendar.inbound import Applied, apply_seen
from domain.calendar.inbound_models import CalendarWatch
from domain.calendar.inbound_ports import CalendarReader, Channel, CursorExpired, Window
from domain.calendar.models import CalendarConnection, Provider
from domain.calendar.ports import SyncFailed
from domain.calendar.secrets import TokenCipher
from domain.clock import utc_now
from integrations.calendar.config import OAuthSettings, SyncConfig
from integrations.calendar.providers import Writers
from integrations.google.watch import GoogleCalendarReader
from integrations.microsoft.subscriptions import GraphCalendarReader

log = logging.getLogger("mentorgraph.calendar.inbound")

WEBHOOK_PATHS = {Provider.GOOGLE: "/webhooks/google", Provider.MICROSOFT: "/webhooks/microsoft"}


@dataclass
class InboundRound:
    notifications: int = 0
    synced: int = 0
    full_syncs: int = 0
    failed: int = 0
    channels: int = 0
    applied: Applied | None = None


class InboundWorker:
    def __init__(
        self,
        settings: SyncConfig,
        *,
        writers: Writers | None = None,
        clock: Callable[[], datetime] = utc_now,
        concurrency: int = 8,
    ) -> None:
        self.settings = settings
        self.writers = writers or Writers(settings)
        self.clock = clock
        self.concurrency = concurrency
        self.lease = timedelta(seconds=max(settings.worker_lease_seconds, 4 * settings.provider_timeout_seconds))
        self.backstop = watches.Backstop(
            timedelta(seconds=settings.inbound_backstop_seconds), settings.inbound_backstop_jitter
        )
        self._readers: dict[tuple, CalendarReader] = {}
        # A channel that could not be opened or renewed is tried again after this (per watch, in this process).
        self._channel_retry: dict[int, datetime] = {}
        # Set by run_forever's stop: channels are opened one by one, and a stopping worker opens no more.
        self._stopping: asyncio.Event | None = None

    def reader(self, connection: CalendarConnection) -> CalendarReader:
        writer = self.writers.for_connection(connection)
        key = (id(writer),)
        if key not in self._readers:
            if connection.provider is Provider.GOOGLE:
                self._readers[key] = GoogleCalendarReader(writer)
            else:
                self._readers[key] = GraphCalendarReader(writer)
        return self._readers[key]

    async def run_once(self) -> InboundRound:
        """One round (see the module docstring); returns what it did, for tests, benchmarks and the log."""
        result = InboundRound(applied=Applied())
        now = self.clock()
        await watches.retire_replaced()
        await watches.follow_new_calendars(now=now)
        result.notifications = await watches.take_inbox(now=now)
        due = await watches.claim_due(now=now, lease=self.lease, limit=self.concurrency * 4)
        if due:
            connections = await watches.connections_of(due)
            gate = asyncio.Semaphore(self.concurrency)

            async def one(watch: CalendarWatch) -> None:
                async with gate:
                    await self._sync(watch, connections[watch.connection_id], result)

            await asyncio.gather(*(one(watch) for watch in due))
        result.channels = await self._keep_channels()
        return result

    async def drain(self) -> InboundRound:
        """Rounds until nothing is due and the inbox is empty (for tests and scripts)."""
        total = InboundRound(applied=Applied())
        while True:
            result = await self.run_once()
            total.applied.add(result.applied)
            for name in ("notifications", "synced", "full_syncs", "failed", "channels"):
                setattr(total, name, getattr(total, name) + getattr(result, name))
            if not (result.notifications or result.synced or result.failed):
                return total

    async def run_forever(self, stop: asyncio.Event | None = None) -> None:
        stop = self._stopping = stop or asyncio.Event()
        try:
            while not stop.is_set():
                try:
                    result = await self.run_once()
                except Exception:
                    log.exception("inbound calendar round failed; trying again")
                    result = InboundRound()
                if not (result.notifications or result.synced):
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), timeout=self.settings.worker_poll_seconds)
        finally:
            await self.writers.close()

    def window(self, now: datetime) -> Window:
        return Window(
            now - timedelta(days=self.settings.inbound_days_back),
            now + timedelta(days=self.settings.inbound_days_ahead),
        )

    async def _sync(self, watch: CalendarWatch, connection: CalendarConnection, result: InboundRound) -> None:
        started = self.clock()
        try:
            reader = self.reader(connection)
            try:
                changes = await reader.changes(watch.calendar, watch.cursor, self.window(started))
            except CursorExpired:
                # The provider forgot the cursor: start again from the whole window, which converges.
                log.info("calendar %s: sync cursor expired; full resync", watch.calendar)
                await watches.drop_cursor(watch)
                changes = await reader.changes(watch.calendar, "", self.window(started))
            applied = await apply_seen(
                watch.provider, watch.calendar, changes.events, read_at=started, now=self.clock()
            )
        except (SyncFailed, CursorExpired) as failure:
            result.failed += 1
            log.warning("inbound sync of %s failed: %s", watch.calendar, failure)
            await watches.record_failed(watch, error=str(failure), retry_at=self.backstop.next_after(self.clock()))
            return
        except Exception as failure:
            result.failed += 1
            log.exception("inbound sync of %s failed unexpectedly", watch.calendar)
            await watches.record_failed(watch, error=repr(failure), retry_at=self.backstop.next_after(self.clock()))
            return
        now = self.clock()
        await watches.record_synced(
            watch,
            cursor=changes.cursor,
            full=changes.full,
            started=started,
            now=now,
            backstop_at=self.backstop.next_after(now),
        )
        result.synced += 1
        result.full_syncs += int(changes.full)
        result.applied.add(applied)

    async def _keep_channels(self) -> int:
        """Opens a channel where none is, renews those expiring within the lead time; returns how many changed."""
        now = self.clock()
        lead = timedelta(seconds=self.settings.inbound_channel_renew_lead_seconds)
        changed = 0
        stale = await watches.channels_to_open(now=now, lead=lead)
        if not stale:
            return 0
        connections = await watches.connections_of(stale)
        for watch in stale:
            if self._stopping is not None and self._stopping.is_set():
                break  # the rest wait for the next worker (each takes a provider round trip or several)
            if self._channel_retry.get(watch.id, now) > now:
                continue
            if not await watches.take_lease(watch.id, now=now, lease=self.lease):
                continue  # another worker is at it
            try:
                await self._keep_channel(watch, connections[watch.connection_id], now)
                changed += 1
                self._channel_retry.pop(watch.id, None)
            except Exception as failure:  # noqa: BLE001 - one calendar's channel never stops the others
                # The backstop keeps the calendar synced meanwhile; the channel is tried again after a while.
                log.warning("channel for %s not opened or renewed: %s", watch.calendar, failure)
                self._channel_retry[watch.id] = self.backstop.next_after(now)
            finally:
                await watches.release(watch.id)
        return changed

    def _lifetime(self, provider: Provider) -> timedelta:
        if provider is Provider.GOOGLE:
            return timedelta(seconds=self.settings.google_channel_lifetime_seconds)
        # A minute under the maximum, so clocks a little apart never make the request exceed it.
        return timedelta(minutes=self.settings.graph_subscription_max_minutes) - timedelta(minutes=1)

    async def _keep_channel(self, watch: CalendarWatch, connection: CalendarConnection, now: datetime) -> None:
        reader = self.reader(connection)
        expires_at = now + self._lifetime(watch.provider)
        current = (
            Channel(watch.channel_id, watch.channel_resource_id, watch.channel_expires_at or now)
            if watch.channel_id
            else None
        )
        if current is not None:
            renewed = await reader.renew_channel(watch.calendar, current, expires_at=expires_at)
            if renewed is not None:
                await watches.record_channel(
                    watch.id,
                    channel_id=renewed.channel_id,
                    resource_id=renewed.resource_id,
                    secret=watch.channel_secret,
                    expires_at=renewed.expires_at,
                )
                return
        secret = secrets.token_urlsafe(32)
        channel = await reader.open_channel(
            watch.calendar,
            address=self.settings.webhook_base_url.rstrip("/") + WEBHOOK_PATHS[watch.provider],
            channel_id=f"mg-{watch.id}-{secrets.token_hex(8)}",
            secret=secret,
            expires_at=expires_at,
        )
        await watches.record_channel(
            watch.id,
            channel_id=channel.channel_id,
            resource_id=channel.resource_id,
            secret=secret,
            expires_at=channel.expires_at,
        )
        if current is not None:
            # The new channel is live: the old one is stopped (until now both delivered, harmlessly).
            with contextlib.suppress(SyncFailed):
                await reader.close_channel(watch.calendar, current)
        # Changes made before the channel existed are caught by a sync right after it.
        await CalendarWatch.filter(id=watch.id).update(sync_due_at=now)

    async def close_channels_of(self, connection: CalendarConnection) -> int:
        """Stops every channel of a connection about to be disconnected (its grant still works); returns how many."""
        closed = 0
        for watch in await CalendarWatch.filter(connection_id=connection.id).exclude(channel_id=""):
            channel = Channel(watch.channel_id, watch.channel_resource_id, watch.channel_expires_at or self.clock())
            await self.reader(connection).close_channel(watch.calendar, channel)
            await watches.record_channel(watch.id, channel_id="", resource_id="", secret="", expires_at=None)
            closed += 1
        return closed


async def close_channels_with(settings: OAuthSettings, cipher: TokenCipher, connection: CalendarConnection) -> int:
    """Stops a personal connection's channels with the OAuth client's settings (the disconnect path has no worker
    settings); a failure is logged, not raised: the channel then expires by itself and its notifications are
    refused once the watch is gone with the connection."""
    config = SyncConfig(
        token_cipher=lambda: cipher,
        provider_ca_file=settings.ca_file,
        google_client_id=settings.google_client_id,
        google_client_secret=settings.google_client_secret,
        google_token_url=settings.google_token_url,
        google_calendar_url=settings.google_calendar_url,
        microsoft_client_id=settings.microsoft_client_id,
        microsoft_client_secret=settings.microsoft_client_secret,
        microsoft_authority_url=settings.microsoft_authority_url,
        microsoft_graph_url=settings.microsoft_graph_url,
    )
    worker = InboundWorker(config)
    try:
        return await worker.close_channels_of(connection)
    except Exception as failure:  # noqa: BLE001 - disconnecting goes ahead whatever the provider says
        log.warning("channels of connection %s not stopped: %s", connection.id, failure)
        return 0
    finally:
        await worker.writers.close()
