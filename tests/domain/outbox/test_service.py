"""Claiming leases a whole key, one worker at a time; finishing, failing and dead-lettering as a worker sees them."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime, timedelta

import pytest
from tortoise.transactions import in_transaction

from domain.outbox import service
from domain.outbox.backoff import RetryPolicy
from domain.outbox.models import MessageStatus, OutboxMessage, OutboxStream

TOPIC = "test.topic"
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
LEASE = timedelta(seconds=30)


async def enqueue(*keys: str, now: datetime = NOW) -> None:
    async with in_transaction():
        await service.enqueue(TOPIC, list(keys), now=now)


async def claim(worker: str = "w1", now: datetime = NOW, limit: int = 10) -> list[service.Claim]:
    return await service.claim(TOPIC, worker=worker, now=now, lease=LEASE, limit=limit)


async def test_a_key_with_several_messages_is_claimed_once_with_its_latest_message_as_watermark(db):
    await enqueue("a", "b")
    await enqueue("a")
    claims = sorted(await claim(), key=lambda c: c.key)
    assert [c.key for c in claims] == ["a", "b"]
    assert claims[0].watermark == max(await OutboxMessage.filter(key="a").values_list("id", flat=True))
    # Leased: nobody else gets them until the lease expires.
    assert await claim("w2") == []
    assert {c.key for c in await claim("w2", now=NOW + LEASE + timedelta(seconds=1))} == {"a", "b"}


async def test_finishing_marks_messages_up_to_the_watermark_and_a_later_one_stays_pending(db):
    await enqueue("a")
    [taken] = await claim()
    await enqueue("a")  # written while the worker was busy
    await service.finish(TOPIC, taken, worker="w1", now=NOW)
    statuses = await OutboxMessage.filter(key="a").order_by("id").values_list("status", flat=True)
    assert statuses == [MessageStatus.DONE, MessageStatus.PENDING]
    [again] = await claim()
    assert again.watermark > taken.watermark


async def test_a_failure_backs_off_and_the_last_allowed_attempt_dead_letters(db):
    policy = RetryPolicy(max_attempts=2, base=timedelta(seconds=10), cap=timedelta(seconds=10))
    await enqueue("a")
    [first] = await claim()
    assert await service.fail(TOPIC, first, worker="w1", now=NOW, error="503", policy=policy, retry_after=5) is False
    stream = await OutboxStream.get(key="a")
    assert stream.attempts == 1 and NOW + timedelta(seconds=5) <= stream.available_at <= NOW + timedelta(seconds=10)
    assert await claim(now=NOW + timedelta(seconds=1)) == []
    [second] = await claim(now=NOW + timedelta(seconds=11))
    assert await service.fail(TOPIC, second, worker="w1", now=NOW, error="503 again", policy=policy) is True
    assert await OutboxMessage.filter(key="a").values_list("status", flat=True) == [MessageStatus.DEAD]
    assert await claim(now=NOW + timedelta(hours=1)) == []
    assert await service.redeliver(TOPIC, ["a"], now=NOW) == 1
    assert [c.key for c in await claim(now=NOW + timedelta(seconds=1))] == ["a"]


def test_full_jitter_stays_under_the_exponential_ceiling_and_honours_retry_after():
    policy = RetryPolicy(base=timedelta(seconds=1), cap=timedelta(seconds=60))
    rng = random.Random(7)
    delays = [policy.delay(attempt, rng=rng).total_seconds() for attempt in range(1, 9) for _ in range(50)]
    assert all(0 <= d <= 60 for d in delays)
    assert max(policy.delay(3, rng=rng).total_seconds() for _ in range(200)) <= 4
    assert policy.delay(1, retry_after=2.5, rng=rng).total_seconds() >= 2.5


@pytest.mark.postgres_only
async def test_concurrent_workers_never_hold_the_same_key(db):
    await enqueue(*(f"k{i}" for i in range(40)))
    await enqueue(*(f"k{i}" for i in range(0, 40, 2)))

    rounds = await asyncio.gather(*(claim(f"w{n}", limit=7) for n in range(8)))

    keys = [c.key for claims in rounds for c in claims]
    assert len(keys) == len(set(keys))
    assert len(keys) == 40


async def test_a_claim_whose_lease_was_taken_over_can_neither_record_nor_free_the_key(db):
    policy = RetryPolicy(max_attempts=1)
    await enqueue("a")
    [stale] = await claim("slow")
    await enqueue("a")  # the change the successor's state covers
    [taken_over] = await claim("successor", now=NOW + LEASE + timedelta(seconds=1))

    for record in (
        lambda: service.finish(TOPIC, stale, worker="slow", now=NOW),
        lambda: service.fail(TOPIC, stale, worker="slow", now=NOW, error="503", policy=policy),
    ):
        with pytest.raises(service.LeaseLost):
            async with in_transaction():
                await record()
    await service.release(TOPIC, stale, worker="slow", until=NOW)

    assert await OutboxMessage.filter(key="a").values_list("status", flat=True) == [MessageStatus.PENDING] * 2
    # The successor still holds the key: nobody else may claim it while its lease runs.
    assert await claim("third", now=NOW + LEASE + timedelta(seconds=2)) == []
    await service.finish(TOPIC, taken_over, worker="successor", now=NOW)
    assert await OutboxMessage.filter(key="a").values_list("status", flat=True) == [MessageStatus.DONE] * 2


async def test_renewing_keeps_a_key_past_its_first_lease_and_reports_one_taken_over(db):
    await enqueue("a", "b")
    claims = await claim("busy")
    renewed_at = NOW + timedelta(seconds=20)
    assert await service.renew(TOPIC, claims, now=renewed_at, lease=LEASE) == []
    assert await claim("other", now=NOW + LEASE + timedelta(seconds=1)) == []

    # A renewal that comes too late: another worker has taken "a" over meanwhile.
    [a_again] = await claim("other", now=renewed_at + LEASE + timedelta(seconds=1), limit=1)
    lost = await service.renew(TOPIC, claims, now=renewed_at + LEASE + timedelta(seconds=2), lease=LEASE)
    assert [c.key for c in lost] == [a_again.key]


async def test_purging_deletes_done_messages_processed_before_the_cutoff_and_keeps_the_rest(db):
    await enqueue("old", "recent", "dead", "waiting")
    claims = {c.key: c for c in await claim()}
    await service.finish(TOPIC, claims["old"], worker="w1", now=NOW)
    await service.finish(TOPIC, claims["recent"], worker="w1", now=NOW + timedelta(days=8))
    await service.fail(TOPIC, claims["dead"], worker="w1", now=NOW, error="400", policy=RetryPolicy(), permanent=True)

    purged = await service.purge(processed_before=NOW + timedelta(days=7), batch=1)

    assert purged == 1
    left = dict(await OutboxMessage.all().values_list("key", "status"))
    assert left == {"recent": MessageStatus.DONE, "dead": MessageStatus.DEAD, "waiting": MessageStatus.PENDING}
    # The purged key's stream stays, so a later change to it is claimed as usual.
    await enqueue("old", now=NOW + timedelta(days=9))
    assert "old" in {c.key for c in await claim(now=NOW + timedelta(days=9))}


async def test_finishing_a_batch_records_the_claims_still_held_and_returns_the_one_taken_over(db):
    await enqueue("a", "b")
    claims = {c.key: c for c in await claim("slow")}
    [taken_over] = await claim("successor", now=NOW + LEASE + timedelta(seconds=1), limit=1)

    async with in_transaction():
        lost = await service.finish_many(TOPIC, list(claims.values()), now=NOW + LEASE)

    assert lost == {claims[taken_over.key]}
    statuses = dict(await OutboxMessage.all().values_list("key", "status"))
    kept = "b" if taken_over.key == "a" else "a"
    assert statuses == {taken_over.key: MessageStatus.PENDING, kept: MessageStatus.DONE}
    assert (await OutboxStream.get(key=taken_over.key)).lease_token == taken_over.token
