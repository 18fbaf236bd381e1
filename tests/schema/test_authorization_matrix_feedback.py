"""Who reads and writes surveys: every survey field and mutation x every role.

Cora coordinates a program where Maria mentors Ben; the pulse survey (named, so a low rating reaches the
at-risk list) is open for Ben, the owner. Around them: another participant, the coordinator of another
program, an analyst and an admin. Reads run per role; writes per mutation, denied roles first (each inside
assert_unchanged), then the allowed ones, which must write something.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from domain.access import Role
from domain.feedback.models import SurveyInstance, SurveyTemplate
from domain.meetings.models import MeetingStatus
from domain.people.models import Person
from domain.programs.models import Program
from domain.relationships.models import Relationship
from schema.feedback.mutations import FeedbackMutations
from tests.factories import make_person, make_program
from tests.factories_feedback import make_template
from tests.factories_meetings import make_meeting, make_relationship
from tests.schema.authorization import (
    ADMIN,
    ANALYST,
    COORDINATOR,
    OVERSEERS,
    OWNER,
    ROLES,
    Read,
    Write,
    assert_write_matrix,
    cast_around,
    mutation_names,
    wrong_reads,
)
from tests.support import gid

_occasions = itertools.count(1)


@dataclass
class World:
    people: dict[str, tuple[Person, Role]]
    program: Program
    relationship: Relationship
    template: SurveyTemplate
    survey: SurveyInstance


async def build_world() -> World:
    cora, dan = await make_person(name="Cora"), await make_person(name="Dan")
    maria, ben = await make_person(name="Maria"), await make_person(name="Ben")
    program = await make_program(coordinators=[cora])
    await make_program(coordinators=[dan])
    now = datetime.now(UTC)
    relationship = await make_relationship(maria, ben, program=program, started_at=now - timedelta(days=15))
    # Held, then missed twice: the streak that puts the pair on the at-risk list.
    for hours_ago, status in ((48, MeetingStatus.HELD), (24, MeetingStatus.MISSED), (5, MeetingStatus.MISSED)):
        await make_meeting(relationship, maria, ben, start=now - timedelta(hours=hours_ago), status=status)
    template = await make_template(program, anonymous=False)
    survey = await SurveyInstance.create(
        template=template, relationship=relationship, person=ben, due_at=datetime.now(UTC) - timedelta(days=1)
    )
    people = await cast_around(owner=ben, partner=maria, coordinator=cora, other_coordinator=dan)
    return World(people, program, relationship, template, survey)


def ids(world: World) -> dict[str, str]:
    return {
        "survey": gid("Survey", world.survey.id),
        "program": gid("Program", world.program.id),
        "template": gid("SurveyTemplate", world.template.id),
    }


RESULTS = """
query($template: ID!) {
  surveyResults(templateId: $template, period: {start: "2020-01-01", end: "2024-12-31"}) {
    __typename ... on SurveyResults { respondents suppressed }
  }
}
"""


READS = [
    Read(
        "mySurveys",
        "{ mySurveys { name } }",
        {OWNER},
        {"mySurveys": [{"name": "Pulse"}]},
        {"mySurveys": []},
    ),
    Read(
        "a survey by its ID",
        "query($survey: ID!) { node(id: $survey) { ... on Survey { name answered } } }",
        {OWNER},
        {"node": {"name": "Pulse", "answered": False}},
        {"node": None},
    ),
    Read(
        "the at-risk list's signals",
        "query($program: ID!) { atRiskRelationships(programId: $program) { signals { kind value } } }",
        OVERSEERS,
        {"atRiskRelationships": [{"signals": [{"kind": "MISSED_MEETING_STREAK", "value": 2}]}]},
        {"atRiskRelationships": None},
    ),
    Read(
        "surveyResults (aggregates and free text, for who reads the program's analytics)",
        RESULTS,
        {*OVERSEERS, ANALYST},
        {"surveyResults": {"__typename": "SurveyResults", "respondents": 0, "suppressed": False}},
        {"surveyResults": {"__typename": "PermissionDeniedError"}},
    ),
]


@pytest.mark.parametrize("role", ROLES)
async def test_each_role_reads_exactly_what_it_may(gql, db, role):
    world = await build_world()
    wrong = await wrong_reads(gql, READS, ids(world), role, world.people)
    assert not wrong, "\n".join(wrong)


async def _template_input(world: World) -> dict:
    return {
        "programId": gid("Program", world.program.id),
        "name": "Closing survey",
        "schedule": "AT_CLOSURE",
        "includePulseQuestion": True,
    }


async def _owners_open_survey(world: World) -> dict:
    """A fresh unanswered survey of the owner's each time, so every allowed attempt has one to answer."""
    owner = world.people[OWNER][0]
    survey = await SurveyInstance.create(
        template=world.template,
        relationship=world.relationship,
        person=owner,
        occasion=next(_occasions),
        due_at=datetime.now(UTC),
    )
    rating, yes, text = await world.template.questions.all().order_by("position")
    return {
        "surveyId": gid("Survey", survey.id),
        "answers": [
            {"questionId": gid("SurveyQuestion", rating.id), "rating": 3},
            {"questionId": gid("SurveyQuestion", yes.id), "yes": False},
            {"questionId": gid("SurveyQuestion", text.id), "text": "Fine"},
        ],
    }


WRITES = [
    Write(
        "createSurveyTemplate",
        "CreateSurveyTemplateInput",
        (COORDINATOR, ADMIN),
        _template_input,
        denied="PermissionDeniedError",
    ),
    Write("submitSurveyResponse", "SubmitSurveyResponseInput", (OWNER,), _owners_open_survey),
]


@pytest.mark.parametrize("write", WRITES, ids=lambda write: write.mutation)
async def test_each_mutation_is_open_to_its_roles_only_and_a_denial_writes_nothing(gql, db, write):
    await assert_write_matrix(gql, write, await build_world())


def test_every_feedback_mutation_is_in_the_matrix():
    """A mutation added to the feedback schema without a row here fails this test."""
    assert mutation_names(FeedbackMutations) == {write.mutation for write in WRITES}
