"""Agreements: one per relationship, amended by new versions that every member signs again."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from domain.programs.models import Cadence


class Agreement(Model):
    id = fields.IntField(primary_key=True)
    relationship = fields.OneToOneField("models.Relationship", related_name="agreement", on_delete=fields.RESTRICT)
    current_version = fields.SmallIntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "agreement"


class AgreementVersion(Model):
    """The terms as they stood at one version; earlier versions and their signatures stay readable."""

    id = fields.IntField(primary_key=True)
    agreement = fields.ForeignKeyField("models.Agreement", related_name="versions", on_delete=fields.RESTRICT)
    number = fields.SmallIntField()
    cadence = fields.CharEnumField(Cadence, max_length=16)
    meeting_minutes = fields.SmallIntField()
    starts_on = fields.DateField()
    ends_on = fields.DateField()
    confidentiality = fields.TextField(default="")
    channels = fields.JSONField(default=list)
    meeting_formats = fields.JSONField(default=list)
    amended_by = fields.ForeignKeyField(
        "models.Person", related_name="agreement_versions", null=True, on_delete=fields.SET_NULL
    )
    change_note = fields.TextField(default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "agreement_version"
        unique_together = (("agreement", "number"),)
        ordering = ("number",)


class AgreementTopic(Model):
    """ "Ana mentors Ben on X": one direction of teaching; reverse and skill-swap agreements have several."""

    id = fields.IntField(primary_key=True)
    version = fields.ForeignKeyField("models.AgreementVersion", related_name="topics", on_delete=fields.RESTRICT)
    teacher = fields.ForeignKeyField("models.Person", related_name="agreement_topics_taught", on_delete=fields.RESTRICT)
    learner = fields.ForeignKeyField(
        "models.Person", related_name="agreement_topics_learned", null=True, on_delete=fields.RESTRICT
    )
    skill = fields.ForeignKeyField(
        "models.Skill", related_name="agreement_topics", null=True, on_delete=fields.RESTRICT
    )
    topic = fields.CharField(max_length=200)

    class Meta:
        table = "agreement_topic"
        ordering = ("id",)


class AgreementGoal(Model):
    id = fields.IntField(primary_key=True)
    version = fields.ForeignKeyField("models.AgreementVersion", related_name="goal_links", on_delete=fields.RESTRICT)
    goal = fields.ForeignKeyField("models.Goal", related_name="agreement_links", on_delete=fields.RESTRICT)

    class Meta:
        table = "agreement_goal"
        unique_together = (("version", "goal"),)


class AgreementSignature(Model):
    id = fields.IntField(primary_key=True)
    version = fields.ForeignKeyField("models.AgreementVersion", related_name="signatures", on_delete=fields.RESTRICT)
    person = fields.ForeignKeyField("models.Person", related_name="agreement_signatures", on_delete=fields.RESTRICT)
    signed_at = fields.DatetimeField()

    class Meta:
        table = "agreement_signature"
        unique_together = (("version", "person"),)
