"""Queries: the viewer's open surveys, and a survey's results for who oversees its program."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.feedback import responses, results
from schema.analytics.types import PeriodInput
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.feedback.results import SurveyResults
from schema.feedback.types import Survey
from schema.relay_ids import decode_id

SurveyResultsResult = result_union("SurveyResultsResult", SurveyResults)


@strawberry.type
class FeedbackQueries:
    @strawberry.field(description="Your unanswered surveys, soonest due first.")
    async def my_surveys(self, info: Info) -> list[Survey]:
        rows = await responses.my_open_surveys(info.context.viewer)
        return [Survey.from_model(row, row.template) for row in rows]

    @strawberry.field(
        description="A survey template's answers over a period, for analysts, admins and the program's "
        "coordinators: totals per question and the free-text answers, from 5 respondents up."
    )
    async def survey_results(self, info: Info, template_id: relay.GlobalID, period: PeriodInput) -> SurveyResultsResult:
        return await run_mutation(
            lambda: results.survey_results(
                info.context.viewer,
                template_id=decode_id(template_id, "SurveyTemplate", field="templateId"),
                period=period.to_domain(),
            ),
            SurveyResults.from_domain,
        )
