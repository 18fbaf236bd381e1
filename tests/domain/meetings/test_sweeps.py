"""mark_missed: scheduled meetings past their end plus the grace period become MISSED, nothing else moves."""

from __future__ import annotations

from datetime import timedelta

from domain.meetings.models import Meeting, MeetingStatus
from domain.meetings.sweeps import mark_missed
from tests.factories import make_person
from tests.factories_meetings import make_meeting, make_relationship, utc

NOW = utc(2027, 3, 10, 12, 0)


async def test_only_scheduled_meetings_past_end_plus_grace_become_missed(db):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben)
    overdue = await make_meeting(relationship, ana, ben, start=NOW - timedelta(hours=26), minutes=60)
    within_grace = await make_meeting(relationship, ana, ben, start=NOW - timedelta(hours=24), minutes=60)
    held = await make_meeting(relationship, ana, ben, start=NOW - timedelta(days=5), status=MeetingStatus.HELD)
    cancelled = await make_meeting(
        relationship, ana, ben, start=NOW - timedelta(days=6), status=MeetingStatus.CANCELLED
    )

    assert await mark_missed(NOW, timedelta(hours=24)) == 1

    statuses = dict(await Meeting.all().values_list("id", "status"))
    assert statuses == {
        overdue.id: MeetingStatus.MISSED,
        within_grace.id: MeetingStatus.SCHEDULED,
        held.id: MeetingStatus.HELD,
        cancelled.id: MeetingStatus.CANCELLED,
    }
    await overdue.refresh_from_db()
    assert overdue.sequence == 1


async def test_the_sweep_is_idempotent_and_honours_a_shorter_grace(db):
    ana, ben = await make_person(), await make_person()
    relationship = await make_relationship(ana, ben)
    meeting = await make_meeting(relationship, ana, ben, start=NOW - timedelta(hours=3), minutes=60)

    assert await mark_missed(NOW, timedelta(hours=24)) == 0
    assert await mark_missed(NOW, timedelta(hours=1)) == 1
    assert await mark_missed(NOW, timedelta(hours=1)) == 0
    await meeting.refresh_from_db()
    assert (meeting.status, meeting.sequence) == (MeetingStatus.MISSED, 1)
