"""The inactivity sweep: notice after a quiet stretch, auto-conclusion only once the notice has run its course."""

from __future__ import annotations

import datetime

from domain.relationships.inactivity import sweep_inactive, touch_activity
from domain.relationships.models import Relationship, RelationshipStatus
from tests.domain.relationships.scenario import NOW, mentoring_pair, program_run_by

DAY = datetime.timedelta(days=1)


async def _quiet_since(days: int, *, status=RelationshipStatus.ACTIVE, notice_days_ago: int | None = None):
    program = await program_run_by()
    relationship, _, _ = await mentoring_pair(program, status=status)
    relationship.last_activity_at = NOW - days * DAY
    relationship.inactivity_notice_at = None if notice_days_ago is None else NOW - notice_days_ago * DAY
    await relationship.save()
    return relationship


async def test_notice_goes_out_fourteen_days_before_the_ninety_day_mark(db):
    fresh = await _quiet_since(75)
    due = await _quiet_since(76)
    paused = await _quiet_since(80, status=RelationshipStatus.PAUSED)
    proposed = await _quiet_since(200, status=RelationshipStatus.PROPOSED)
    completed = await _quiet_since(200, status=RelationshipStatus.COMPLETED)

    outcome = await sweep_inactive(NOW)

    assert outcome.noticed == sorted([due.id, paused.id])
    assert outcome.concluded == []
    for relationship, noticed in ((fresh, None), (due, NOW), (paused, NOW), (proposed, None), (completed, None)):
        await relationship.refresh_from_db()
        assert relationship.inactivity_notice_at == noticed


async def test_past_ninety_days_with_a_notice_old_enough_the_relationship_auto_concludes(db):
    concluded = await _quiet_since(91, notice_days_ago=15)
    notice_too_recent = await _quiet_since(120, notice_days_ago=3)
    never_noticed = await _quiet_since(120)

    outcome = await sweep_inactive(NOW)

    assert outcome.concluded == [concluded.id]
    # Whoever was never warned gets the warning now, and the full notice period with it.
    assert outcome.noticed == [never_noticed.id]
    await concluded.refresh_from_db()
    assert concluded.status is RelationshipStatus.AUTO_CONCLUDED
    assert concluded.ended_at == NOW
    await notice_too_recent.refresh_from_db()
    assert notice_too_recent.status is RelationshipStatus.ACTIVE
    assert await Relationship.all().count() == 3


async def test_the_stretch_and_the_notice_are_parameters(db):
    quiet = await _quiet_since(25, notice_days_ago=6)
    outcome = await sweep_inactive(NOW, inactive_after=30 * DAY, notice=7 * DAY)
    assert outcome.concluded == []
    outcome = await sweep_inactive(NOW + 2 * DAY, inactive_after=25 * DAY, notice=7 * DAY)
    assert outcome.concluded == [quiet.id]


async def test_activity_restarts_the_clock_and_withdraws_the_notice(db):
    relationship = await _quiet_since(80, notice_days_ago=4)
    await touch_activity(relationship.id, now=NOW)
    await relationship.refresh_from_db()
    assert relationship.last_activity_at == NOW
    assert relationship.inactivity_notice_at is None
    assert (await sweep_inactive(NOW + 30 * DAY)).noticed == []


async def test_an_older_event_reported_late_does_not_move_the_clock_back(db):
    relationship = await _quiet_since(2)
    await touch_activity(relationship.id, now=NOW - 10 * DAY)
    await relationship.refresh_from_db()
    assert relationship.last_activity_at == NOW - 2 * DAY
