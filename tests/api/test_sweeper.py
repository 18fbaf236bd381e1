"""The sweeps, once through the domain with configured timings and once through `mentorgraph sweep`."""

from __future__ import annotations

import datetime
from datetime import UTC, timedelta

import pytest

from api.settings import SettingsError, load_settings
from api.sweeper import run_sweeps
from domain.access import Role, Viewer
from domain.meetings.health import HealthStatus, at_risk_relationships
from domain.meetings.models import Meeting, MeetingStatus
from domain.meetings.service import mark_held
from domain.outbox.models import MessageStatus, OutboxMessage
from domain.programs.models import Cadence, ProgramTier
from domain.relationships.models import MentorRequest, MentorRequestStatus, Relationship, RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_feedback import make_template
from tests.factories_meetings import make_meeting, make_relationship
from tests.fakes.smtp_server import running_smtp_server
from tests.support import run_cli

NOW = datetime.datetime(2027, 6, 1, 12, tzinfo=UTC)


async def a_world_with_one_of_each(now: datetime.datetime) -> dict[str, int]:
    """An overdue request, a relationship due a notice, one due to conclude, and an unconfirmed past meeting."""
    mentor, mentee = await make_person(), await make_person()
    program = await make_program(tier=ProgramTier.SELF_SERVICE)
    overdue = await MentorRequest.create(
        program=program, mentee=mentee, mentor=mentor, expires_at=now - timedelta(hours=1)
    )
    fresh = await MentorRequest.create(
        program=program, mentee=mentee, mentor=mentor, expires_at=now + timedelta(days=1)
    )
    quietish = await make_relationship(await make_person(), await make_person(), started_at=now - timedelta(days=25))
    silent = await make_relationship(await make_person(), await make_person(), started_at=now - timedelta(days=40))
    silent.inactivity_notice_at = now - timedelta(days=8)
    await silent.save()
    busy = await make_relationship(mentor, mentee, started_at=now - timedelta(days=2))
    unconfirmed = await make_meeting(busy, mentor, mentee, start=now - timedelta(hours=30))
    recent = await make_meeting(busy, mentor, mentee, start=now - timedelta(hours=3))
    return dict(
        overdue=overdue.id,
        fresh=fresh.id,
        quietish=quietish.id,
        silent=silent.id,
        busy=busy.id,
        unconfirmed=unconfirmed.id,
        recent=recent.id,
    )


async def test_sweeps_follow_the_configured_timings(db):
    # given timings far shorter than the defaults: 30 quiet days conclude, with a 7-day notice first
    settings = load_settings(
        database_url=db, inactive_after_days=30, inactivity_notice_days=7, missed_meeting_grace_hours=24
    )
    ids = await a_world_with_one_of_each(NOW)

    report = await run_sweeps(settings, now=NOW)

    assert report.summary() == (
        "1 mentor requests expired, 1 inactivity notices, 1 relationships auto-concluded, 1 meetings missed, "
        "0 surveys opened, 0 survey reminders, 0 emails sent, 0 delivered outbox messages purged"
    )
    assert (await MentorRequest.get(id=ids["overdue"])).status is MentorRequestStatus.EXPIRED
    assert (await MentorRequest.get(id=ids["fresh"])).status is MentorRequestStatus.PENDING
    assert (await Relationship.get(id=ids["quietish"])).inactivity_notice_at == NOW
    assert (await Relationship.get(id=ids["silent"])).status is RelationshipStatus.AUTO_CONCLUDED
    assert (await Relationship.get(id=ids["busy"])).status is RelationshipStatus.ACTIVE
    assert (await Meeting.get(id=ids["unconfirmed"])).status is MeetingStatus.MISSED
    assert (await Meeting.get(id=ids["recent"])).status is MeetingStatus.SCHEDULED

    # and a second sweep at the same moment finds nothing left to do
    again = await run_sweeps(settings, now=NOW)
    assert again.summary() == (
        "0 mentor requests expired, 0 inactivity notices, 0 relationships auto-concluded, 0 meetings missed, "
        "0 surveys opened, 0 survey reminders, 0 emails sent, 0 delivered outbox messages purged"
    )


