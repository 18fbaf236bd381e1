"""The heartbeat that renews a busy worker's leases every quarter lease, driven by a fake clock: a worker held
up past several lease periods keeps its meeting (no second worker takes it over), and a worker whose renewal
finds another claim on the meeting stops before it sends anything."""

from __future__ import annotations

import asyncio
import time

import pytest

from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import Provider
from domain.outbox.models import MessageStatus, OutboxMessage, OutboxStream
from integrations.calendar.worker import CalendarWorker
from tests.fakes.calendar_checks import check_convergence
from tests.fakes.calendar_setup import connect
from tests.fakes.google_calendar import FakeGoogleCalendar
from tests.fakes.http_fake import Gate, held
from tests.fakes.microsoft_graph import FakeMicrosoftGraph
from tests.integrations.calendar.conftest import book, pair
from tests.integrations.calendar.fake_clock import FakeClock
from tests.integrations.calendar.test_lease_takeover import creates, is_token_request

DOMAIN = "acme.example"
LEASE_PERIODS = 3


async def until(condition, *, seconds: float = 30) -> None:
    """Waits in real time for work the test does not drive (a thread, a request), bounded."""
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.01)


async def nothing_pending() -> bool:
    return not await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING).exists()


async def beat(clock: FakeClock, worker: CalendarWorker) -> None:
    """One quarter lease passes; returns once the heartbeat has renewed and gone back to sleep."""
    clock.advance(worker.lease.total_seconds() / 4)
    await clock.until_sleeping(1, within=10)


async def busy_worker(provider, running, config):
    """A worker running (its heartbeat on the fake clock) with its meeting's token request held at the fake."""
    ana, ben = await pair(DOMAIN)
    await connect(provider, running, DOMAIN)
    _, meeting = await book(ana, ben)
    gate = Gate()
    running.fake.faults.queue(held(gate), when=is_token_request)
    clock = FakeClock()
    worker = CalendarWorker(config, name="busy", clock=clock, sleep=clock.sleep)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    assert await asyncio.to_thread(gate.arrived.wait, 60), "the worker never asked for its token"
    await clock.until_sleeping(1, within=10)
    assert worker.holding() == [str(meeting.id)]
    return meeting, gate, clock, worker, stop, task


def fakes_of(provider, running):
    google = running.fake if provider is Provider.GOOGLE else FakeGoogleCalendar()
    graph = running.fake if provider is Provider.MICROSOFT else FakeMicrosoftGraph()
    return google, graph


@pytest.mark.parametrize("provider", [Provider.GOOGLE, Provider.MICROSOFT])
async def test_a_worker_busy_for_several_lease_periods_keeps_its_meeting(db, config, provider, request):
    running = request.getfixturevalue("google" if provider is Provider.GOOGLE else "microsoft")
    meeting, gate, clock, busy, stop, task = await busy_worker(provider, running, config)
    rival = CalendarWorker(config, name="rival", clock=clock)
    try:
        for quarter in range(1, 4 * LEASE_PERIODS + 1):
            await beat(clock, busy)
            assert await rival.run_once() == 0, f"the rival took the meeting over after {quarter} quarter leases"
        lease_until = await OutboxStream.get(topic=CALENDAR_TOPIC, key=str(meeting.id)).values_list(
            "lease_until", "leased_by"
        )
        assert lease_until == (clock.now + busy.lease, "busy")
        gate.opened.set()
        await until(nothing_pending)
    finally:
        gate.opened.set()
        stop.set()
        await task
        await rival.writers.close()

    assert len(creates(running.fake)) == 1
    outcome = await check_convergence({DOMAIN: provider}, *fakes_of(provider, running))
    assert (outcome.checked, outcome.problems) == (1, {})


@pytest.mark.parametrize("provider", [Provider.GOOGLE, Provider.MICROSOFT])
async def test_a_worker_whose_renewal_finds_another_claim_stops_sending(db, config, provider, request):
    running = request.getfixturevalue("google" if provider is Provider.GOOGLE else "microsoft")
    meeting, gate, clock, busy, stop, task = await busy_worker(provider, running, config)
    try:
        # Another worker's claim now holds the meeting (its own token), as after a stall that outlasted the lease.
        stream = OutboxStream.filter(topic=CALENDAR_TOPIC, key=str(meeting.id))
        await stream.update(lease_token="rival-claim", leased_by="rival")
        await beat(clock, busy)
        gate.opened.set()

        async def given_up() -> bool:
            return not busy.holding()

        await until(given_up)
    finally:
        gate.opened.set()
        stop.set()
        await task

    assert creates(running.fake) == [], "the worker sent a create after its renewal found the lease taken"
    assert await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING).count() == 1
    assert await stream.values_list("lease_token", "leased_by") == [("rival-claim", "rival")]
