"""Surveys over GraphQL: creating a template, mySurveys, submitSurveyResponse, anonymity and at-risk signals."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta

import pytest
from tortoise import connections

from domain.access import Role
from domain.feedback.models import SurveyAnswer, SurveyInstance, SurveyResponse
from domain.feedback.sweeps import open_due_surveys
from domain.meetings.models import MeetingStatus
from domain.programs.models import Cadence
from tests.factories import make_person, make_program
from tests.factories_feedback import make_template
from tests.factories_meetings import make_meeting, make_relationship
from tests.support import assert_unchanged, gid

CREATE = """
mutation C($input: CreateSurveyTemplateInput!) {
  createSurveyTemplate(input: $input) {
    __typename
    ... on CreateSurveyTemplatePayload { template { name schedule anonymous questions { kind prompt isPulse } } }
    ... on Error { code field message }
  }
}
"""
MINE = "{ mySurveys { id name anonymous answered questions { id kind prompt isPulse } relationship { id } } }"
SUBMIT = """
mutation S($input: SubmitSurveyResponseInput!) {
  submitSurveyResponse(input: $input) {
    __typename
    ... on SubmitSurveyResponsePayload { survey { id answered } }
    ... on Error { code field message }
  }
}
"""
AT_RISK = "query R($id: ID!) { atRiskRelationships(programId: $id) { relationshipId signals { kind value } } }"


@pytest.fixture
async def asked(db):
    """Maya and Olivia are two weeks into a relationship in Cody's program."""
    maya, olivia = await make_person(name="Maya"), await make_person(name="Olivia")
    cody = await make_person(name="Cody")
    program = await make_program(coordinators=[cody], cadence=Cadence.MONTHLY)
    started = datetime.now(UTC) - timedelta(days=15)
    relationship = await make_relationship(olivia, maya, program=program, started_at=started)
    return dict(maya=maya, olivia=olivia, cody=cody, program=program, relationship=relationship)


async def _my_survey(gql, person):
    surveys = (await gql(MINE, as_=person))["mySurveys"]
    assert len(surveys) == 1
    return surveys[0]


def _answers(survey, rating=4, yes=True, text="Going well"):
    rating_q, yes_q, text_q = survey["questions"]
    return [
        {"questionId": rating_q["id"], "rating": rating},
        {"questionId": yes_q["id"], "yes": yes},
        {"questionId": text_q["id"], "text": text},
    ]


async def test_a_coordinator_creates_a_template_with_the_guides_questions(gql, asked):
    variables = {
        "input": {
            "programId": gid("Program", asked["program"].id),
            "name": "Three-month check-in",
            "schedule": "THREE_MONTH_CHECK_IN",
            "includePulseQuestion": True,
            "includeIntergenerationalQuestion": True,
            "questions": [{"kind": "SHORT_TEXT", "prompt": "What helped most?"}],
        }
    }

    result = (await gql(CREATE, variables, as_=asked["cody"], role=Role.COORDINATOR))["createSurveyTemplate"]

    assert result["template"] == {
        "name": "Three-month check-in",
        "schedule": "THREE_MONTH_CHECK_IN",
        "anonymous": True,
        "questions": [
            {"kind": "RATING", "prompt": "How's your mentoring relationship going?", "isPulse": True},
            {"kind": "SHORT_TEXT", "prompt": "What helped most?", "isPulse": False},
            {
                "kind": "YES_NO",
                "prompt": "Has this mentoring relationship changed your views about people from a different "
                "generation?",
                "isPulse": False,
            },
        ],
    }


async def test_a_template_without_questions_or_with_a_text_pulse_is_refused_naming_the_field(gql, asked):
    base = {"programId": gid("Program", asked["program"].id), "name": "Pulse", "schedule": "QUARTERLY"}
    text_pulse = {**base, "questions": [{"kind": "SHORT_TEXT", "prompt": "How is it?", "isPulse": True}]}
    async with assert_unchanged():
        empty = (await gql(CREATE, {"input": base}, as_=asked["cody"], role=Role.COORDINATOR))["createSurveyTemplate"]
        pulse = (await gql(CREATE, {"input": text_pulse}, as_=asked["cody"], role=Role.COORDINATOR))[
            "createSurveyTemplate"
        ]
    assert (empty["code"], empty["field"]) == ("VALIDATION", "questions")
    assert (pulse["code"], pulse["field"]) == ("VALIDATION", "questions[0].isPulse")


