"""Tortoise's SQLite engine, with write transactions that take the write lock up front.

A deferred `BEGIN` that reads and then writes cannot wait for another process's write lock: SQLite answers
"database is locked" at once, busy timeout or not, because the snapshot it read may be stale. `BEGIN
IMMEDIATE` takes the lock when the transaction starts, so the busy timeout applies and the CLI (an import, a
sweep) and `serve` can share one file.
"""

from __future__ import annotations

import sqlite3

from tortoise.backends.base.client import TransactionContext
from tortoise.backends.sqlite.client import (
    SqliteClient,
    SqliteTransactionContext,
    SqliteTransactionWrapper,
)
from tortoise.exceptions import TransactionManagementError


class ImmediateTransactionWrapper(SqliteTransactionWrapper):
    async def begin(self) -> None:
        try:
            await self._connection.commit()
            await self._connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:  # "database is locked" past the busy timeout: a 503 to retry
            raise TransactionManagementError(error) from error


class ImmediateSqliteClient(SqliteClient):
    def _in_transaction(self) -> TransactionContext:
        return SqliteTransactionContext(ImmediateTransactionWrapper(self), self._lock)


client_class = ImmediateSqliteClient
