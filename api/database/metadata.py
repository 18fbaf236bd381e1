"""Alembic's target metadata, derived from the Tortoise models so the models stay the one definition.

Policy applied here rather than in each model: every foreign key column gets an index (Tortoise makes
none), and every constraint has a deterministic name so migrations can drop what they created.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql
from tortoise import Tortoise, fields
from tortoise.fields import relational
from tortoise.models import Model

from domain.registry import MODEL_MODULES

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

_ON_DELETE = {
    fields.CASCADE: "CASCADE",
    fields.RESTRICT: "RESTRICT",
    fields.SET_NULL: "SET NULL",
    fields.SET_DEFAULT: "SET DEFAULT",
    fields.NO_ACTION: "NO ACTION",
}

_RELATION_FIELDS = (
    relational.ForeignKeyFieldInstance,
    relational.OneToOneFieldInstance,
    relational.BackwardFKRelation,
    relational.BackwardOneToOneRelation,
    relational.ManyToManyFieldInstance,
)


def _column_type(field: fields.Field) -> sa.types.TypeEngine:
    # Order matters: enum fields subclass the plain char/int fields.
    if isinstance(field, fields.JSONField):
        return sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
    if isinstance(field, (fields.CharField,)) or type(field).__name__ == "CharEnumFieldInstance":
        return sa.String(field.max_length)
    if type(field).__name__ == "IntEnumFieldInstance" or isinstance(field, fields.SmallIntField):
        return sa.SmallInteger()
    if isinstance(field, fields.BigIntField):
        return sa.BigInteger()
    if isinstance(field, fields.IntField):
        return sa.Integer()
    if isinstance(field, fields.TextField):
        return sa.Text()
    if isinstance(field, fields.BooleanField):
        return sa.Boolean()
    if isinstance(field, fields.DatetimeField):
        return sa.DateTime(timezone=True)
    if isinstance(field, fields.DateField):
        return sa.Date()
    if isinstance(field, fields.TimeField):
        return sa.Time()
    if isinstance(field, fields.FloatField):
        return sa.Float()
    if isinstance(field, fields.DecimalField):
        return sa.Numeric(field.max_digits, field.decimal_places)
    if isinstance(field, fields.UUIDField):
        return sa.Uuid()
    if isinstance(field, fields.BinaryField):
        return sa.LargeBinary()
    raise TypeError(f"no SQL type mapped for {type(field).__name__}")


def _foreign_keys(model: type[Model]) -> dict[str, relational.ForeignKeyFieldInstance]:
    """Maps each FK's column (`person_id`) to its relation field."""
    result = {}
    for name in model._meta.fk_fields | model._meta.o2o_fields:
        relation = model._meta.fields_map[name]
        result[relation.source_field] = relation
    return result


def _table_for(model: type[Model], metadata: sa.MetaData) -> sa.Table:
    meta = model._meta
    fks = _foreign_keys(model)
    columns: list[sa.Column] = []
    indexed: list[str] = []
    for name, field in meta.fields_map.items():
        if isinstance(field, _RELATION_FIELDS):
            continue
        column_name = field.source_field or name
        args: list = [column_name, _column_type(field)]
        if column_name in fks:
            relation = fks[column_name]
            target = relation.related_model._meta
            args.append(
                sa.ForeignKey(f"{target.db_table}.{target.db_pk_column}", ondelete=_ON_DELETE[relation.on_delete])
            )
            indexed.append(column_name)
        is_pk = bool(field.pk)
        unique = bool(field.unique) and not is_pk
        if column_name in fks and fks[column_name].unique:
            unique = True  # one-to-one
        columns.append(
            sa.Column(
                *args,
                primary_key=is_pk,
                autoincrement=is_pk and isinstance(field, fields.IntField),
                nullable=bool(field.null),
                unique=unique,
                comment=None,
            )
        )
        if field.index and not unique and not is_pk:
            indexed.append(column_name)
    table = sa.Table(meta.db_table, metadata, *columns)
    for column_name in dict.fromkeys(indexed):
        if not table.c[column_name].unique:
            sa.Index(None, table.c[column_name])
    for together in meta.unique_together:
        table.append_constraint(sa.UniqueConstraint(*(_column_of(model, n) for n in together)))
    for together in meta.indexes:
        sa.Index(None, *(table.c[_column_of(model, n)] for n in together))
    return table


def _column_of(model: type[Model], field_name: str) -> str:
    field = model._meta.fields_map[field_name]
    if isinstance(field, (relational.ForeignKeyFieldInstance, relational.OneToOneFieldInstance)):
        return field.source_field
    return field.source_field or field_name


def build_metadata() -> sa.MetaData:
    if not Tortoise.apps or "models" not in Tortoise.apps:
        Tortoise.init_models(MODEL_MODULES, "models")
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    for model in sorted(Tortoise.apps.get_models_iterable(), key=lambda m: m._meta.db_table):
        _table_for(model, metadata)
    return metadata
