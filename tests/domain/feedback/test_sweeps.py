"""The survey sweep opens each due survey once, with its invitation in the same transaction."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from domain.feedback.emails import TOPIC
from domain.feedback.models import EmailKind, SurveyEmail, SurveyInstance, SurveySchedule
from domain.feedback.sweeps import REMIND_AFTER, open_due_surveys, queue_reminders
from domain.outbox.models import OutboxMessage
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_feedback import make_template
from tests.factories_meetings import make_relationship, utc

START = utc(2026, 1, 5, 9)
NOW = START + timedelta(days=15)


async def _pair(program, status=RelationshipStatus.ACTIVE):
    mentor, mentee = await make_person(name="Olivia"), await make_person(name="Maya")
    return await make_relationship(mentor, mentee, program=program, status=status, started_at=START), mentor, mentee


async def test_given_a_relationship_two_weeks_in_when_swept_twice_then_each_member_has_one_survey_and_invitation(db):
    program = await make_program()
    template = await make_template(program)
    relationship, mentor, mentee = await _pair(program)

    assert await open_due_surveys(NOW) == 2
    assert await open_due_surveys(NOW + timedelta(hours=1)) == 0

    instances = await SurveyInstance.filter(template_id=template.id).order_by("person_id")
    assert [(i.relationship_id, i.person_id, i.occasion) for i in instances] == [
        (relationship.id, mentor.id, 0),
        (relationship.id, mentee.id, 0),
    ]
    emails = await SurveyEmail.all()
    assert {(e.survey_instance_id, e.kind) for e in emails} == {(i.id, EmailKind.SURVEY_INVITATION) for i in instances}
    # each waits in the outbox, in the same transaction as its survey
    queued = await OutboxMessage.filter(topic=TOPIC).values_list("key", flat=True)
    assert sorted(queued) == sorted(str(e.id) for e in emails)


async def test_given_a_closed_relationship_when_swept_then_only_the_closing_survey_opens(db):
    program = await make_program()
    await make_template(program, schedule=SurveySchedule.TWO_WEEKS_AFTER_START)
    closing = await make_template(program, schedule=SurveySchedule.AT_CLOSURE)
    relationship, _, _ = await _pair(program, status=RelationshipStatus.COMPLETED)
    await relationship.__class__.filter(id=relationship.id).update(ended_at=NOW - timedelta(days=1))

    assert await open_due_surveys(NOW) == 2
    assert {i.template_id for i in await SurveyInstance.all()} == {closing.id}


async def test_given_an_unanswered_survey_a_week_old_when_swept_then_one_reminder_is_queued(db):
    program = await make_program()
    await make_template(program)
    await _pair(program)
    await open_due_surveys(NOW)

    assert await queue_reminders(NOW + REMIND_AFTER - timedelta(days=2)) == 0
    assert await queue_reminders(NOW + REMIND_AFTER) == 2
    assert await queue_reminders(NOW + REMIND_AFTER + timedelta(days=1)) == 0
    assert await SurveyEmail.filter(kind=EmailKind.SURVEY_REMINDER).count() == 2


@pytest.mark.postgres_only
async def test_given_four_sweeps_at_once_then_every_survey_and_invitation_exists_once(db):
    program = await make_program()
    await make_template(program)
    for _ in range(5):
        await _pair(program)

    created = await asyncio.gather(*(open_due_surveys(NOW) for _ in range(4)))

    assert sum(created) == 10
    assert await SurveyInstance.all().count() == 10
    assert await SurveyEmail.all().count() == 10
    assert await OutboxMessage.filter(topic=TOPIC).count() == 10
