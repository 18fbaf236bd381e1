"""GraphQL types for a survey's results: totals per question and free-text answers, from 5 respondents up."""

from __future__ import annotations

import datetime

import strawberry

from domain.feedback import results
from schema.feedback.types import SurveyQuestion, SurveyTemplate


@strawberry.type(description="One question's answers over the period; null (texts empty) when suppressed.")
class SurveyQuestionResult:
    question: SurveyQuestion
    answers: int | None
    mean_rating: float | None = strawberry.field(description="RATING questions.")
    yes_share: float | None = strawberry.field(description="YES_NO questions.")
    texts: list[str] = strawberry.field(
        description="SHORT_TEXT answers, sorted, never with a name or in the order given; only from 5 respondents."
    )


@strawberry.type(
    description="A survey's answers over the period's months: shown only when at least 5 people answered and no "
    "month of the period holds 1 to 4 answers."
)
class SurveyResults:
    template: SurveyTemplate
    start: datetime.date
    end: datetime.date
    respondents: int | None
    suppressed: bool
    questions: list[SurveyQuestionResult]

    @classmethod
    def from_domain(cls, value: results.SurveyResults) -> SurveyResults:
        return cls(
            template=SurveyTemplate.from_model(value.template),
            start=value.period.start,
            end=value.period.end,
            respondents=value.respondents,
            suppressed=value.suppressed,
            questions=[
                SurveyQuestionResult(
                    question=SurveyQuestion.from_model(q.question),
                    answers=q.answers,
                    mean_rating=q.mean_rating,
                    yes_share=q.yes_share,
                    texts=list(q.texts),
                )
                for q in value.questions
            ],
        )
