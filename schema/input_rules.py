"""One rule for everything a client sends as an argument, checked before any resolver runs.

Every string: no NUL, no control character but tab and line breaks, no lone surrogate, and no longer than its
limit (a field stored in a bounded column declares it with `column_limit`; other text gets MAX_TEXT, and every
query argument, which only ever filters or searches, MAX_FILTER_TEXT). Every ID: one this API could have issued.
A new field gets all of this for free.

A mutation answers a broken input with its ValidationError naming the field; a query answers null for an
undecodable or wrong-type ID where it may, and a top-level BAD_USER_INPUT naming the argument otherwise.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Iterator
from typing import Any

from graphql import (
    GraphQLID,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLResolveInfo,
    GraphQLString,
    GraphQLUnionType,
    default_field_resolver,
)
from strawberry import Schema
from strawberry.relay import GlobalID
from strawberry.relay.types import GlobalIDValueError
from strawberry.schema.schema_converter import GraphQLCoreConverter

from domain.errors import ErrorCode, ValidationFailed
from schema.errors import ValidationError
from schema.relay_ids import InvalidID

MAX_TEXT = 10_000
MAX_FILTER_TEXT = 200
LONGEST_ID = 200
# Tab, line feed and carriage return are text; every other C0 control, DEL and the C1 controls are not.
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")
_LIMIT_KEY = "max_length"


def column_limit(model: type, column: str) -> dict[str, int]:
    """Field metadata binding an input's length to the column it is stored in (`strawberry.field(metadata=...)`)."""
    return {_LIMIT_KEY: model._meta.fields_map[column].max_length}


def unbounded_text() -> dict[str, None]:
    """Field metadata for a text bounded only by the request body limit (a whole CSV file)."""
    return {_LIMIT_KEY: None}


def _declared_limit(input_field: Any, default: int | None) -> int | None:
    definition = (input_field.extensions or {}).get(GraphQLCoreConverter.DEFINITION_BACKREF)
    metadata = getattr(definition, "metadata", None) or {}
    return metadata.get(_LIMIT_KEY, default)


Leaf = tuple[str, Any, Any, "int | None"]


def _leaves(value: Any, graphql_type: Any, path: str, limit: int | None, default: int) -> Iterator[Leaf]:
    """(path, named type, value, length limit) for every scalar inside an argument's coerced value."""
    if value is None:
        return
    if isinstance(graphql_type, GraphQLNonNull):
        yield from _leaves(value, graphql_type.of_type, path, limit, default)
    elif isinstance(graphql_type, GraphQLList):
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            yield from _leaves(item, graphql_type.of_type, f"{path}[{index}]", limit, default)
    elif isinstance(graphql_type, GraphQLInputObjectType):
        for name, field in graphql_type.fields.items():
            if name in value:
                child = f"{path}.{name}" if path else name
                yield from _leaves(value[name], field.type, child, _declared_limit(field, default), default)
    else:
        yield path, graphql_type, value, limit


def _problem(named_type: Any, value: Any, limit: int | None) -> str | None:
    if named_type is GraphQLString and isinstance(value, str):
        if limit is not None and len(value) > limit:
            return f"Use at most {limit} characters (this has {len(value)})."
        if _NOT_TEXT.search(value):
            return "Remove the control characters (NUL and the like); only tab and line breaks are allowed in text."
    if named_type is GraphQLID and (not isinstance(value, str) or len(value) > LONGEST_ID or not _decodes(value)):
        return "Not an ID this API issued."
    return None


def _decodes(value: str) -> bool:
    try:
        GlobalID.from_id(value)
    except GlobalIDValueError:
        return False
    return True


def first_broken_input(info: GraphQLResolveInfo, arguments: dict[str, Any]) -> ValidationFailed | None:
    """The first argument value the rule refuses, as a ValidationFailed naming it (mutations drop `input.`)."""
    definition = info.parent_type.fields[info.field_name]
    is_query = info.operation.operation.value == "query"
    for name, value in arguments.items():
        argument = definition.args.get(name)
        if argument is None:
            continue
        default = MAX_FILTER_TEXT if is_query else MAX_TEXT
        root = "" if name == "input" else name
        for path, named_type, leaf, limit in _leaves(value, argument.type, root, default, default):
            if message := _problem(named_type, leaf, limit):
                broken = InvalidID if named_type is GraphQLID else ValidationFailed
                return broken(message, field=path or name)
    return None


def _returns_validation_error(info: GraphQLResolveInfo) -> bool:
    named = info.return_type.of_type if isinstance(info.return_type, GraphQLNonNull) else info.return_type
    return isinstance(named, GraphQLUnionType) and any(t.name == ValidationError.__name__ for t in named.types)


def check_root_arguments(schema: Schema) -> None:
    """Puts the rule in front of every root field's resolver, the only ones that take client input of note.

    Wrapping the root resolvers (rather than a schema extension's `resolve`, which graphql-core runs as
    middleware around every field of every answer) leaves the thousands of nested fields of a dashboard alone.
    """
    graphql_schema = schema._schema
    for root in (graphql_schema.query_type, graphql_schema.mutation_type):
        for field in root.fields.values() if root is not None else ():
            field.resolve = _checked(field.resolve or default_field_resolver)


def _checked(resolve: Callable[..., Any]) -> Callable[..., Any]:
    def checked(root: Any, info: GraphQLResolveInfo, **kwargs: Any) -> Any:
        if not kwargs:
            return resolve(root, info, **kwargs)
        broken = first_broken_input(info, kwargs)
        if broken is not None:
            return InputRules._refusal(info, broken)
        result = resolve(root, info, **kwargs)
        if info.operation.operation.value == "query" and inspect.isawaitable(result):
            return InputRules._null_for_invalid_ids(info, result)
        return result

    return checked


class InputRules:
    """What a root field answers when the rule refuses one of its arguments."""

    @staticmethod
    def _refusal(info: GraphQLResolveInfo, broken: ValidationFailed) -> Any:
        if _returns_validation_error(info):
            return ValidationError(message=broken.message, code=ErrorCode.VALIDATION, field=broken.field)
        if isinstance(broken, InvalidID) and not isinstance(info.return_type, GraphQLNonNull):
            return None
        raise broken

    @staticmethod
    async def _null_for_invalid_ids(info: GraphQLResolveInfo, result: Any) -> Any:
        try:
            return await result
        except InvalidID:
            if isinstance(info.return_type, GraphQLNonNull):
                raise
            return None