async def test_the_sweep_command_runs_them_against_the_configured_database(db):
    now = datetime.datetime.now(UTC)
    ids = await a_world_with_one_of_each(now)
    env = {
        "MENTORGRAPH_DATABASE_URL": db,
        "MENTORGRAPH_INACTIVE_AFTER_DAYS": "30",
        "MENTORGRAPH_INACTIVITY_NOTICE_DAYS": "7",
    }

    code, out, err = await run_cli("sweep", env=env)

    assert code == 0, err
    assert out.strip() == (
        "1 mentor requests expired, 1 inactivity notices, 1 relationships auto-concluded, 1 meetings missed, "
        "0 surveys opened, 0 survey reminders, 0 emails sent, 0 delivered outbox messages purged"
    )
    assert (await Relationship.get(id=ids["silent"])).status is RelationshipStatus.AUTO_CONCLUDED


def test_a_notice_as_long_as_the_inactivity_period_is_refused():
    with pytest.raises(SettingsError, match="MENTORGRAPH_INACTIVITY_NOTICE_DAYS must be shorter"):
        load_settings(inactive_after_days=14, inactivity_notice_days=14)
    with pytest.raises(SettingsError, match="MENTORGRAPH_BOOKING_MIN_NOTICE_MINUTES"):
        load_settings(booking_min_notice_minutes=-1)


async def test_a_missed_meeting_leaves_the_relationship_on_the_coordinators_check_in_list_until_one_is_held(db):
    # given a monthly relationship that started 70 days ago and whose only meeting, 3 days ago, was never confirmed
    coordinator, mentor, mentee = await make_person(), await make_person(), await make_person()
    program = await make_program(coordinators=[coordinator], cadence=Cadence.MONTHLY)
    relationship = await make_relationship(mentor, mentee, program=program, started_at=NOW - timedelta(days=70))
    meeting = await make_meeting(relationship, mentor, mentee, start=NOW - timedelta(days=3))
    overseer = Viewer(email=coordinator.email, role=Role.COORDINATOR, person_id=coordinator.id)

    # when the sweeps run with the configured grace
    report = await run_sweeps(load_settings(database_url=db, missed_meeting_grace_hours=48), now=NOW)

    # then the meeting is MISSED and the relationship, with nothing held for twice its cadence, is AT_RISK
    assert report.missed_meetings == 1
    assert (await Meeting.get(id=meeting.id)).status is MeetingStatus.MISSED
    [flagged] = await at_risk_relationships(overseer, program_id=program.id, now=NOW)
    assert (flagged.relationship_id, flagged.status) == (relationship.id, HealthStatus.AT_RISK)
    # and once a member confirms it was held after all, it is off the list
    await mark_held(
        Viewer(email=mentor.email, role=Role.PARTICIPANT, person_id=mentor.id), meeting_id=meeting.id, now=NOW
    )
    assert await at_risk_relationships(overseer, program_id=program.id, now=NOW) == []


async def test_the_sweeps_open_due_surveys_and_send_their_invitations_through_the_configured_smtp_server(db):
    # given a relationship two weeks in, in a program with a pulse survey, and an SMTP server
    program = await make_program()
    await make_template(program)
    mentor, mentee = await make_person(), await make_person()
    await make_relationship(mentor, mentee, program=program, started_at=NOW - timedelta(days=15))
    with running_smtp_server() as (inbox, port):
        settings = load_settings(database_url=db, smtp_host="127.0.0.1", smtp_port=port, smtp_from="mg@example.com")

        # when the sweeps run twice
        first = await run_sweeps(settings, now=NOW)
        second = await run_sweeps(settings, now=NOW + timedelta(minutes=5))

    # then each member was invited once
    assert (first.surveys_opened, first.emails_sent) == (2, 2)
    assert (second.surveys_opened, second.emails_sent) == (0, 0)
    assert inbox.recipients == sorted([mentor.email, mentee.email])


async def test_the_sweeps_purge_delivered_outbox_messages_older_than_the_retention(db):
    # given messages delivered 10 days and 1 day ago, and one still waiting
    for key, processed in (("old", NOW - timedelta(days=10)), ("recent", NOW - timedelta(days=1)), ("waiting", None)):
        await OutboxMessage.create(
            topic="calendar.meeting",
            key=key,
            created_at=NOW - timedelta(days=11),
            status=MessageStatus.DONE if processed else MessageStatus.PENDING,
            processed_at=processed,
        )

    # when the sweeps keep everything (retention 0), then a week
    kept = await run_sweeps(load_settings(database_url=db, outbox_retention_days=0), now=NOW)
    report = await run_sweeps(load_settings(database_url=db, outbox_retention_days=7), now=NOW)

    # then only the message delivered before the week is gone
    assert (kept.outbox_purged, report.outbox_purged) == (0, 1)
    assert sorted(await OutboxMessage.all().values_list("key", flat=True)) == ["recent", "waiting"]
