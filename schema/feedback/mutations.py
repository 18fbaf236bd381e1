"""Mutations: creating a program's survey template, and answering a survey."""

from __future__ import annotations

import strawberry
from strawberry import relay

from domain.clock import utc_now
from domain.feedback import responses, templates
from schema.context import Info
from schema.errors import result_union, run_mutation
from schema.feedback.types import QuestionKind, Survey, SurveySchedule, SurveyTemplate
from schema.relay_ids import decode_id


@strawberry.input
class SurveyQuestionInput:
    kind: QuestionKind
    prompt: str
    is_pulse: bool = strawberry.field(default=False, description="At most one, a RATING.")


@strawberry.input
class CreateSurveyTemplateInput:
    program_id: relay.GlobalID
    name: str
    schedule: SurveySchedule
    anonymous: bool = True
    questions: list[SurveyQuestionInput] = strawberry.field(default_factory=list)
    include_pulse_question: bool = strawberry.field(
        default=False, description="Starts with the guide's rating: \"How's your mentoring relationship going?\""
    )
    include_intergenerational_question: bool = strawberry.field(
        default=False,
        description="Ends with the guide's yes/no: \"Has this mentoring relationship changed your views about "
        'people from a different generation?"',
    )


@strawberry.type
class CreateSurveyTemplatePayload:
    template: SurveyTemplate


CreateSurveyTemplateResult = result_union("CreateSurveyTemplateResult", CreateSurveyTemplatePayload)


@strawberry.input(description="Exactly one of rating (1-5), yes or text, as the question's kind asks.")
class SurveyAnswerInput:
    question_id: relay.GlobalID
    rating: int | None = None
    yes: bool | None = None
    text: str | None = None


@strawberry.input
class SubmitSurveyResponseInput:
    survey_id: relay.GlobalID
    answers: list[SurveyAnswerInput]


@strawberry.type
class SubmitSurveyResponsePayload:
    survey: Survey


SubmitSurveyResponseResult = result_union("SubmitSurveyResponseResult", SubmitSurveyResponsePayload)


def _question_specs(input: CreateSurveyTemplateInput) -> list[templates.QuestionSpec]:
    specs = [templates.QuestionSpec(q.kind, q.prompt, q.is_pulse) for q in input.questions]
    if input.include_pulse_question:
        specs.insert(0, templates.pulse_question())
    if input.include_intergenerational_question:
        specs.append(templates.intergenerational_question())
    return specs


def _answers(input: SubmitSurveyResponseInput) -> list[responses.AnswerInput]:
    return [
        responses.AnswerInput(
            question_id=decode_id(answer.question_id, "SurveyQuestion", field=f"answers[{index}].questionId"),
            rating=answer.rating,
            yes=answer.yes,
            text=answer.text,
        )
        for index, answer in enumerate(input.answers)
    ]


@strawberry.type
class FeedbackMutations:
    @strawberry.mutation(description="For the program's coordinators and admins.")
    async def create_survey_template(self, info: Info, input: CreateSurveyTemplateInput) -> CreateSurveyTemplateResult:
        return await run_mutation(
            lambda: templates.create_template(
                info.context.viewer,
                program_id=decode_id(input.program_id, "Program", field="programId"),
                name=input.name,
                schedule=input.schedule,
                anonymous=input.anonymous,
                questions=_question_specs(input),
            ),
            lambda row: CreateSurveyTemplatePayload(template=SurveyTemplate.from_model(row)),
        )

    @strawberry.mutation(description="Answers one of your surveys, once. Anonymous answers keep no link to you.")
    async def submit_survey_response(self, info: Info, input: SubmitSurveyResponseInput) -> SubmitSurveyResponseResult:
        return await run_mutation(
            lambda: responses.submit_response(
                info.context.viewer,
                instance_id=decode_id(input.survey_id, "Survey", field="surveyId"),
                answers=_answers(input),
                now=utc_now(),
            ),
            lambda row: SubmitSurveyResponsePayload(survey=Survey.from_model(row, row.template)),
        )
