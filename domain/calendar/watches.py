"""Which organizer calendars inbound sync follows, when each is due, and the webhook inbox that makes one due.

Every calendar Mentorgraph has written a meeting to through an active connection is followed: a watch row is
made for it the first time the inbound worker sees it. A watch is due when a notification asked for it or its
backstop time came (notifications get lost; the backstop syncs every calendar anyway, jittered so they spread).
"""

from __future__ import annotations

import hmac
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import F, Q
from tortoise.transactions import in_transaction

from domain.calendar.inbound_models import CalendarNotification, CalendarWatch
from domain.calendar.models import CalendarConnection, CalendarEvent, ConnectionStatus, Provider

# Graph lifecycle events the worker acts on besides syncing.
REAUTHORIZE = "lifecycle:reauthorizationRequired"
REMOVED = "lifecycle:subscriptionRemoved"


@dataclass(frozen=True)
class Backstop:
    period: timedelta
    jitter: float = 0.25  # ± this share of the period, as Google advises for periodic jobs

    def next_after(self, now: datetime, rng: Callable[[], float] = random.random) -> datetime:
        spread = self.period.total_seconds() * self.jitter
        return now + self.period + timedelta(seconds=(rng() * 2 - 1) * spread)


async def follow_new_calendars(*, now: datetime) -> int:
    """Makes a watch for each calendar of an active connection that holds one of our events; returns how many."""
    pairs = set(
        await CalendarEvent.filter(connection__status=ConnectionStatus.ACTIVE)
        .exclude(event_id="")
        .distinct()
        .values_list("connection_id", "provider", "calendar")
    )
    if not pairs:
        return 0
    known = set(await CalendarWatch.all().values_list("connection_id", "calendar"))
    new = [
        CalendarWatch(connection_id=connection_id, provider=provider, calendar=calendar.lower(), backstop_at=now)
        for connection_id, provider, calendar in pairs
        if (connection_id, calendar.lower()) not in known and calendar
    ]
    await CalendarWatch.bulk_create(new, ignore_conflicts=True)
    return len(new)


async def retire_replaced() -> int:
    """Forgets watches whose connection now speaks to another provider (a company connection replaced): their
    channels belong to credentials no longer held, expire by themselves, and their notifications are refused."""
    retired = 0
    for provider in Provider:
        stale = await (
            CalendarWatch.filter(provider=provider).exclude(connection__provider=provider).values_list("id", flat=True)
        )
        if stale:
            retired += await CalendarWatch.filter(id__in=list(stale)).delete()
    return retired


async def take_inbox(*, now: datetime, limit: int = 1000) -> int:
    """Turns unhandled notifications into due watches (and lifecycle work); returns how many were handled.

    Duplicates and replays only make a watch due again, which an incremental sync of no changes answers."""
    async with in_transaction():
        rows = await CalendarNotification.filter(processed_at=None).order_by("id").limit(limit)
        if not rows:
            return 0
        for provider in Provider:
            channels = {row.channel_id for row in rows if row.provider is provider and row.kind != "sync"}
            if channels:
                await CalendarWatch.filter(provider=provider, channel_id__in=list(channels)).update(sync_due_at=now)
            reauthorize = {row.channel_id for row in rows if row.provider is provider and row.kind == REAUTHORIZE}
            if reauthorize:
                # Renewing (a PATCH of the expiry) reauthorizes a Graph subscription: make it due for renewal now.
                await CalendarWatch.filter(provider=provider, channel_id__in=list(reauthorize)).update(
                    channel_expires_at=now
                )
            removed = {row.channel_id for row in rows if row.provider is provider and row.kind == REMOVED}
            if removed:
                await CalendarWatch.filter(provider=provider, channel_id__in=list(removed)).update(
                    channel_id="", channel_resource_id="", channel_expires_at=None
                )
        await CalendarNotification.filter(id__in=[row.id for row in rows]).update(processed_at=now)
    return len(rows)


async def claim_due(*, now: datetime, lease: timedelta, limit: int) -> list[CalendarWatch]:
    """Watches due for a sync whose connection is active, each leased to the caller alone."""
    due = await (
        CalendarWatch.filter(Q(sync_due_at__lte=now) | Q(backstop_at__lte=now))
        .filter(Q(leased_until=None) | Q(leased_until__lt=now))
        .filter(connection__status=ConnectionStatus.ACTIVE)
        .order_by("backstop_at")
        .limit(limit)
    )
    return [watch for watch in due if await take_lease(watch.id, now=now, lease=lease)]


