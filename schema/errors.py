"""GraphQL error types for expected failures, and the one place domain errors become them."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from enum import Enum
from typing import Annotated, Any, TypeVar, Union

import strawberry

from domain.errors import QUOTED_AT_MOST, DomainError
from domain.errors import ErrorCode as DomainErrorCode

ErrorCode = strawberry.enum(DomainErrorCode, name="ErrorCode")


@strawberry.interface(description="An expected failure: nothing was written.")
class Error:
    message: str
    code: ErrorCode
    field: str | None = strawberry.field(
        description="The input field at fault, as a path such as 'workingHours[2].end'."
    )


@strawberry.type
class ValidationError(Error):
    pass


@strawberry.type
class NotFoundError(Error):
    pass


@strawberry.type
class PermissionDeniedError(Error):
    pass


@strawberry.type
class ConflictError(Error):
    pass


@strawberry.type
class InvalidTransitionError(Error):
    pass


ERROR_TYPES = (ValidationError, NotFoundError, PermissionDeniedError, ConflictError, InvalidTransitionError)
_TYPE_BY_CODE = {
    DomainErrorCode.VALIDATION: ValidationError,
    DomainErrorCode.NOT_FOUND: NotFoundError,
    DomainErrorCode.PERMISSION_DENIED: PermissionDeniedError,
    DomainErrorCode.CONFLICT: ConflictError,
    DomainErrorCode.INVALID_TRANSITION: InvalidTransitionError,
    DomainErrorCode.UNAUTHENTICATED: PermissionDeniedError,
}

_SNAKE_SEGMENT = re.compile(r"_([a-z0-9])")
# A quoted run of what the client sent, longer than a reader needs to recognise it.
_LONG_QUOTE = re.compile(rf"""(['"])([^'"]{{{QUOTED_AT_MOST}}})[^'"]+\1""")


def bounded_quotes(message: str) -> str:
    """The message with every quoted value cut to QUOTED_AT_MOST characters: a 1 MB input is never echoed."""
    return _LONG_QUOTE.sub(lambda m: f"{m.group(1)}{m.group(2)}…{m.group(1)}", message)


def graphql_field_path(domain_field: str | None) -> str | None:
    """'working_hours[2].end_time' -> 'workingHours[2].endTime': the domain speaks Python, clients GraphQL."""
    if domain_field is None:
        return None
    return _SNAKE_SEGMENT.sub(lambda m: m.group(1).upper(), domain_field)


def to_graphql_error(error: DomainError) -> Error:
    error_type = _TYPE_BY_CODE[error.code]
    return error_type(message=bounded_quotes(error.message), code=error.code, field=graphql_field_path(error.field))


def result_union(name: str, payload: type) -> Any:
    """`Payload | ValidationError | ...` as a named GraphQL union: the shape every mutation returns."""
    return Annotated[Union[payload, *ERROR_TYPES], strawberry.union(name)]


T = TypeVar("T")


async def run_mutation(action: Callable[[], Awaitable[T]], to_payload: Callable[[T], Any]) -> Any:
    """Runs a domain call; an expected failure comes back as a typed error value, never a top-level error."""
    try:
        outcome = await action()
    except DomainError as error:
        return to_graphql_error(error)
    return to_payload(outcome)


def enum_value(value: Enum | None) -> Any:
    return None if value is None else value.value