async def test_a_member_answers_their_survey_once_and_it_leaves_my_surveys(gql, asked):
    await make_template(asked["program"])
    await open_due_surveys(datetime.now(UTC))
    survey = await _my_survey(gql, asked["maya"])
    assert survey["relationship"] == {"id": gid("Relationship", asked["relationship"].id)}

    result = await gql(SUBMIT, {"input": {"surveyId": survey["id"], "answers": _answers(survey)}}, as_=asked["maya"])

    assert result["submitSurveyResponse"] == {
        "__typename": "SubmitSurveyResponsePayload",
        "survey": {"id": survey["id"], "answered": True},
    }
    assert (await gql(MINE, as_=asked["maya"]))["mySurveys"] == []
    assert len((await gql(MINE, as_=asked["olivia"]))["mySurveys"]) == 1
    answers = await SurveyAnswer.all().order_by("question_id").values_list("rating", "yes", "text")
    assert answers == [(4, None, None), (None, True, None), (None, None, "Going well")]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda a: a[0].update(rating=6), "answers[0].rating"),
        (lambda a: a[0].update(rating=0), "answers[0].rating"),
        (lambda a: a[1].update(yes=None, text="maybe"), "answers[1].yes"),
        (lambda a: a[2].update(text="   "), "answers[2].text"),
        (lambda a: a.pop(), "answers"),
        (lambda a: a.append(dict(a[0])), "answers[3].questionId"),
    ],
)
async def test_a_bad_answer_is_a_validation_error_naming_the_field_and_writes_nothing(gql, asked, change, field):
    await make_template(asked["program"])
    await open_due_surveys(datetime.now(UTC))
    survey = await _my_survey(gql, asked["maya"])
    answers = _answers(survey)
    change(answers)

    async with assert_unchanged():
        result = await gql(SUBMIT, {"input": {"surveyId": survey["id"], "answers": answers}}, as_=asked["maya"])

    assert (result["submitSurveyResponse"]["code"], result["submitSurveyResponse"]["field"]) == ("VALIDATION", field)


async def test_someone_elses_survey_is_not_found_and_a_second_answer_is_a_conflict(gql, asked):
    await make_template(asked["program"])
    await open_due_surveys(datetime.now(UTC))
    survey = await _my_survey(gql, asked["maya"])
    variables = {"input": {"surveyId": survey["id"], "answers": _answers(survey)}}

    for intruder, role in ((asked["olivia"], Role.PARTICIPANT), (asked["cody"], Role.COORDINATOR)):
        async with assert_unchanged():
            denied = (await gql(SUBMIT, variables, as_=intruder, role=role))["submitSurveyResponse"]
        assert (denied["code"], denied["field"]) == ("NOT_FOUND", "surveyId")
    await gql(SUBMIT, variables, as_=asked["maya"])
    async with assert_unchanged():
        again = (await gql(SUBMIT, variables, as_=asked["maya"]))["submitSurveyResponse"]
    assert (again["code"], again["field"]) == ("CONFLICT", "surveyId")


@pytest.mark.postgres_only
async def test_two_submissions_at_once_record_one_response(gql, asked):
    await make_template(asked["program"])
    await open_due_surveys(datetime.now(UTC))
    survey = await _my_survey(gql, asked["maya"])
    variables = {"input": {"surveyId": survey["id"], "answers": _answers(survey)}}

    results = await asyncio.gather(*(gql(SUBMIT, variables, as_=asked["maya"]) for _ in range(4)))

    kinds = sorted(r["submitSurveyResponse"]["__typename"] for r in results)
    assert kinds == ["ConflictError"] * 3 + ["SubmitSurveyResponsePayload"]
    assert await SurveyResponse.all().count() == 1
    assert await SurveyAnswer.all().count() == 3


