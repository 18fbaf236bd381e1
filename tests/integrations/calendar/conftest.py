"""Fakes of both providers per test, and a worker with millisecond backoff to drive them."""

from __future__ import annotations

import asyncio
import time

import pytest

from domain.access import Role, Viewer
from domain.calendar.changes import CALENDAR_TOPIC
from domain.meetings import service
from domain.outbox.models import MessageStatus, OutboxMessage
from domain.people.models import MeetingFormat, Person
from integrations.calendar.worker import CalendarWorker
from tests.factories import make_person
from tests.factories_meetings import make_relationship, soon
from tests.fakes.calendar_setup import fast_config, google, microsoft  # noqa: F401 - fixtures
from tests.integrations.calendar.inbound_support import inbound, listening  # noqa: F401 - fixtures


@pytest.fixture
def config():
    return fast_config()


@pytest.fixture
async def worker(config):
    worker = CalendarWorker(config, name="test-worker")
    yield worker
    await worker.writers.close()


async def settle(worker: CalendarWorker, *, seconds: float = 20) -> None:
    """Runs the worker until no message is pending (waiting out backoffs), or fails after `seconds`."""
    deadline = time.monotonic() + seconds
    while await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING).exists():
        assert time.monotonic() < deadline, "calendar work still pending"
        if not await worker.run_once():
            await asyncio.sleep(0.01)


async def book(organizer: Person, *others: Person, fmt: MeetingFormat = MeetingFormat.IN_PERSON, days: int = 2, **kw):
    relationship = await make_relationship(organizer, *others)
    viewer = Viewer(email=organizer.email, role=Role.PARTICIPANT, person_id=organizer.id)
    meeting = await service.book(
        viewer,
        relationship_id=relationship.id,
        start=soon(days=days),
        duration_minutes=45,
        title=kw.pop("title", "Mentoring chat"),
        format=fmt,
        **kw,
    )
    return viewer, meeting


async def pair(domain: str) -> tuple[Person, Person]:
    return (
        await make_person(name="Ana", email=f"ana@{domain}"),
        await make_person(name="Ben", email=f"ben@{domain}"),
    )
