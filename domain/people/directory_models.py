"""Directory sync's memory: which directory account is which person, and where each connection's sync stands."""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model

from domain.calendar.models import Provider


class DirectoryAccount(Model):
    """A person's account in a company directory, by the directory's own id.

    Graph names a deleted user by id alone, and an account's email can change: the id is what finds the person.
    """

    id = fields.IntField(primary_key=True)
    provider = fields.CharEnumField(Provider, max_length=10)
    external_id = fields.CharField(max_length=128)
    # CASCADE: the link is bookkeeping, not history; people are deactivated, never deleted, anyway.
    person: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.Person", related_name="directory_accounts", on_delete=fields.CASCADE, db_index=True
    )
    # False once the directory disabled, suspended or deleted the account (the person left).
    enabled = fields.BooleanField(default=True)
    linked_at = fields.DatetimeField()

    class Meta:
        table = "directory_account"
        unique_together = (("provider", "external_id"),)


class DirectorySync(Model):
    """One company connection's directory sync: the provider's cursor for the next run, and the last outcome."""

    id = fields.IntField(primary_key=True)
    connection: fields.ForeignKeyRelation = fields.ForeignKeyField(
        "models.CalendarConnection", related_name="directory_syncs", on_delete=fields.CASCADE, unique=True
    )
    # Graph's @odata.deltaLink: the next run asks only for what changed since. Empty: the next run is full.
    cursor = fields.TextField(default="")
    last_full_at = fields.DatetimeField(null=True)
    last_run_at = fields.DatetimeField(null=True)
    last_summary = fields.TextField(default="")

    class Meta:
        table = "directory_sync"
