"""Writing outbox messages inside the caller's transaction, and the worker's side: claim, finish, fail.

Claiming leases a whole key (its stream), never single messages: one worker at a time handles a key, in
message order. The lease is taken with a conditional UPDATE, so two workers racing for a stream cannot both
win, on PostgreSQL (where candidates are read with FOR UPDATE SKIP LOCKED, so workers do not queue behind
each other) and on SQLite alike. A killed worker's leases simply expire.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.transactions import in_transaction

from domain.outbox.backoff import RetryPolicy
from domain.outbox.models import MessageStatus, OutboxMessage, OutboxStream


async def enqueue(topic: str, keys: Sequence[str], *, now: datetime) -> None:
    """Records that `keys` changed; call it inside the transaction that makes the change."""
    if not keys:
        return
    await OutboxMessage.bulk_create([OutboxMessage(topic=topic, key=key, created_at=now) for key in keys])
    await OutboxStream.bulk_create(
        [OutboxStream(topic=topic, key=key, available_at=now) for key in sorted(set(keys))], ignore_conflicts=True
    )


@dataclass(frozen=True)
class Claim:
    key: str
    # Messages up to this id are covered by the state read after claiming; later ones wait for the next round.
    watermark: int
    attempts: int


def _free(now: datetime) -> Q:
    return Q(lease_until=None) | Q(lease_until__lt=now)


async def claim(topic: str, *, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
    """Leases up to `limit` keys with pending messages that are due, oldest due first."""
    pending = OutboxMessage.filter(topic=topic, status=MessageStatus.PENDING).values("key")
    lease_until = now + lease
    async with in_transaction():
        candidates = (
            await OutboxStream.filter(_free(now), topic=topic, available_at__lte=now, key__in=Subquery(pending))
            .order_by("available_at", "id")
            .limit(limit)
            .select_for_update(skip_locked=True)
        )
        if not candidates:
            return []
        await OutboxStream.filter(_free(now), id__in=[stream.id for stream in candidates]).update(
            lease_until=lease_until, leased_by=worker
        )
        won = await OutboxStream.filter(
            id__in=[stream.id for stream in candidates], leased_by=worker, lease_until=lease_until
        )
    claims = []
    for stream in won:
        ids = await OutboxMessage.filter(topic=topic, key=stream.key, status=MessageStatus.PENDING).values_list(
            "id", flat=True
        )
        if ids:
            claims.append(Claim(key=stream.key, watermark=max(ids), attempts=stream.attempts))
    return claims


async def finish(topic: str, claim: Claim, *, worker: str, now: datetime) -> None:
    """The key's work up to the claim's watermark is done; call it inside the transaction recording the outcome."""
    await OutboxMessage.filter(
        topic=topic, key=claim.key, status=MessageStatus.PENDING, id__lte=claim.watermark
    ).update(status=MessageStatus.DONE, processed_at=now)
    await OutboxStream.filter(topic=topic, key=claim.key).update(
        attempts=0, available_at=now, lease_until=None, leased_by="", last_error=""
    )


async def fail(
    topic: str,
    claim: Claim,
    *,
    worker: str,
    now: datetime,
    error: str,
    policy: RetryPolicy,
    retry_after: float | None = None,
    permanent: bool = False,
) -> bool:
    """Backs the key off after a failed attempt; returns True when its messages were dead-lettered instead.

    Call it inside the transaction recording the outcome.
    """
    attempts = claim.attempts + 1
    if permanent or attempts >= policy.max_attempts:
        await OutboxMessage.filter(
            topic=topic, key=claim.key, status=MessageStatus.PENDING, id__lte=claim.watermark
        ).update(status=MessageStatus.DEAD, processed_at=now)
        await OutboxStream.filter(topic=topic, key=claim.key).update(
            attempts=0, available_at=now, lease_until=None, leased_by="", last_error=error
        )
        return True
    await OutboxStream.filter(topic=topic, key=claim.key).update(
        attempts=attempts,
        available_at=now + policy.delay(attempts, retry_after=retry_after),
        lease_until=None,
        leased_by="",
        last_error=error,
    )
    return False


async def release(topic: str, claim: Claim, *, worker: str, until: datetime) -> None:
    """Gives the key back untouched, due again at `until` (work that must wait, not a failure)."""
    await OutboxStream.filter(topic=topic, key=claim.key, leased_by=worker).update(
        available_at=until, lease_until=None, leased_by=""
    )


async def redeliver(topic: str, keys: Sequence[str], *, now: datetime) -> int:
    """Dead-lettered messages of these keys become pending again, due now; returns how many."""
    revived = await OutboxMessage.filter(topic=topic, key__in=list(keys), status=MessageStatus.DEAD).update(
        status=MessageStatus.PENDING, processed_at=None
    )
    await OutboxStream.filter(topic=topic, key__in=list(keys)).update(attempts=0, available_at=now)
    return revived
