"""A load of meetings for the exactly-once test and `make bench-sync`: people in a Google and a Microsoft
domain, each pair booking meetings, a third of them moved and a fifth cancelled, through the domain services."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from domain.access import Role, Viewer
from domain.meetings import service
from domain.meetings.models import Meeting
from domain.people.models import MeetingFormat
from tests.factories import make_person
from tests.factories_meetings import make_relationship

GOOGLE_DOMAIN = "gmentors.example"
MICROSOFT_DOMAIN = "msmentors.example"
PER_PAIR = 5


@dataclass
class Load:
    meetings: list[Meeting]
    viewers: dict[int, Viewer]  # meeting id -> its organizer


def _slot(index: int) -> datetime:
    base = datetime.now(UTC).replace(minute=0, second=0, microsecond=0) + timedelta(days=3)
    return base + timedelta(hours=index)


async def _book_pair(number: int, size: int, first: int, video_share: int) -> list[tuple[Meeting, Viewer]]:
    domain = GOOGLE_DOMAIN if number % 2 == 0 else MICROSOFT_DOMAIN
    mentor = await make_person(name=f"Mentor {number}", email=f"mentor{number}@{domain}")
    mentee = await make_person(name=f"Mentee {number}", email=f"mentee{number}@{domain}")
    relationship = await make_relationship(mentor, mentee)
    viewer = Viewer(email=mentor.email, role=Role.PARTICIPANT, person_id=mentor.id)
    booked = []
    for index in range(size):
        position = first + index
        video = video_share and (position % video_share == 0)
        meeting = await service.book(
            viewer,
            relationship_id=relationship.id,
            start=_slot(index * 3),
            duration_minutes=45,
            title=f"Session {position + 1}",
            format=MeetingFormat.VIDEO if video else MeetingFormat.IN_PERSON,
        )
        booked.append((meeting, viewer))
    return booked


async def _bounded(concurrency: int, work: list) -> list:
    """Runs the coroutines with at most `concurrency` at once, keeping their order in the results."""
    gate = asyncio.Semaphore(concurrency)

    async def one(coroutine):
        async with gate:
            return await coroutine

    return await asyncio.gather(*(one(coroutine) for coroutine in work))


async def book_load(count: int, *, video_share: int = 0, concurrency: int = 1) -> Load:
    """`count` meetings, half with Google organizers, half Microsoft; every `video_share`-th is VIDEO.

    Pairs book `concurrency` at a time (PostgreSQL; SQLite takes one writer, so 1 there)."""
    pairs = max(1, count // PER_PAIR)
    sizes = [PER_PAIR] * (pairs - 1) + [count - PER_PAIR * (pairs - 1)]
    work = [_book_pair(number, size, PER_PAIR * number, video_share) for number, size in enumerate(sizes)]
    load = Load([], {})
    for booked in await _bounded(concurrency, work):
        for meeting, viewer in booked:
            load.meetings.append(meeting)
            load.viewers[meeting.id] = viewer
    return load


async def _change(load: Load, position: int, meeting: Meeting) -> tuple[int, int]:
    viewer = load.viewers[meeting.id]
    moved = cancelled = 0
    if position % 3 == 0:
        await service.reschedule(
            viewer, meeting_id=meeting.id, start=meeting.starts_at + timedelta(hours=1), duration_minutes=30
        )
        moved = 1
    if position % 5 == 0:
        await service.cancel(viewer, meeting_id=meeting.id, reason="Plans changed")
        cancelled = 1
    return moved, cancelled


async def change_load(load: Load, *, concurrency: int = 1) -> tuple[int, int]:
    """Reschedules every third meeting and cancels every fifth; returns (rescheduled, cancelled)."""
    done = await _bounded(concurrency, [_change(load, n, meeting) for n, meeting in enumerate(load.meetings)])
    return sum(moved for moved, _ in done), sum(cancelled for _, cancelled in done)
