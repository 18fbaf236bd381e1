"""A retried creating mutation does its work once: the same key and input answer as the first time and write
nothing; the same key with other input is a ConflictError; keys are each viewer's own and last 24 hours."""

from __future__ import annotations

import asyncio
import datetime

import pytest

from domain.access import Role
from domain.goals.models import Goal
from domain.idempotency.models import IdempotencyRecord
from domain.meetings.models import Meeting
from domain.people.models import Person
from domain.programs.models import Cadence
from domain.relationships.models import RelationshipStatus
from tests.factories import make_person, make_program
from tests.factories_meetings import make_working_pair
from tests.factories_relationships import make_pair
from tests.support import assert_unchanged, gid

CREATE_GOAL = """mutation($input: CreateGoalInput!) {
  createGoal(input: $input) { __typename ... on GoalPayload { goal { id title } } ... on Error { code field } }
}"""
IMPORT = """mutation($input: ImportPeopleInput!) {
  importPeople(input: $input) { __typename ... on ImportPeoplePayload { created updated } ... on Error { code field } }
}"""


async def a_mentee():
    mentee, mentor = await make_person(name="Ben"), await make_person(name="Maria")
    relationship, _ = await make_pair(mentor, mentee, program=await make_program(), status=RelationshipStatus.ACTIVE)
    return mentee, gid("Relationship", relationship.id)


async def test_a_replayed_create_returns_the_first_answer_and_writes_nothing(gql, db):
    mentee, relationship = await a_mentee()
    variables = {"input": {"title": "Lead a design review", "relationshipId": relationship, "idempotencyKey": "k-1"}}
    first = await gql(CREATE_GOAL, variables, as_=mentee)

    async with assert_unchanged():
        again = await gql(CREATE_GOAL, variables, as_=mentee)

    assert first["createGoal"]["__typename"] == "GoalPayload"
    assert again == first
    assert await Goal.filter(title="Lead a design review").count() == 1


async def test_the_same_key_with_other_input_is_a_conflict_that_writes_nothing(gql, db):
    mentee, relationship = await a_mentee()
    await gql(
        CREATE_GOAL, {"input": {"title": "One", "relationshipId": relationship, "idempotencyKey": "k"}}, as_=mentee
    )

    async with assert_unchanged():
        other = await gql(
            CREATE_GOAL, {"input": {"title": "Two", "relationshipId": relationship, "idempotencyKey": "k"}}, as_=mentee
        )

    assert other["createGoal"] == {"__typename": "ConflictError", "code": "CONFLICT", "field": "idempotencyKey"}


async def test_keys_are_each_viewers_own(gql, db):
    admin = await make_person(name="Ada")
    other_admin = await make_person(name="Otto")
    csv = "email,name\nnew@example.com,New"
    await gql(IMPORT, {"input": {"csv": csv, "idempotencyKey": "import-1"}}, as_=admin, role=Role.ADMIN)

    second = await gql(IMPORT, {"input": {"csv": csv, "idempotencyKey": "import-1"}}, as_=other_admin, role=Role.ADMIN)

    # Otto's key is his own: his import ran (and found the person already there).
    assert second["importPeople"] == {"__typename": "ImportPeoplePayload", "created": 0, "updated": 0}


async def test_a_replayed_import_answers_with_the_first_report(gql, db):
    admin = await make_person(name="Ada")
    variables = {"input": {"csv": "email,name\nnew@example.com,New", "idempotencyKey": "import-1"}}
    first = await gql(IMPORT, variables, as_=admin, role=Role.ADMIN)

    async with assert_unchanged():
        again = await gql(IMPORT, variables, as_=admin, role=Role.ADMIN)

    assert first == again == {"importPeople": {"__typename": "ImportPeoplePayload", "created": 1, "updated": 0}}


async def test_a_key_older_than_a_day_is_free_again(gql, db):
    mentee, relationship = await a_mentee()
    variables = {"input": {"title": "Yearly", "relationshipId": relationship, "idempotencyKey": "k"}}
    await gql(CREATE_GOAL, variables, as_=mentee)
    await IdempotencyRecord.all().update(created_at=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=25))

    await gql(CREATE_GOAL, variables, as_=mentee)

    assert await Goal.filter(title="Yearly").count() == 2


async def test_a_failed_first_attempt_keeps_no_key(gql, db):
    mentee, relationship = await a_mentee()
    bad = {"input": {"title": " ", "relationshipId": relationship, "idempotencyKey": "k"}}
    async with assert_unchanged():
        refused = await gql(CREATE_GOAL, bad, as_=mentee)
    assert refused["createGoal"]["__typename"] == "ValidationError"

    good = await gql(CREATE_GOAL, {"input": {**bad["input"], "title": "Fixed"}}, as_=mentee)
    assert good["createGoal"]["__typename"] == "GoalPayload"


async def test_an_empty_or_overlong_key_is_refused_naming_the_field(gql, db):
    mentee, relationship = await a_mentee()
    for key in ("", "x" * 201):
        async with assert_unchanged():
            result = await gql(
                CREATE_GOAL,
                {"input": {"title": "T", "relationshipId": relationship, "idempotencyKey": key}},
                as_=mentee,
            )
        assert result["createGoal"] == {
            "__typename": "ValidationError",
            "code": "VALIDATION",
            "field": "idempotencyKey",
        }


@pytest.mark.postgres_only
async def test_concurrent_replays_write_once_and_all_get_the_first_answer(gql, db):
    admin = await make_person(name="Ada")
    variables = {"input": {"csv": "email,name\nrace@example.com,Race", "idempotencyKey": "retry-storm"}}

    answers = await asyncio.gather(*(gql(IMPORT, variables, as_=admin, role=Role.ADMIN) for _ in range(8)))

    assert all(answer == answers[0] for answer in answers), answers
    assert answers[0]["importPeople"]["created"] == 1
    assert await Person.filter(email="race@example.com").count() == 1
    assert await IdempotencyRecord.all().count() == 1


OPTED_IN = {
    "bookMeeting": "BookMeetingInput",
    "bookSeries": "BookSeriesInput",
    "requestMentor": "RequestMentorInput",
    "proposeRelationship": "ProposeRelationshipInput",
    "createGoal": "CreateGoalInput",
    "writeReflection": "WriteReflectionInput",
    "enroll": "EnrollInput",
    "importPeople": "ImportPeopleInput",
}


def test_every_creating_mutation_a_client_may_retry_takes_an_idempotency_key(app):
    schema = app.state.schema._schema
    for mutation, input_type in OPTED_IN.items():
        assert schema.mutation_type.fields[mutation].args["input"].type.of_type.name == input_type
        assert "idempotencyKey" in schema.type_map[input_type].fields, mutation


async def test_a_retried_series_booking_books_the_series_once(gql, db):
    from tests.schema.test_meetings_series import BOOK_SERIES, series_input

    program = await make_program(cadence=Cadence.MONTHLY, meeting_minutes=45, duration_months=12)
    ana, _, relationship = await make_working_pair(program=program)
    variables = series_input(relationship, count=12, title="Monthly", idempotencyKey="phone-retry-1")
    first = await gql(BOOK_SERIES, variables, as_=ana)

    async with assert_unchanged():
        again = await gql(BOOK_SERIES, variables, as_=ana)

    assert first["bookSeries"]["__typename"] == "BookSeriesPayload"
    assert again == first
    assert await Meeting.all().count() == 12
