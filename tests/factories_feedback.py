"""Survey templates and their questions for tests, made through the domain so they are valid."""

from __future__ import annotations

from domain.access import Role, Viewer
from domain.feedback.models import QuestionKind, SurveySchedule, SurveyTemplate
from domain.feedback.templates import QuestionSpec, create_template, pulse_question
from domain.programs.models import Program

ADMIN = Viewer(email="admin@example.com", role=Role.ADMIN)


async def make_template(
    program: Program,
    *,
    schedule: SurveySchedule = SurveySchedule.TWO_WEEKS_AFTER_START,
    anonymous: bool = True,
    questions: list[QuestionSpec] | None = None,
) -> SurveyTemplate:
    """A pulse rating, a yes/no and a short text unless other questions are given."""
    specs = questions or [
        pulse_question(),
        QuestionSpec(QuestionKind.YES_NO, "Did you meet this month?"),
        QuestionSpec(QuestionKind.SHORT_TEXT, "Anything we should know?"),
    ]
    return await create_template(
        ADMIN, program_id=program.id, name="Pulse", schedule=schedule, anonymous=anonymous, questions=specs
    )
