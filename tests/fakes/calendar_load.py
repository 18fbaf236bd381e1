"""A load of meetings for the exactly-once test and `make bench-sync`: people in a Google and a Microsoft
domain, each pair booking meetings, a third of them moved and a fifth cancelled, through the domain services."""

from __future__ import annotations

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


async def book_load(count: int, *, video_share: int = 0) -> Load:
    """`count` meetings, half with Google organizers, half Microsoft; every `video_share`-th is VIDEO."""
    meetings, viewers = [], {}
    pairs = max(1, count // PER_PAIR)
    for number in range(pairs):
        domain = GOOGLE_DOMAIN if number % 2 == 0 else MICROSOFT_DOMAIN
        mentor = await make_person(name=f"Mentor {number}", email=f"mentor{number}@{domain}")
        mentee = await make_person(name=f"Mentee {number}", email=f"mentee{number}@{domain}")
        relationship = await make_relationship(mentor, mentee)
        viewer = Viewer(email=mentor.email, role=Role.PARTICIPANT, person_id=mentor.id)
        for index in range(PER_PAIR if number < pairs - 1 else count - PER_PAIR * (pairs - 1)):
            video = video_share and (len(meetings) % video_share == 0)
            meeting = await service.book(
                viewer,
                relationship_id=relationship.id,
                start=_slot(index * 3),
                duration_minutes=45,
                title=f"Session {len(meetings) + 1}",
                format=MeetingFormat.VIDEO if video else MeetingFormat.IN_PERSON,
            )
            meetings.append(meeting)
            viewers[meeting.id] = viewer
    return Load(meetings, viewers)


async def change_load(load: Load) -> tuple[int, int]:
    """Reschedules every third meeting and cancels every fifth; returns (rescheduled, cancelled)."""
    moved = cancelled = 0
    for position, meeting in enumerate(load.meetings):
        viewer = load.viewers[meeting.id]
        if position % 3 == 0:
            await service.reschedule(
                viewer, meeting_id=meeting.id, start=meeting.starts_at + timedelta(hours=1), duration_minutes=30
            )
            moved += 1
        if position % 5 == 0:
            await service.cancel(viewer, meeting_id=meeting.id, reason="Plans changed")
            cancelled += 1
    return moved, cancelled
