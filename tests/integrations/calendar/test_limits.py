"""The worker's own provider limits: a per-user request rate and a per-mailbox concurrency."""

from __future__ import annotations

import asyncio

import pytest

from integrations.calendar.limits import ConcurrencyLimiter, RateLimiter


async def test_a_user_over_their_rate_waits_while_another_user_goes_ahead():
    limiter = RateLimiter(per_minute=2)
    await limiter.acquire("ana@acme.example")
    await limiter.acquire("ana@acme.example")

    with pytest.raises(TimeoutError):
        await asyncio.wait_for(limiter.acquire("ana@acme.example"), timeout=0.1)
    await asyncio.wait_for(limiter.acquire("ben@acme.example"), timeout=0.1)


async def test_no_more_than_the_limit_run_at_once_per_mailbox():
    limiter = ConcurrencyLimiter(2)
    running = peak = 0

    async def request(mailbox: str) -> None:
        nonlocal running, peak
        async with limiter.slot(mailbox):
            running += 1
            peak = max(peak, running)
            await asyncio.sleep(0.01)
            running -= 1

    await asyncio.gather(*(request("ana@contoso.example") for _ in range(6)))

    assert peak == 2
