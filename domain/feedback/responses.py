"""Answering a survey: the viewer's open surveys, and a response written once, anonymous where the template is.

For an anonymous template the response row gets neither the respondent, nor the relationship, nor the
instance, nor a time finer than the month; the instance learns only that it was answered. Nothing is
logged about who answered what.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.errors import Conflict, NotFound, ValidationFailed
from domain.feedback import log_privacy
from domain.feedback.models import (
    QuestionKind,
    SurveyAnswer,
    SurveyInstance,
    SurveyQuestion,
    SurveyResponse,
)

MAX_TEXT = 1000

log_privacy.install()


@dataclass(frozen=True)
class AnswerInput:
    question_id: int
    rating: int | None = None
    yes: bool | None = None
    text: str | None = None


async def my_open_surveys(viewer: Viewer) -> list[SurveyInstance]:
    """The viewer's unanswered surveys, soonest due first."""
    if viewer.person_id is None:
        return []
    return (
        await SurveyInstance.filter(person_id=viewer.person_id, answered=False)
        .order_by("due_at", "id")
        .prefetch_related("template")
    )


def _checked(answer: AnswerInput, question: SurveyQuestion, field: str) -> SurveyAnswer:
    values = (("rating", answer.rating), ("yes", answer.yes), ("text", answer.text))
    given = [name for name, value in values if value is not None]
    expected = {QuestionKind.RATING: "rating", QuestionKind.YES_NO: "yes", QuestionKind.SHORT_TEXT: "text"}[
        question.kind
    ]
    if given != [expected]:
        raise ValidationFailed(f"This question takes exactly one answer: {expected}.", field=f"{field}.{expected}")
    if question.kind is QuestionKind.RATING and not 1 <= answer.rating <= 5:
        raise ValidationFailed("A rating is from 1 to 5.", field=f"{field}.rating")
    if question.kind is QuestionKind.SHORT_TEXT and not 1 <= len(answer.text.strip()) <= MAX_TEXT:
        raise ValidationFailed(f"A short answer has 1 to {MAX_TEXT} characters.", field=f"{field}.text")
    text = answer.text.strip() if answer.text is not None else None
    return SurveyAnswer(question_id=question.id, rating=answer.rating, yes=answer.yes, text=text)


def _validated(answers: Sequence[AnswerInput], questions: Sequence[SurveyQuestion]) -> list[SurveyAnswer]:
    by_id = {q.id: q for q in questions}
    seen: set[int] = set()
    rows = []
    for index, answer in enumerate(answers):
        field = f"answers[{index}]"
        question = by_id.get(answer.question_id)
        if question is None:
            raise ValidationFailed("Not a question of this survey.", field=f"{field}.question_id")
        if question.id in seen:
            raise ValidationFailed("This question is answered twice.", field=f"{field}.question_id")
        seen.add(question.id)
        rows.append(_checked(answer, question, field))
    missing = [q for q in questions if q.id not in seen]
    if missing:
        raise ValidationFailed(f"Question {missing[0].position + 1} is not answered.", field="answers")
    return rows


async def submit_response(
    viewer: Viewer, *, instance_id: int, answers: Sequence[AnswerInput], now: datetime.datetime
) -> SurveyInstance:
    """Answers one of the viewer's own surveys, once. Someone else's survey is NotFound, as if it did not exist."""
    instance = await SurveyInstance.get_or_none(id=instance_id).prefetch_related("template")
    if instance is None or not viewer.is_person(instance.person_id):
        raise NotFound("No such survey.", field="survey_id")
    if instance.answered:
        raise Conflict("This survey has already been answered.", field="survey_id")
    questions = await SurveyQuestion.filter(template_id=instance.template_id)
    rows = _validated(answers, questions)
    named = not instance.template.anonymous
    async with in_transaction():
        # The guarded flip decides a race between two submissions: only one sees the row still unanswered.
        if not await SurveyInstance.filter(id=instance.id, answered=False).update(answered=True):
            raise Conflict("This survey has already been answered.", field="survey_id")
        response = await SurveyResponse.create(
            template_id=instance.template_id,
            month=now.date().replace(day=1),
            respondent_id=instance.person_id if named else None,
            relationship_id=instance.relationship_id if named else None,
        )
        for row in rows:
            row.response = response
        await SurveyAnswer.bulk_create(rows)
    instance.answered = True
    return instance
