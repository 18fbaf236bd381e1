"""Batched reads that DataLoaders call (one query for many keys, results in the keys' order), and batched
updates of many rows to values of their own."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TypeVar

from tortoise.models import Model

M = TypeVar("M", bound=Model)
T = TypeVar("T")

# PostgreSQL's protocol (and so asyncpg) carries at most 32,767 parameters in one statement: a longer IN list
# (a 40,000-row import's emails) is asked in slices.
KEYS_PER_QUERY = 10_000

# Primary keys are 32-bit INTEGER columns counting up from 1 on both engines. A number outside that names no
# row, and PostgreSQL refuses to compare a column with it, so such a key is answered as missing without asking.
MAX_KEY = 2**31 - 1


def slices(keys: Sequence[T], size: int = KEYS_PER_QUERY) -> Iterator[Sequence[T]]:
    """`keys` in consecutive slices of at most `size`, for IN lists that must stay under the parameter limit."""
    for start in range(0, len(keys), size):
        yield keys[start : start + size]


def is_storable_key(key: int) -> bool:
    return 1 <= key <= MAX_KEY


async def by_ids(model: type[M], ids: Sequence[int]) -> list[M | None]:
    rows = await select_in(model, "id", [key for key in set(ids) if is_storable_key(key)])
    found = {row.id: row for row in rows}
    return [found.get(key) for key in ids]


async def grouped_by(model: type[M], column: str, keys: Sequence[int], **filters) -> list[list[M]]:
    """Rows whose `column` (e.g. "person_id") is in keys, grouped per key, in the model's default order."""
    rows = await select_in(model, column, list(set(keys)), **filters)
    groups: dict[int, list[M]] = defaultdict(list)
    for row in rows:
        groups[getattr(row, column)].append(row)
    return [groups.get(key, []) for key in keys]


async def select_in(model: type[M], column: str, keys: list, **filters) -> list[M]:
    """`model.filter(<column>__in=keys, **filters)`: the same statement and the same model instances, without
    building the statement again.

    DataLoaders run these for every batch of every request, and building a statement through the ORM's query
    builder (a copy of the query per clause, then rendering) costs as much as running it and more than
    reading its rows. The statement for a model, column, filters and number of keys is built once by the ORM
    itself and kept; each call only fills in the keys.
    """
    if not keys:
        return []
    db = model._meta.db
    sql, template, key_positions = _statement(model, column, tuple(sorted(filters.items())), len(keys), db)
    values = list(template)
    for position, key in zip(key_positions, keys, strict=True):
        values[position] = key
    return await db.executor_class(model=model, db=db).execute_select(sql, values)


# Keys the statement is first built with, to find where the real keys go among its parameters.
_PLACEHOLDER_KEY_BASE = -(2**40)
# (model, column, filters, number of keys, SQL dialect) -> (SQL, parameters, where the keys go). Bounded: the
# number of keys varies with the data, and a statement not kept is only built again.
_STATEMENTS: dict[tuple, tuple[str, tuple, tuple]] = {}
_STATEMENTS_KEPT = 4096


def _statement(model: type[Model], column: str, filters: tuple, count: int, db) -> tuple[str, tuple, tuple]:
    key = (model, column, filters, count, db.capabilities.dialect)
    found = _STATEMENTS.get(key)
    if found is None:
        placeholders = [_PLACEHOLDER_KEY_BASE - number for number in range(count)]
        query = model.filter(**{f"{column}__in": placeholders}, **dict(filters)).using_db(db)
        query._make_query()
        sql, values = query.query.get_parameterized_sql()
        found = (sql, tuple(values), tuple(values.index(placeholder) for placeholder in placeholders))
        if len(_STATEMENTS) >= _STATEMENTS_KEPT:
            _STATEMENTS.clear()
        _STATEMENTS[key] = found
    return found


async def update_each(model: type[Model], fields: Sequence[str], rows: Sequence[Sequence]) -> None:
    """Updates one row per entry (the values of `fields` in order, then the row's primary key): one statement,
    prepared once and run for every row. Building a per-row ORM UPDATE, or Tortoise's bulk_update (which copies
    its query once per row and field), costs more than running it."""
    if not rows:
        return
    meta = model._meta
    db = meta.db
    columns = [meta.fields_map[name] for name in fields]
    postgres = db.capabilities.dialect == "postgres"
    marks = [f"${number}" if postgres else "?" for number in range(1, len(columns) + 2)]
    names = [column.source_field or column.model_field_name for column in columns]
    assignments = ", ".join(f'"{name}"={mark}' for name, mark in zip(names, marks, strict=False))
    sql = f'UPDATE "{meta.db_table}" SET {assignments} WHERE "{meta.db_pk_column}"={marks[-1]}'
    values = [
        [column.to_db_value(value, None) for column, value in zip(columns, row[:-1], strict=True)] + [row[-1]]
        for row in rows
    ]
    await db.execute_many(sql, values)
