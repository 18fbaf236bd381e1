"""A worker whose lease ran out while it was still busy must not write over the worker that took the meeting
over: here the slow worker's token request is held at the fake while the clock passes its lease, the meeting is
cancelled and a second worker cancels it; then the slow worker's create may not land."""

from __future__ import annotations

import asyncio

import pytest

from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import Provider
from domain.meetings import service
from domain.outbox.models import MessageStatus, OutboxMessage
from integrations.calendar.worker import CalendarWorker
from tests.fakes.calendar_checks import check_convergence
from tests.fakes.calendar_setup import connect
from tests.fakes.google_calendar import FakeGoogleCalendar
from tests.fakes.http_fake import Gate, held
from tests.fakes.microsoft_graph import FakeMicrosoftGraph
from tests.integrations.calendar.conftest import book, pair
from tests.integrations.calendar.fake_clock import FakeClock

DOMAIN = "acme.example"


def is_token_request(request) -> bool:
    return request.path.endswith("/token")


def creates(fake) -> list:
    return [r for r in fake.requests if r.method == "POST" and r.path.endswith("/events")]


@pytest.mark.parametrize("provider", [Provider.GOOGLE, Provider.MICROSOFT])
async def test_a_worker_whose_lease_ran_out_sends_nothing_after_another_took_the_meeting_over(
    db, config, provider, request
):
    running = request.getfixturevalue("google" if provider is Provider.GOOGLE else "microsoft")
    ana, ben = await pair(DOMAIN)
    await connect(provider, running, DOMAIN)
    viewer, meeting = await book(ana, ben)
    gate = Gate()
    running.fake.faults.queue(held(gate), when=is_token_request)
    clock = FakeClock()
    slow = CalendarWorker(config, name="slow", clock=clock)
    successor = CalendarWorker(config, name="successor", clock=clock)
    try:
        slow_round = asyncio.create_task(slow.run_once())
        # The slow worker has committed the event's id and waits for its token; its lease runs out meanwhile.
        assert await asyncio.to_thread(gate.arrived.wait, 60)
        clock.advance(config.worker_lease_seconds + 1)
        await service.cancel(viewer, meeting_id=meeting.id, reason="Plans changed")
        assert await successor.run_once() == 1
        gate.opened.set()
        await slow_round
    finally:
        gate.opened.set()
        await slow.writers.close()
        await successor.writers.close()

    assert creates(running.fake) == [], "the slow worker created the event after the meeting was cancelled"
    google = running.fake if provider is Provider.GOOGLE else FakeGoogleCalendar()
    graph = running.fake if provider is Provider.MICROSOFT else FakeMicrosoftGraph()
    outcome = await check_convergence({DOMAIN: provider}, google, graph)
    assert (outcome.checked, outcome.problems) == (1, {})
    assert not await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING).exists()
