"""Relationships, agreements and goals are history: the database refuses to delete what they hang from."""

from __future__ import annotations

import pytest
from tortoise import Tortoise, fields
from tortoise.exceptions import IntegrityError, OperationalError

from domain.access import Role, Viewer
from domain.agreements.models import AgreementVersion
from domain.agreements.service import sign_agreement
from domain.goals.models import Goal
from domain.relationships.models import MentorRequest, RematchRequest
from tests.factories import make_person, make_program
from tests.factories_relationships import NOW, make_goal, make_milestone, make_pair, make_progress, make_reflection
from tests.support import assert_unchanged

# Every table of the mentoring core: none of their rows may vanish because a row they point at was deleted.
HISTORY_TABLES = {
    "relationship",
    "relationship_member",
    "mentor_request",
    "rematch_request",
    "match_exclusion",
    "agreement",
    "agreement_version",
    "agreement_topic",
    "agreement_goal",
    "agreement_signature",
    "goal",
    "milestone",
    "goal_progress",
    "reflection",
}


async def test_no_foreign_key_of_a_history_table_cascades(db):
    cascading = [
        f"{model._meta.db_table}.{name}"
        for model in Tortoise.apps.get_models_iterable()
        if model._meta.db_table in HISTORY_TABLES
        for name in model._meta.fk_fields | model._meta.o2o_fields
        if model._meta.fields_map[name].on_delete not in (fields.RESTRICT, fields.SET_NULL)
    ]
    assert {model._meta.db_table for model in Tortoise.apps.get_models_iterable()} >= HISTORY_TABLES
    assert cascading == []


async def person_with_history():
    mentor, mentee = await make_person(name="Maria"), await make_person(name="Ben")
    program = await make_program()
    relationship, _ = await make_pair(mentor, mentee, program=program)
    await sign_agreement(
        Viewer(email=mentee.email, role=Role.PARTICIPANT, person_id=mentee.id),
        relationship_id=relationship.id,
        version=1,
    )
    goal = await make_goal(mentee, relationship=relationship)
    await make_milestone(goal)
    await make_progress(goal, mentee)
    await make_reflection(mentee, relationship=relationship)
    await MentorRequest.create(program=program, mentee=mentee, mentor=mentor, expires_at=NOW)
    await RematchRequest.create(relationship=relationship, requested_by=mentee, reason="Schedules clash.")
    return mentee, relationship, goal


async def test_deleting_a_person_with_history_is_refused_and_removes_nothing(db):
    mentee, _, _ = await person_with_history()

    async with assert_unchanged():
        with pytest.raises((IntegrityError, OperationalError)):
            await mentee.delete()


async def test_deleting_a_relationship_a_goal_or_an_agreement_version_is_refused(db):
    _, relationship, goal = await person_with_history()
    version = await AgreementVersion.get(agreement__relationship=relationship)
    bare_goal = await Goal.get(id=goal.id)

    for row in (relationship, bare_goal, version):
        async with assert_unchanged():
            with pytest.raises((IntegrityError, OperationalError)):
                await row.delete()
