"""What a retried creating request needs: the first answer, kept under the client's key for a day."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class IdempotencyRecord(Model):
    """One (viewer, key): the operation and a fingerprint of its input, and what the first run returned."""

    id = fields.IntField(primary_key=True)
    # The token's email, not a person id: keys are the viewer's whoever they are (an admin without a profile).
    viewer_email = fields.CharField(max_length=254)
    key = fields.CharField(max_length=200)
    operation = fields.CharField(max_length=80)
    fingerprint = fields.CharField(max_length=64)
    answer = fields.JSONField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_record"
        unique_together = (("viewer_email", "key"),)
        indexes = (("created_at",),)
