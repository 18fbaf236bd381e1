"""Applying a calendar's view of our events to meetings: what is taken, what waits for Mentorgraph's own write,
and clashes a move made in the calendar creates."""

from __future__ import annotations

from datetime import timedelta

from domain.calendar.inbound import apply_seen
from domain.calendar.inbound_ports import SeenEvent
from domain.calendar.models import CalendarEvent, Provider, SyncStatus
from domain.clock import utc_now
from domain.meetings.models import Meeting, MeetingAttendee, MeetingClash, Rsvp
from tests.integrations.calendar.conftest import book, pair


async def synced(meeting, *, event_id="mgevent1", etag='"e1"', at=None, status=SyncStatus.SYNCED):
    await CalendarEvent.filter(meeting_id=meeting.id).update(
        provider=Provider.GOOGLE,
        calendar="ana@acme.example",
        event_id=event_id,
        etag=etag,
        status=status,
        synced_at=at or utc_now() - timedelta(minutes=5),
        synced_sequence=meeting.sequence,
    )


def seen(meeting, **changes) -> SeenEvent:
    fields = dict(
        event_id="mgevent1",
        meeting_uid=meeting.uid,
        cancelled=False,
        start=meeting.starts_at,
        end=meeting.ends_at,
        etag='"e2"',
        responses={},
    )
    return SeenEvent(**{**fields, **changes})


async def test_a_view_read_before_mentorgraphs_last_write_moves_nothing(db):
    ana, ben = await pair("acme.example")
    _, meeting = await book(ana, ben)
    read_at = utc_now()
    await synced(meeting, at=read_at + timedelta(seconds=1))
    later = meeting.starts_at + timedelta(hours=2)

    applied = await apply_seen(
        Provider.GOOGLE,
        "ana@acme.example",
        [seen(meeting, start=later, end=later + timedelta(minutes=45))],
        read_at=read_at,
        now=utc_now(),
    )

    assert applied.moved == 0
    assert (await Meeting.get(id=meeting.id)).starts_at == meeting.starts_at


async def test_while_mentorgraph_has_a_change_to_write_answers_are_taken_but_not_time(db):
    ana, ben = await pair("acme.example")
    _, meeting = await book(ana, ben)
    await synced(meeting, status=SyncStatus.PENDING)
    later = meeting.starts_at + timedelta(hours=2)

    applied = await apply_seen(
        Provider.GOOGLE,
        "ana@acme.example",
        [seen(meeting, start=later, end=later + timedelta(minutes=45), responses={ben.email: (Rsvp.DECLINED, None)})],
        read_at=utc_now(),
        now=utc_now(),
    )

    assert (applied.answers, applied.moved) == (1, 0)
    assert (await MeetingAttendee.get(meeting_id=meeting.id, person_id=ben.id)).rsvp is Rsvp.DECLINED
    assert (await Meeting.get(id=meeting.id)).starts_at == meeting.starts_at


async def test_a_first_look_at_an_unanswered_invite_keeps_an_answer_given_in_mentorgraph(db):
    ana, ben = await pair("acme.example")
    _, meeting = await book(ana, ben)
    await synced(meeting)
    await MeetingAttendee.filter(meeting_id=meeting.id, person_id=ben.id).update(rsvp=Rsvp.ACCEPTED)

    await apply_seen(
        Provider.GOOGLE,
        "ana@acme.example",
        [seen(meeting, responses={ben.email: (Rsvp.NEEDS_ACTION, None)})],
        read_at=utc_now(),
        now=utc_now(),
    )

    assert (await MeetingAttendee.get(meeting_id=meeting.id, person_id=ben.id)).rsvp is Rsvp.ACCEPTED


async def test_a_move_in_the_calendar_onto_another_meeting_is_taken_and_flagged_on_both(db):
    ana, ben = await pair("acme.example")
    _, meeting = await book(ana, ben)
    _, other = await book(ben, ana, days=3)
    await synced(meeting)

    applied = await apply_seen(
        Provider.GOOGLE,
        "ana@acme.example",
        [seen(meeting, start=other.starts_at, end=other.ends_at)],
        read_at=utc_now(),
        now=utc_now(),
    )

    assert (applied.moved, applied.clashes) == (1, 1)
    assert (await Meeting.get(id=meeting.id)).starts_at == other.starts_at
    pairs = set(await MeetingClash.all().values_list("meeting_id", "other_id"))
    assert pairs == {(meeting.id, other.id), (other.id, meeting.id)}


async def test_an_event_whose_property_names_another_meeting_is_not_ours(db):
    ana, ben = await pair("acme.example")
    _, meeting = await book(ana, ben)
    await synced(meeting)

    applied = await apply_seen(
        Provider.GOOGLE,
        "ana@acme.example",
        [seen(meeting, meeting_uid="someone-else", cancelled=True)],
        read_at=utc_now(),
        now=utc_now(),
    )

    assert applied.foreign == 1 and applied.cancelled == 0
