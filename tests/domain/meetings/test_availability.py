"""The free/busy port feeds availability, and a series is booked whole or not at all."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, time, timedelta

import pytest

from domain.access import Role, Viewer
from domain.errors import Conflict
from domain.meetings import availability, series
from domain.meetings.models import Meeting, MeetingSeries
from domain.meetings.ports import BusyTimes
from domain.programs.models import Cadence
from tests.factories import make_person, make_program
from tests.factories_meetings import make_meeting, make_relationship, make_working_pair

NOW = datetime(2027, 6, 1, 12, 0, tzinfo=UTC)
DAY = date(2027, 7, 6)  # a Tuesday; London on BST shares 08:00-09:00 UTC with Singapore's working day


def viewer(person) -> Viewer:
    return Viewer(email=person.email, role=Role.PARTICIPANT, person_id=person.id)


class CalendarWithBusyBlocks:
    """A FreeBusyProvider holding fixed busy blocks per person, as a connected calendar would report them."""

    def __init__(self, blocks: dict[int, list[tuple[datetime, datetime]]]) -> None:
        self.blocks = blocks
        self.asked: list[tuple[list[int], datetime, datetime]] = []

    async def busy(self, person_ids: Sequence[int], start: datetime, end: datetime):
        self.asked.append((list(person_ids), start, end))
        return BusyTimes({pid: self.blocks[pid] for pid in person_ids if pid in self.blocks})


@pytest.fixture
async def pair(db):
    return await make_working_pair(program=await make_program(cadence=Cadence.MONTHLY), started_at=NOW)


def at(hour: int, minute: int = 0, day: date = DAY) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UTC)


async def test_busy_blocks_from_a_connected_calendar_are_avoided(pair):
    ana, ben, relationship = pair
    calendar = CalendarWithBusyBlocks({ben.id: [(at(7, 45), at(8, 45))]})

    found = await availability.available_slots(
        viewer(ana),
        relationship_id=relationship.id,
        start=at(0),
        end=at(0) + timedelta(days=1),
        duration_minutes=30,
        limit=50,
        free_busy=calendar,
        now=NOW,
    )

    assert calendar.asked == [([ana.id, ben.id], at(0), at(0) + timedelta(days=1))]
    assert found.slots
    for slot in found.slots:
        assert slot.end <= at(7, 45) or slot.start >= at(8, 45)
    # 08:45-09:00 UTC is the only shared working time left, too short for 30 minutes.
    assert not found.slots[0].inside_everyones_working_hours


async def test_without_the_block_the_shared_hour_comes_first(pair):
    ana, _, relationship = pair
    found = await availability.available_slots(
        viewer(ana),
        relationship_id=relationship.id,
        start=at(0),
        end=at(0) + timedelta(days=1),
        duration_minutes=30,
        limit=1,
        free_busy=CalendarWithBusyBlocks({}),
        now=NOW,
    )
    assert [(s.start, s.inside_everyones_working_hours) for s in found.slots] == [(at(8), True)]


async def test_no_slot_inside_the_minimum_notice_is_offered(pair):
    ana, _, relationship = pair
    now = at(7, 50)
    found = await availability.available_slots(
        viewer(ana),
        relationship_id=relationship.id,
        start=at(0),
        end=at(0) + timedelta(days=1),
        duration_minutes=30,
        limit=20,
        free_busy=CalendarWithBusyBlocks({}),
        now=now,
    )
    assert found.slots and all(slot.start >= now + timedelta(minutes=15) for slot in found.slots)


class CalendarThatBooksMeanwhile:
    """Reports no busy time, but someone books over the given slot while the plan is being made."""

    def __init__(self, relationship, people, start: datetime, minutes: int) -> None:
        self.relationship, self.people, self.start, self.minutes = relationship, people, start, minutes

    async def busy(self, person_ids, start, end):
        await make_meeting(self.relationship, *self.people, start=self.start, minutes=self.minutes)
        return BusyTimes()


async def test_a_series_whose_slot_is_taken_meanwhile_books_nothing(pair):
    ana, ben, relationship = pair
    arguments = dict(relationship_id=relationship.id, first_date=date(2027, 6, 7), count=3, now=NOW)
    planned = await series.plan(viewer(ana), free_busy=CalendarWithBusyBlocks({}), **arguments)
    third = planned.plan.occurrences[2].slot
    other = await make_relationship(ben, await make_person())
    meanwhile = CalendarThatBooksMeanwhile(other, [ben], third.start, 30)

    with pytest.raises(Conflict) as refused:
        await series.book(viewer(ana), free_busy=meanwhile, **arguments)

    assert refused.value.field == "occurrences[2]"
    assert await MeetingSeries.all().count() == 0
    assert await Meeting.filter(relationship_id=relationship.id).count() == 0
    assert await Meeting.filter(relationship_id=other.id).count() == 1
