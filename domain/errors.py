"""Errors the domain raises for expected failures; the schema layer maps each code to a GraphQL type."""

from __future__ import annotations

from enum import Enum


class ErrorCode(str, Enum):
    VALIDATION = "VALIDATION"
    NOT_FOUND = "NOT_FOUND"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    CONFLICT = "CONFLICT"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    UNAUTHENTICATED = "UNAUTHENTICATED"


QUOTED_AT_MOST = 80


def quoted(value: object) -> str:
    """A value as a message quotes it: repr, cut to QUOTED_AT_MOST characters so no input is echoed whole."""
    text = repr(value)
    return text if len(text) <= QUOTED_AT_MOST else f"{text[: QUOTED_AT_MOST - 1]}…"


class DomainError(Exception):
    """An expected failure: bad input, a missing row, a forbidden action or a clash with existing data."""

    code: ErrorCode = ErrorCode.VALIDATION

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r}, field={self.field!r})"


class ValidationFailed(DomainError):
    code = ErrorCode.VALIDATION


class NotFound(DomainError):
    code = ErrorCode.NOT_FOUND


class PermissionDenied(DomainError):
    code = ErrorCode.PERMISSION_DENIED


class Conflict(DomainError):
    code = ErrorCode.CONFLICT


class InvalidTransition(DomainError):
    code = ErrorCode.INVALID_TRANSITION
