"""Writing outbox messages inside the caller's transaction, and the worker's side: claim, renew, finish, fail.

Claiming leases a whole key (its stream), never single messages: one worker at a time handles a key, in
message order. The lease is taken with a conditional UPDATE, so two workers racing for a stream cannot both
win, on PostgreSQL (where candidates are read with FOR UPDATE SKIP LOCKED, so workers do not queue behind
each other) and on SQLite alike. A killed worker's leases simply expire.

A lease can also expire under a worker that is alive but slow (a loaded machine, a long wait for a provider).
Each claim therefore carries a token, and everything a worker writes afterwards (the outcome, a renewal,
giving the key back) is fenced on it: once another worker has claimed the key, the slow one's writes match
nothing and raise `LeaseLost`, which rolls back the transaction recording its outcome.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from tortoise.expressions import Q, Subquery
from tortoise.functions import Max
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
    # The lease this claim holds; see the module's docstring.
    token: str = ""


class LeaseLost(Exception):
    """Another worker has claimed the key since: this claim's work must not be recorded."""


def _free(now: datetime) -> Q:
    return Q(lease_until=None) | Q(lease_until__lt=now)


def _held(topic: str, claim: Claim):
    return OutboxStream.filter(topic=topic, key=claim.key, lease_token=claim.token)


async def claim(topic: str, *, worker: str, now: datetime, lease: timedelta, limit: int) -> list[Claim]:
    """Leases up to `limit` keys with pending messages that are due, oldest due first."""
    pending = OutboxMessage.filter(topic=topic, status=MessageStatus.PENDING).values("key")
    token = uuid.uuid4().hex
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
            lease_until=now + lease, leased_by=worker, lease_token=token
        )
        won = await OutboxStream.filter(id__in=[stream.id for stream in candidates], lease_token=token).values_list(
            "key", "attempts"
        )
    if not won:
        return []
    attempts = dict(won)
    # One query for every won key's watermark, read after the lease is committed.
    latest = (
        await OutboxMessage.filter(topic=topic, key__in=list(attempts), status=MessageStatus.PENDING)
        .annotate(watermark=Max("id"))
        .group_by("key")
        .values_list("key", "watermark")
    )
    return [Claim(key=key, watermark=watermark, attempts=attempts[key], token=token) for key, watermark in latest]


async def renew(topic: str, claims: Sequence[Claim], *, now: datetime, lease: timedelta) -> list[Claim]:
    """Extends the leases of these claims to `now + lease`; returns the claims whose lease another one holds."""
    wanted = {(claim.key, claim.token) for claim in claims}
    if not wanted:
        return []
    held = OutboxStream.filter(
        topic=topic, key__in=[key for key, _ in wanted], lease_token__in=list({token for _, token in wanted})
    )
    if await held.update(lease_until=now + lease) == len(wanted):
        return []
    still = set(await held.values_list("key", "lease_token"))
    return [claim for claim in claims if (claim.key, claim.token) not in still]


async def _settle_stream(topic: str, claim: Claim, **values) -> None:
    """Frees the key with these values, or raises LeaseLost when another claim holds it now."""
    if not await _held(topic, claim).update(lease_until=None, leased_by="", lease_token=None, **values):
        raise LeaseLost(f"{topic} {claim.key}: claimed by another worker since")


async def finish(topic: str, claim: Claim, *, worker: str, now: datetime) -> None:
    """The key's work up to the claim's watermark is done; call it inside the transaction recording the outcome.

    Raises LeaseLost (rolling that transaction back) when another worker has claimed the key since."""
    await _settle_stream(topic, claim, attempts=0, available_at=now, last_error="")
    await OutboxMessage.filter(
        topic=topic, key=claim.key, status=MessageStatus.PENDING, id__lte=claim.watermark
    ).update(status=MessageStatus.DONE, processed_at=now)


async def finish_many(topic: str, claims: Sequence[Claim], *, now: datetime) -> set[Claim]:
    """`finish` for a batch of claims in four statements whatever its size; returns the claims whose key another
    worker holds now, left untouched (record nothing for them). Call it inside the transaction recording the
    outcomes: the streams stay locked by it until that transaction ends."""
    if not claims:
        return set()
    batch = uuid.uuid4().hex
    # Retagging each stream still under its claim's token tells, in one statement, which are still ours.
    await OutboxStream.filter(_any(Q(key=c.key, lease_token=c.token) for c in claims), topic=topic).update(
        lease_token=batch
    )
    held = set(await OutboxStream.filter(topic=topic, lease_token=batch).values_list("key", flat=True))
    ours = [claim for claim in claims if claim.key in held]
    if ours:
        await OutboxMessage.filter(
            _any(Q(key=c.key, id__lte=c.watermark) for c in ours), topic=topic, status=MessageStatus.PENDING
        ).update(status=MessageStatus.DONE, processed_at=now)
        await OutboxStream.filter(topic=topic, lease_token=batch).update(
            lease_until=None, leased_by="", lease_token=None, attempts=0, available_at=now, last_error=""
        )
    return {claim for claim in claims if claim.key not in held}


def _any(conditions) -> Q:
    return Q(*conditions, join_type=Q.OR)


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

    Call it inside the transaction recording the outcome; raises LeaseLost as `finish` does.
    """
    attempts = claim.attempts + 1
    if permanent or attempts >= policy.max_attempts:
        await _settle_stream(topic, claim, attempts=0, available_at=now, last_error=error)
        await OutboxMessage.filter(
            topic=topic, key=claim.key, status=MessageStatus.PENDING, id__lte=claim.watermark
        ).update(status=MessageStatus.DEAD, processed_at=now)
        return True
    await _settle_stream(
        topic,
        claim,
        attempts=attempts,
        available_at=now + policy.delay(attempts, retry_after=retry_after),
        last_error=error,
    )
    return False


async def release(topic: str, claim: Claim, *, worker: str, until: datetime) -> None:
    """Gives the key back untouched, due again at `until` (work that must wait, not a failure)."""
    await _held(topic, claim).update(available_at=until, lease_until=None, leased_by="", lease_token=None)


async def redeliver(topic: str, keys: Sequence[str], *, now: datetime) -> int:
    """Dead-lettered messages of these keys become pending again, due now; returns how many."""
    revived = await OutboxMessage.filter(topic=topic, key__in=list(keys), status=MessageStatus.DEAD).update(
        status=MessageStatus.PENDING, processed_at=None
    )
    await OutboxStream.filter(topic=topic, key__in=list(keys)).update(attempts=0, available_at=now)
    return revived


async def purge(*, processed_before: datetime, batch: int = 5000) -> int:
    """Deletes DONE messages processed before this instant, every topic, `batch` rows per statement so no
    transaction grows with the backlog; returns how many. DEAD ones stay for an admin to send again, and
    streams stay: a stream row is what a concurrent enqueue relies on."""
    purged = 0
    while True:
        # created_at <= processed_at always: the condition on it lets the (status, created_at) index find them.
        ids = (
            await OutboxMessage.filter(
                status=MessageStatus.DONE, created_at__lt=processed_before, processed_at__lt=processed_before
            )
            .order_by("id")
            .limit(batch)
            .values_list("id", flat=True)
        )
        if not ids:
            return purged
        purged += await OutboxMessage.filter(id__in=list(ids)).delete()
