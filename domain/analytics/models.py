"""What analytics keeps of its own: a mentor's consent to show their recognition figures to coordinators."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class RecognitionSharing(Model):
    """Present while the mentor lets their program coordinators see their hours, closures and goals met."""

    id = fields.IntField(primary_key=True)
    person = fields.OneToOneField("models.Person", related_name="recognition_sharing", on_delete=fields.CASCADE)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "recognition_sharing"