async def test_an_anonymous_answer_cannot_be_joined_back_to_its_respondent(gql, asked, caplog):
    await make_template(asked["program"], anonymous=True)
    await open_due_surveys(datetime.now(UTC))
    survey = await _my_survey(gql, asked["maya"])
    instance_before = await SurveyInstance.get(person_id=asked["maya"].id).values()
    caplog.set_level(logging.DEBUG)

    answers = _answers(survey, text="Olivia keeps cancelling on me")
    await gql(SUBMIT, {"input": {"surveyId": survey["id"], "answers": answers}}, as_=asked["maya"])

    # The response holds nothing that names a person, a relationship or an instance, and only the month.
    _, columns = await connections.get("default").execute_query("SELECT * FROM survey_response")
    assert [set(dict(row)) for row in columns] == [{"id", "template_id", "month", "respondent_id", "relationship_id"}]
    response = await SurveyResponse.get()
    assert (response.respondent_id, response.relationship_id) == (None, None)
    assert response.month == datetime.now(UTC).date().replace(day=1)
    # The instance learns that it was answered, and nothing else changed on it: no time of answering.
    instance_after = await SurveyInstance.get(person_id=asked["maya"].id).values()
    assert {k: v for k, v in instance_after.items() if instance_before[k] != v} == {"answered": True}
    # Even at DEBUG, where the drivers log every statement with its parameters, no line shows the answers
    # or which survey was answered beside the request that names Maya.
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert asked["maya"].email in logged  # the log was capturing
    assert "Olivia keeps cancelling" not in logged
    assert "survey_" not in logged


async def test_a_named_answer_keeps_the_respondent_and_relationship(gql, asked):
    await make_template(asked["program"], anonymous=False)
    await open_due_surveys(datetime.now(UTC))
    survey = await _my_survey(gql, asked["maya"])

    await gql(SUBMIT, {"input": {"surveyId": survey["id"], "answers": _answers(survey)}}, as_=asked["maya"])

    response = await SurveyResponse.get()
    assert (response.respondent_id, response.relationship_id) == (asked["maya"].id, asked["relationship"].id)


async def test_a_low_named_pulse_puts_the_relationship_on_the_at_risk_list_with_the_signal(gql, asked):
    await make_template(asked["program"], anonymous=False)
    await open_due_surveys(datetime.now(UTC))
    await make_meeting(
        asked["relationship"],
        asked["olivia"],
        asked["maya"],
        start=datetime.now(UTC) - timedelta(days=3),
        status=MeetingStatus.HELD,
    )
    variables = {"id": gid("Program", asked["program"].id)}
    assert (await gql(AT_RISK, variables, as_=asked["cody"], role=Role.COORDINATOR))["atRiskRelationships"] == []
    survey = await _my_survey(gql, asked["maya"])

    await gql(SUBMIT, {"input": {"surveyId": survey["id"], "answers": _answers(survey, rating=2)}}, as_=asked["maya"])

    assert (await gql(AT_RISK, variables, as_=asked["cody"], role=Role.COORDINATOR))["atRiskRelationships"] == [
        {
            "relationshipId": gid("Relationship", asked["relationship"].id),
            "signals": [{"kind": "LOW_PULSE", "value": 2}],
        }
    ]


async def test_an_anonymous_low_pulse_points_at_no_relationship(gql, asked):
    await make_template(asked["program"], anonymous=True)
    await open_due_surveys(datetime.now(UTC))
    await make_meeting(
        asked["relationship"],
        asked["olivia"],
        asked["maya"],
        start=datetime.now(UTC) - timedelta(days=3),
        status=MeetingStatus.HELD,
    )
    survey = await _my_survey(gql, asked["maya"])

    await gql(SUBMIT, {"input": {"surveyId": survey["id"], "answers": _answers(survey, rating=1)}}, as_=asked["maya"])

    variables = {"id": gid("Program", asked["program"].id)}
    assert (await gql(AT_RISK, variables, as_=asked["cody"], role=Role.COORDINATOR))["atRiskRelationships"] == []


async def test_two_missed_meetings_in_a_row_put_the_relationship_on_the_at_risk_list(gql, asked):
    now = datetime.now(UTC)
    pair = (asked["olivia"], asked["maya"])
    await make_meeting(asked["relationship"], *pair, start=now - timedelta(days=9), status=MeetingStatus.HELD)
    await make_meeting(asked["relationship"], *pair, start=now - timedelta(days=6), status=MeetingStatus.MISSED)
    variables = {"id": gid("Program", asked["program"].id)}
    assert (await gql(AT_RISK, variables, as_=asked["cody"], role=Role.COORDINATOR))["atRiskRelationships"] == []

    await make_meeting(asked["relationship"], *pair, start=now - timedelta(days=2), status=MeetingStatus.MISSED)

    assert (await gql(AT_RISK, variables, as_=asked["cody"], role=Role.COORDINATOR))["atRiskRelationships"] == [
        {
            "relationshipId": gid("Relationship", asked["relationship"].id),
            "signals": [{"kind": "MISSED_MEETING_STREAK", "value": 2}],
        }
    ]
