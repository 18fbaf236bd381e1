"""surveyResults: totals per question and the free-text answers, shown from 5 respondents and never under 5,
against differencing by months, and unattributable (sorted, nameless)."""

from __future__ import annotations

import datetime

import pytest

from domain.access import Role
from domain.feedback.models import SurveyAnswer, SurveyQuestion, SurveyResponse
from tests.factories import make_person, make_program
from tests.factories_feedback import make_template
from tests.support import assert_unchanged, gid

RESULTS = """
query R($template: ID!, $period: PeriodInput!) {
  surveyResults(templateId: $template, period: $period) {
    __typename
    ... on SurveyResults {
      start end respondents suppressed
      questions { question { kind } answers meanRating yesShare texts }
    }
    ... on Error { code field }
  }
}
"""
MARCH = {"start": "2026-03-01", "end": "2026-03-31"}
JANUARY = datetime.date(2026, 1, 1)
MARCH_1 = datetime.date(2026, 3, 1)
APRIL = datetime.date(2026, 4, 1)


async def _answer(template, month, rating, yes, text):
    rating_q, yes_q, text_q = await SurveyQuestion.filter(template=template).order_by("position")
    response = await SurveyResponse.create(template=template, month=month)
    await SurveyAnswer.create(response=response, question=rating_q, rating=rating)
    await SurveyAnswer.create(response=response, question=yes_q, yes=yes)
    await SurveyAnswer.create(response=response, question=text_q, text=text)


@pytest.fixture
async def survey(db):
    """Five answers in March (ratings 5, 4, 4, 3, 2; three yes), and one in April."""
    cora = await make_person(name="Cora")
    program = await make_program(coordinators=[cora])
    template = await make_template(program)
    for rating, yes, text in [(5, True, "Zest"), (4, True, "Apt"), (4, False, "More time"), (3, True, "Meh"),
                              (2, False, "Busy")]:  # fmt: skip
        await _answer(template, MARCH_1, rating, yes, text)
    await _answer(template, APRIL, 1, False, "Only one answered in April")
    return dict(cora=cora, template=template)


async def _results(gql, survey, period=MARCH, role=Role.COORDINATOR):
    variables = {"template": gid("SurveyTemplate", survey["template"].id), "period": period}
    return (await gql(RESULTS, variables, as_=survey["cora"], role=role))["surveyResults"]


async def test_five_respondents_show_every_total_and_their_texts_sorted(gql, survey):
    results = await _results(gql, survey)

    assert (results["respondents"], results["suppressed"]) == (5, False)
    assert results["questions"] == [
        {"question": {"kind": "RATING"}, "answers": 5, "meanRating": 3.6, "yesShare": None, "texts": []},
        {"question": {"kind": "YES_NO"}, "answers": 5, "meanRating": None, "yesShare": 0.6, "texts": []},
        {
            "question": {"kind": "SHORT_TEXT"},
            "answers": 5,
            "meanRating": None,
            "yesShare": None,
            "texts": ["Apt", "Busy", "Meh", "More time", "Zest"],
        },
    ]


async def test_four_respondents_show_no_text_and_no_total(gql, survey):
    last = await SurveyResponse.filter(month=MARCH_1).order_by("-id").first()
    await SurveyAnswer.filter(response=last).delete()
    await last.delete()

    results = await _results(gql, survey)

    assert (results["respondents"], results["suppressed"]) == (None, True)
    assert all(q["answers"] is None and q["texts"] == [] for q in results["questions"])


async def test_stretching_the_period_by_one_answer_reveals_nothing_about_it(gql, survey):
    stretched = await _results(gql, survey, {"start": "2026-03-01", "end": "2026-04-30"})

    # March alone is shown; March and April differ by one person, so together they are not
    assert (stretched["respondents"], stretched["suppressed"]) == (None, True)
    assert all(q["texts"] == [] for q in stretched["questions"])


async def test_a_period_with_no_answers_is_empty_not_an_error(gql, survey):
    results = await _results(gql, survey, {"start": "2025-01-01", "end": "2025-12-31"})

    assert (results["__typename"], results["respondents"], results["suppressed"]) == ("SurveyResults", 0, False)
    assert [q["answers"] for q in results["questions"]] == [0, 0, 0]


async def test_a_participant_is_refused_and_a_wrong_id_names_the_field(gql, survey):
    async with assert_unchanged():
        refused = await _results(gql, survey, role=Role.PARTICIPANT)
        wrong = (await gql(RESULTS, {"template": gid("Program", 1), "period": MARCH}, as_=survey["cora"]))[
            "surveyResults"
        ]

    assert (refused["__typename"], refused["field"]) == ("PermissionDeniedError", "programId")
    assert (wrong["code"], wrong["field"]) == ("VALIDATION", "templateId")
