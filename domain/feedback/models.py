"""Pulse surveys: templates with their questions and schedule, the instances people are asked to answer,
and the responses.

An anonymous response carries no link to its respondent: no person or relationship column, no instance
reference and no timestamp finer than the month it was given in, so nothing joins it back to the
instance (which only records that it was answered, never when).
"""

from __future__ import annotations

from enum import Enum

from tortoise import fields
from tortoise.models import Model


class QuestionKind(str, Enum):
    RATING = "RATING"  # 1 to 5
    YES_NO = "YES_NO"
    SHORT_TEXT = "SHORT_TEXT"


class SurveySchedule(str, Enum):
    TWO_WEEKS_AFTER_START = "TWO_WEEKS_AFTER_START"
    THREE_MONTH_CHECK_IN = "THREE_MONTH_CHECK_IN"
    QUARTERLY = "QUARTERLY"
    AT_CLOSURE = "AT_CLOSURE"


class EmailKind(str, Enum):
    SURVEY_INVITATION = "SURVEY_INVITATION"
    SURVEY_REMINDER = "SURVEY_REMINDER"


class SurveyTemplate(Model):
    id = fields.IntField(primary_key=True)
    program = fields.ForeignKeyField("models.Program", related_name="survey_templates", on_delete=fields.RESTRICT)
    name = fields.CharField(max_length=200)
    schedule = fields.CharEnumField(SurveySchedule, max_length=24)
    anonymous = fields.BooleanField(default=True)
    created_by = fields.ForeignKeyField(
        "models.Person", related_name="survey_templates_created", null=True, on_delete=fields.SET_NULL
    )
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "survey_template"
        ordering = ("id",)


class SurveyQuestion(Model):
    id = fields.IntField(primary_key=True)
    template = fields.ForeignKeyField("models.SurveyTemplate", related_name="questions", on_delete=fields.RESTRICT)
    position = fields.SmallIntField()
    kind = fields.CharEnumField(QuestionKind, max_length=12)
    prompt = fields.CharField(max_length=300)
    # The pulse question: its rating feeds satisfaction and the coordinators' at-risk list.
    is_pulse = fields.BooleanField(default=False)

    class Meta:
        table = "survey_question"
        unique_together = (("template", "position"),)
        ordering = ("position",)


class SurveyInstance(Model):
    """One person asked one template's questions about one relationship on one occasion."""

    id = fields.IntField(primary_key=True)
    template = fields.ForeignKeyField("models.SurveyTemplate", related_name="instances", on_delete=fields.RESTRICT)
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="survey_instances", on_delete=fields.RESTRICT
    )
    person = fields.ForeignKeyField("models.Person", related_name="survey_instances", on_delete=fields.RESTRICT)
    # 0 for one-off schedules; the quarter's number since the start for QUARTERLY.
    occasion = fields.SmallIntField(default=0)
    due_at = fields.DatetimeField()
    # Whether, never when: a time here would join an anonymous response back to its respondent.
    answered = fields.BooleanField(default=False, db_index=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "survey_instance"
        # The natural key: concurrent or repeated sweeps converge on one instance per occasion.
        unique_together = (("template", "relationship", "person", "occasion"),)
        ordering = ("id",)


class SurveyResponse(Model):
    """Respondent and relationship are set only for a named (non-anonymous) template."""

    id = fields.IntField(primary_key=True)
    template = fields.ForeignKeyField("models.SurveyTemplate", related_name="responses", on_delete=fields.RESTRICT)
    # The first day of the month it was given in: coarse on purpose.
    month = fields.DateField(db_index=True)
    respondent = fields.ForeignKeyField(
        "models.Person", related_name="survey_responses", null=True, on_delete=fields.RESTRICT
    )
    relationship = fields.ForeignKeyField(
        "models.Relationship", related_name="survey_responses", null=True, on_delete=fields.RESTRICT
    )

    class Meta:
        table = "survey_response"
        ordering = ("id",)


class SurveyAnswer(Model):
    id = fields.IntField(primary_key=True)
    response = fields.ForeignKeyField("models.SurveyResponse", related_name="answers", on_delete=fields.RESTRICT)
    question = fields.ForeignKeyField("models.SurveyQuestion", related_name="answers", on_delete=fields.RESTRICT)
    rating = fields.SmallIntField(null=True)
    yes = fields.BooleanField(null=True)
    text = fields.TextField(null=True)

    class Meta:
        table = "survey_answer"
        unique_together = (("response", "question"),)


class SurveyEmail(Model):
    """An invitation or reminder for one survey; the outbox carries it to the SMTP sender, `sent_at` says it went."""

    id = fields.IntField(primary_key=True)
    survey_instance = fields.ForeignKeyField("models.SurveyInstance", related_name="emails", on_delete=fields.RESTRICT)
    kind = fields.CharEnumField(EmailKind, max_length=24)
    sent_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "survey_email"
        ordering = ("id",)
        # Once per survey and kind, however many sweeps run.
        unique_together = (("survey_instance", "kind"),)
