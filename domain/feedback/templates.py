"""Survey templates: a program's questions and when they are asked."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tortoise.transactions import in_transaction

from domain.access import Viewer
from domain.errors import NotFound, PermissionDenied, ValidationFailed
from domain.feedback.models import QuestionKind, SurveyQuestion, SurveySchedule, SurveyTemplate
from domain.programs import policy
from domain.programs.models import Program, ProgramCoordinator

MAX_QUESTIONS = 20
MAX_PROMPT = 300

# The guide's questions, offered so every program asks them the same way and results compare.
PULSE_PROMPT = "How's your mentoring relationship going?"
INTERGENERATIONAL_PROMPT = (
    "Has this mentoring relationship changed your views about people from a different generation?"
)


@dataclass(frozen=True)
class QuestionSpec:
    kind: QuestionKind
    prompt: str
    is_pulse: bool = False


def pulse_question() -> QuestionSpec:
    return QuestionSpec(QuestionKind.RATING, PULSE_PROMPT, is_pulse=True)


def intergenerational_question() -> QuestionSpec:
    return QuestionSpec(QuestionKind.YES_NO, INTERGENERATIONAL_PROMPT)


def validate_questions(questions: Sequence[QuestionSpec]) -> None:
    if not questions:
        raise ValidationFailed("A survey needs at least one question.", field="questions")
    if len(questions) > MAX_QUESTIONS:
        raise ValidationFailed(f"A survey has at most {MAX_QUESTIONS} questions.", field="questions")
    for index, question in enumerate(questions):
        prompt = question.prompt.strip()
        if not prompt or len(prompt) > MAX_PROMPT:
            raise ValidationFailed(
                f"A question's prompt has 1 to {MAX_PROMPT} characters.", field=f"questions[{index}].prompt"
            )
        if question.is_pulse and question.kind is not QuestionKind.RATING:
            raise ValidationFailed("The pulse question must be a rating.", field=f"questions[{index}].isPulse")
    if sum(q.is_pulse for q in questions) > 1:
        raise ValidationFailed("A survey has at most one pulse question.", field="questions")


async def create_template(
    viewer: Viewer,
    *,
    program_id: int,
    name: str,
    schedule: SurveySchedule,
    anonymous: bool,
    questions: Sequence[QuestionSpec],
) -> SurveyTemplate:
    """For the program's coordinators and admins."""
    if not await Program.exists(id=program_id):
        raise NotFound("No such program.", field="program_id")
    coordinators = await ProgramCoordinator.filter(program_id=program_id).values_list("person_id", flat=True)
    if not policy.can_manage_program(viewer, coordinators):
        raise PermissionDenied("Only this program's coordinators or an admin can do this.", field="program_id")
    name = name.strip()
    if not name or len(name) > 200:
        raise ValidationFailed("A survey's name has 1 to 200 characters.", field="name")
    validate_questions(questions)
    async with in_transaction():
        template = await SurveyTemplate.create(
            program_id=program_id, name=name, schedule=schedule, anonymous=anonymous, created_by_id=viewer.person_id
        )
        await SurveyQuestion.bulk_create(
            [
                SurveyQuestion(
                    template=template, position=index, kind=q.kind, prompt=q.prompt.strip(), is_pulse=q.is_pulse
                )
                for index, q in enumerate(questions)
            ]
        )
    return template
