"""Telling "the database cannot answer now" (an outage, a freeze, a lock held too long) from a bug of ours."""

from __future__ import annotations

import sqlite3

import asyncpg
from tortoise.exceptions import DBConnectionError

# Connection lost or refused, server shutting down or starting, statement_timeout, no connection slot left.
# asyncpg's InternalClientError ("cannot switch to state ...") is what a statement on a connection the server
# has just ended raises: seen when PostgreSQL shuts down under load.
_UNAVAILABLE = (
    OSError,
    TimeoutError,
    DBConnectionError,
    asyncpg.PostgresConnectionError,
    asyncpg.OperatorInterventionError,
    asyncpg.TooManyConnectionsError,
    asyncpg.InternalClientError,
)
_INTERFACE_HINTS = ("connection is closed", "connection was closed", "pool is closing", "pool is closed")
_SQLITE_HINTS = ("database is locked", "database is busy")


def database_unavailable(error: BaseException | None) -> bool:
    """Whether `error`, or anything it was raised from, says the database is unreachable or busy (retry later)."""
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, _UNAVAILABLE):
            return True
        if isinstance(error, asyncpg.InterfaceError) and any(hint in str(error) for hint in _INTERFACE_HINTS):
            return True
        if isinstance(error, sqlite3.OperationalError) and any(hint in str(error) for hint in _SQLITE_HINTS):
            return True
        error = error.__cause__ or error.__context__
    return False
