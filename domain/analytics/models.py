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


class LevelChange(Model):
    """A person's level moving, as the people upsert (CSV import, directory sync) writes it: promotion rates
    count the rises. History starts when this table did; a level that only ever came from one import has none."""

    id = fields.IntField(primary_key=True)
    # CASCADE: the row says nothing without its person, and belongs to no one else's history.
    person = fields.ForeignKeyField("models.Person", related_name="level_changes", on_delete=fields.CASCADE)
    from_level = fields.SmallIntField(null=True)
    to_level = fields.SmallIntField()
    changed_on = fields.DateField(db_index=True)

    class Meta:
        table = "level_change"
