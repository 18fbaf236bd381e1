"""Every top-level error leaves with `extensions.code`; unexpected ones are masked on the way.

Clients branch on the code, never on the wording. Errors made by this schema's own limits carry theirs from the
start (see schema.limits); the rest are classified here by where they came from.
"""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLError
from strawberry.extensions import MaskErrors

from domain.errors import DomainError
from domain.errors import ErrorCode as DomainErrorCode
from schema.errors import bounded_quotes, graphql_field_path

GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
BAD_USER_INPUT = "BAD_USER_INPUT"
QUERY_TOO_DEEP = "QUERY_TOO_DEEP"
TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
TOO_MANY_TOKENS = "TOO_MANY_TOKENS"
UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"
NOT_FOUND = "NOT_FOUND"
CONFLICT = "CONFLICT"
INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"

_BY_DOMAIN_CODE = {
    DomainErrorCode.VALIDATION: BAD_USER_INPUT,
    DomainErrorCode.NOT_FOUND: NOT_FOUND,
    DomainErrorCode.PERMISSION_DENIED: FORBIDDEN,
    DomainErrorCode.CONFLICT: CONFLICT,
    DomainErrorCode.INVALID_TRANSITION: CONFLICT,
    DomainErrorCode.UNAUTHENTICATED: UNAUTHENTICATED,
}


def coded(error: GraphQLError, code: str, **extensions: object) -> GraphQLError:
    """The same error with its code (and any further extensions) set."""
    error.extensions = {**(error.extensions or {}), "code": code, **extensions}
    return error


class CodedErrors(MaskErrors):
    """Masks what `should_mask` says is unexpected, then gives every error a code.

    Variable values are coerced while executing, before any resolver runs: an error from then with no path is
    the client's input (BAD_USER_INPUT). One with no path from parsing or validation is the document's.
    """

    def __init__(self, should_mask: Callable[[GraphQLError], bool]) -> None:
        super().__init__(should_mask_error=should_mask)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return coded(super().anonymise_error(error), INTERNAL_SERVER_ERROR)

    def on_execute(self):
        yield
        for error in getattr(self.execution_context.result, "errors", None) or []:
            from_coercion = error.original_error is None or isinstance(error.original_error, GraphQLError)
            if error.path is None and from_coercion and not (error.extensions or {}).get("code"):
                coded(error, BAD_USER_INPUT)

    def _process_errors(self, errors: list[GraphQLError]) -> list[GraphQLError]:
        return [_bounded(_with_code(error)) for error in super()._process_errors(errors)]


def _bounded(error: GraphQLError) -> GraphQLError:
    """graphql-core quotes up to 240 characters of a bad value; the client needs far fewer."""
    message = bounded_quotes(error.message)
    if message == error.message:
        return error
    return GraphQLError(
        message, error.nodes, error.source, error.positions, error.path, error.original_error, error.extensions
    )


def _with_code(error: GraphQLError) -> GraphQLError:
    if (error.extensions or {}).get("code"):
        return error
    original = error.original_error
    if isinstance(original, DomainError):
        field = graphql_field_path(original.field)
        return coded(error, _BY_DOMAIN_CODE[original.code], **({"field": field} if field else {}))
    if error.path is not None:
        return coded(error, INTERNAL_SERVER_ERROR)
    return coded(error, GRAPHQL_VALIDATION_FAILED)