async def take_lease(watch_id: int, *, now: datetime, lease: timedelta) -> bool:
    """A conditional update: of several workers, one takes the watch until `now + lease`."""
    taken = await (
        CalendarWatch.filter(id=watch_id)
        .filter(Q(leased_until=None) | Q(leased_until__lt=now))
        .update(leased_until=now + lease)
    )
    return bool(taken)


async def release(watch_id: int) -> None:
    await CalendarWatch.filter(id=watch_id).update(leased_until=None)


async def record_synced(
    watch: CalendarWatch, *, cursor: str, full: bool, started: datetime, now: datetime, backstop_at: datetime
) -> None:
    """The sync that began at `started` is done: a notification that arrived since keeps the watch due."""
    async with in_transaction():
        fields = dict(cursor=cursor, last_synced_at=now, backstop_at=backstop_at, leased_until=None, last_error="")
        if full:
            fields["full_syncs"] = F("full_syncs") + 1
        await CalendarWatch.filter(id=watch.id).update(**fields)
        await CalendarWatch.filter(id=watch.id, sync_due_at__lte=started).update(sync_due_at=None)


async def record_failed(watch: CalendarWatch, *, error: str, retry_at: datetime) -> None:
    await CalendarWatch.filter(id=watch.id).update(last_error=error[:2000], backstop_at=retry_at, leased_until=None)


async def drop_cursor(watch: CalendarWatch) -> None:
    await CalendarWatch.filter(id=watch.id).update(cursor="")


async def channels_to_open(*, now: datetime, lead: timedelta) -> list[CalendarWatch]:
    """Active watches with no channel, or one expiring within `lead`."""
    return await CalendarWatch.filter(
        Q(channel_id="") | Q(channel_expires_at=None) | Q(channel_expires_at__lte=now + lead),
        connection__status=ConnectionStatus.ACTIVE,
    )


async def record_channel(
    watch_id: int, *, channel_id: str, resource_id: str, secret: str, expires_at: datetime | None
) -> None:
    await CalendarWatch.filter(id=watch_id).update(
        channel_id=channel_id, channel_resource_id=resource_id, channel_secret=secret, channel_expires_at=expires_at
    )


async def connections_of(watches: Sequence[CalendarWatch]) -> dict[int, CalendarConnection]:
    ids = list({watch.connection_id for watch in watches})
    return {connection.id: connection for connection in await CalendarConnection.filter(id__in=ids)}


def _same_secret(secret: str, offered: str) -> bool:
    """Compared in constant time, so a forger learns nothing from how long a refusal took."""
    return bool(secret) and hmac.compare_digest(secret.encode(), offered.encode())


async def authentic_google_channel(channel_id: str, token: str) -> CalendarWatch | None:
    """The Google channel a notification names, when the token it carries is that channel's secret."""
    if not channel_id:
        return None
    watch = await CalendarWatch.filter(provider=Provider.GOOGLE, channel_id=channel_id).first()
    return watch if watch is not None and _same_secret(watch.channel_secret, token) else None


async def authentic_graph_notices(items: Sequence[dict]) -> list[tuple[str, str, str]]:
    """(subscription id, kind, event id) for each of Graph's notification items whose clientState is its
    subscription's secret; items for subscriptions that are not ours, or forged, are dropped without a trace."""
    ids = {str(item.get("subscriptionId", "")) for item in items} - {""}
    known = {w.channel_id: w for w in await CalendarWatch.filter(provider=Provider.MICROSOFT, channel_id__in=list(ids))}
    notices = []
    for item in items:
        watch = known.get(str(item.get("subscriptionId", "")))
        if watch is None or not _same_secret(watch.channel_secret, str(item.get("clientState", ""))):
            continue
        if "lifecycleEvent" in item:
            kind = f"lifecycle:{item['lifecycleEvent']}"
        else:
            kind = str(item.get("changeType", "updated"))
        notices.append((watch.channel_id, kind, str((item.get("resourceData") or {}).get("id", ""))))
    return notices


async def receive(provider: Provider, notices: Sequence[tuple[str, str, str]], *, now: datetime) -> None:
    """Persists (channel id, kind, detail) notices in one statement; the webhook answers only after it."""
    await CalendarNotification.bulk_create(
        [
            CalendarNotification(
                provider=provider, channel_id=channel, kind=kind[:64], detail=detail[:512], received_at=now
            )
            for channel, kind, detail in notices
        ]
    )
