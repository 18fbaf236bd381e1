"""Every meeting write that a calendar shows leaves exactly one outbox message in its own transaction."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from domain.access import Role, Viewer
from domain.calendar.changes import CALENDAR_TOPIC, rsvp_key
from domain.errors import DomainError
from domain.meetings import series, service
from domain.meetings.models import Meeting, MeetingStatus, Rsvp
from domain.meetings.withdrawal import cancel_upcoming
from domain.outbox.models import MessageStatus, OutboxMessage, OutboxStream
from domain.people.models import Person
from integrations.calendar.no_external import NoExternalCalendar
from tests.factories import make_person, make_working_week
from tests.factories_meetings import make_agreement, make_relationship, soon
from tests.support import assert_unchanged


async def messages_for(meeting_id: int) -> list[OutboxMessage]:
    return await OutboxMessage.filter(topic=CALENDAR_TOPIC, key=str(meeting_id))


@pytest.fixture
async def pair(db):
    ana = await make_person(name="Ana")
    ben = await make_person(name="Ben")
    relationship = await make_relationship(ana, ben)
    return Viewer(email=ana.email, role=Role.PARTICIPANT, person_id=ana.id), ben, relationship


async def book(viewer: Viewer, relationship, **fields) -> Meeting:
    return await service.book(
        viewer, relationship_id=relationship.id, start=fields.pop("start", soon()), duration_minutes=45, title="Chat"
    )


async def test_booking_writes_one_pending_message_and_its_stream(pair):
    viewer, _, relationship = pair
    meeting = await book(viewer, relationship)
    [message] = await messages_for(meeting.id)
    assert message.status is MessageStatus.PENDING
    assert await OutboxStream.filter(topic=CALENDAR_TOPIC, key=str(meeting.id)).count() == 1


async def test_reschedule_cancel_and_agenda_each_add_a_message_rsvp_and_held_do_not(pair):
    viewer, ben, relationship = pair
    meeting = await book(viewer, relationship)
    await service.reschedule(viewer, meeting_id=meeting.id, start=soon(days=3), duration_minutes=45)
    await service.add_agenda_item(viewer, meeting_id=meeting.id, text="Goals")
    ben_viewer = Viewer(email=ben.email, role=Role.PARTICIPANT, person_id=ben.id)
    await service.respond(ben_viewer, meeting_id=meeting.id, response=Rsvp.ACCEPTED)
    await service.cancel(viewer, meeting_id=meeting.id, reason="Ill")
    assert len(await messages_for(meeting.id)) == 4
    # Still one stream: the worker takes the meeting's messages one key at a time.
    assert await OutboxStream.filter(topic=CALENDAR_TOPIC, key=str(meeting.id)).count() == 1


async def test_a_refused_write_leaves_no_message(pair):
    viewer, _, relationship = pair
    meeting = await book(viewer, relationship)
    async with assert_unchanged():
        with pytest.raises(DomainError):
            await service.reschedule(viewer, meeting_id=meeting.id, start=meeting.starts_at, end=meeting.ends_at)
        with pytest.raises(DomainError):
            await service.book(viewer, relationship_id=relationship.id, start=meeting.starts_at, title="Clash")


async def test_a_series_writes_one_message_per_occurrence(pair):
    viewer, ben, relationship = pair
    await make_agreement(relationship, "WEEKLY")
    for person_id in (viewer.person_id, ben.id):
        await make_working_week(await Person.get(id=person_id))
    booked = await series.book(
        viewer,
        relationship_id=relationship.id,
        first_date=soon(days=3).date(),
        count=3,
        free_busy=NoExternalCalendar(),
    )
    meetings = await Meeting.filter(series_id=booked.id)
    assert len(meetings) == 3
    for meeting in meetings:
        assert len(await messages_for(meeting.id)) == 1


async def test_closing_cancels_upcoming_meetings_with_a_message_each(pair):
    viewer, _, relationship = pair
    first = await book(viewer, relationship, start=soon(days=2))
    second = await book(viewer, relationship, start=soon(days=4))
    assert await cancel_upcoming([relationship.id], now=datetime.now(UTC), reason="Ended") == 2
    for meeting in (first, second):
        assert (await Meeting.get(id=meeting.id)).status is MeetingStatus.CANCELLED
        assert len(await messages_for(meeting.id)) == 2


async def test_an_answer_leaves_one_message_for_the_attendees_own_copy_and_a_refused_one_none(pair):
    viewer, ben, relationship = pair
    meeting = await book(viewer, relationship)
    ben_viewer = Viewer(email=ben.email, role=Role.PARTICIPANT, person_id=ben.id)
    await service.respond(ben_viewer, meeting_id=meeting.id, response=Rsvp.DECLINED)
    [answer] = await OutboxMessage.filter(topic=CALENDAR_TOPIC, key=rsvp_key(meeting.id, ben.id))
    assert answer.status is MessageStatus.PENDING

    outsider = await make_person(name="Cleo")
    async with assert_unchanged():
        with pytest.raises(DomainError):
            await service.respond(
                Viewer(email=outsider.email, role=Role.PARTICIPANT, person_id=outsider.id),
                meeting_id=meeting.id,
                response=Rsvp.ACCEPTED,
            )
        with pytest.raises(DomainError):
            await service.respond(ben_viewer, meeting_id=meeting.id, response=Rsvp.NEEDS_ACTION)
