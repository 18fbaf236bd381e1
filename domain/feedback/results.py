"""A survey's results over a period, for the program's coordinators, admins and analysts: totals per question
and the free-text answers, all only when at least 5 people answered.

Answers are kept per month (anonymous ones carry nothing finer), so a period is answered only when every
month in it holds no answer or at least five: two overlapping periods then never differ by fewer than five
people. Texts come sorted, never in the order they were given, and never with a name.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from domain.access import Viewer
from domain.analytics.access import require_program_reader
from domain.analytics.period import Period
from domain.analytics.program_figures import rate
from domain.analytics.suppression import blocks_are_safe, is_small
from domain.errors import NotFound
from domain.feedback.models import QuestionKind, SurveyAnswer, SurveyQuestion, SurveyResponse, SurveyTemplate


@dataclass(frozen=True)
class QuestionResult:
    question: SurveyQuestion
    answers: int | None
    mean_rating: float | None = None
    yes_share: float | None = None
    texts: tuple[str, ...] = ()


@dataclass(frozen=True)
class SurveyResults:
    template: SurveyTemplate
    period: Period
    respondents: int | None
    suppressed: bool
    questions: list[QuestionResult]


async def survey_results(viewer: Viewer, *, template_id: int, period: Period) -> SurveyResults:
    template = await SurveyTemplate.get_or_none(id=template_id)
    if template is None:
        raise NotFound("No such survey template.", field="template_id")
    await require_program_reader(viewer, template.program_id)
    questions = await SurveyQuestion.filter(template_id=template_id).order_by("position")
    months = period.months()
    responses = await SurveyResponse.filter(template_id=template_id, month__gte=months[0], month__lte=period.end)
    per_month = Counter(response.month for response in responses)
    if is_small(len(responses)) or not blocks_are_safe(per_month.values()):
        return SurveyResults(template, period, None, True, [QuestionResult(q, None) for q in questions])
    answers: dict[int, list[SurveyAnswer]] = defaultdict(list)
    for answer in await SurveyAnswer.filter(response_id__in=[r.id for r in responses]):
        answers[answer.question_id].append(answer)
    return SurveyResults(template, period, len(responses), False, [_result(q, answers[q.id]) for q in questions])


def _result(question: SurveyQuestion, answers: list[SurveyAnswer]) -> QuestionResult:
    if question.kind is QuestionKind.RATING:
        ratings = [a.rating for a in answers]
        mean = round(statistics.fmean(ratings), 2) if ratings else None
        return QuestionResult(question, len(answers), mean_rating=mean)
    if question.kind is QuestionKind.YES_NO:
        return QuestionResult(question, len(answers), yes_share=rate(sum(bool(a.yes) for a in answers), len(answers)))
    return QuestionResult(question, len(answers), texts=tuple(sorted(a.text for a in answers)))
