"""What the inbound tests share: Mentorgraph's app listening on a real loopback port (the fakes POST their
notifications to it), an inbound worker pointed at it, and helpers to wait for the fakes' deliveries."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest
import uvicorn

from domain.calendar.models import CalendarEvent
from integrations.calendar.inbound_worker import InboundWorker
from tests.fakes.calendar_setup import fast_config


@pytest.fixture
async def listening(app, db):
    """The app served by uvicorn on 127.0.0.1 in this test's event loop; yields its base URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    await task


def inbound_config(base_url: str, **overrides):
    return fast_config(webhook_base_url=base_url, inbound_backstop_seconds=3600, **overrides)


@pytest.fixture
async def inbound(listening):
    worker = InboundWorker(inbound_config(listening))
    yield worker
    await worker.writers.close()


async def delivered(fake) -> None:
    """Waits (off the event loop, which serves the webhooks) until the fake has delivered what it queued."""
    await asyncio.to_thread(fake.notifier.wait_idle)


async def until(condition, *, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not await condition():
        assert time.monotonic() < deadline, "condition not reached"
        await asyncio.sleep(0.02)


async def event_id_of(meeting_id: int) -> str:
    return (await CalendarEvent.get(meeting_id=meeting_id)).event_id


def zulu(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def wall(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def writes(requests, prefix: str) -> list:
    """Requests that change a calendar (not reads, not channels): what an echo would show up as."""
    return [
        r
        for r in requests
        if r.path.startswith(prefix)
        and r.method in ("POST", "PATCH", "PUT", "DELETE")
        and not r.path.endswith(("/watch", "/stop", "/subscriptions", "/reauthorize"))
        and "/subscriptions" not in r.path
    ]


async def post(url: str, headers: dict, body: bytes = b"") -> int | None:
    """A POST to the app from a thread, as a provider would: the event loop stays free to answer it."""
    from tests.fakes.notifications import post as blocking_post

    return await asyncio.to_thread(blocking_post, url, headers, body, timeout=5)
