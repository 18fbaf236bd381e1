"""Tortoise's asyncpg engine, where a transaction that committed stays committed in the caller's eyes.

Three ways a written row could otherwise be answered as a refused write (a 503 the client retries):
- the request's deadline cancels it while its COMMIT is on the wire;
- the client's statement timeout gives up on a COMMIT a frozen server has received and will carry out once
  it runs again: a COMMIT waits for its outcome (up to COMMIT_OUTCOME_SECONDS), the only wait on a frozen
  database longer than one statement timeout, and only for the few requests caught committing;
- Tortoise hands the connection back to the pool after COMMIT and asyncpg resets it there, which fails when
  PostgreSQL has just ended the session (a shutdown under load). The commit is what counts: the failure to
  recycle the connection is logged, and asyncpg has already discarded it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import asyncpg
from tortoise.backends.asyncpg.client import AsyncpgDBClient, TransactionWrapper
from tortoise.backends.base.client import TransactionContext, TransactionContextPooled
from tortoise.connection import get_connections
from tortoise.exceptions import TransactionManagementError

from api.database.faults import database_unavailable

log = logging.getLogger("mentorgraph.database")
COMMIT_OUTCOME_SECONDS = 60


class WaitsForCommitOutcome(asyncpg.Connection):
    async def execute(self, query: str, *args, timeout: float | None = None) -> str:  # noqa: ASYNC109 - asyncpg's signature
        if timeout is None and query == "COMMIT;":  # what asyncpg's Transaction.commit sends
            timeout = COMMIT_OUTCOME_SECONDS
        return await super().execute(query, *args, timeout=timeout)


async def _commit_even_if_cancelled(client: TransactionWrapper) -> None:
    """COMMIT, and if the request is cancelled (its deadline) meanwhile, wait for what the database decided.

    A committed write then finishes its request and answers, late but true; a failed commit lets the
    cancellation go on.
    """
    commit = asyncio.ensure_future(client.commit())
    try:
        await asyncio.shield(commit)
    except asyncio.CancelledError:
        try:
            await commit
        except Exception:  # noqa: BLE001 - whatever failed the commit, the cancellation goes on
            raise asyncio.CancelledError from None
        current = asyncio.current_task()
        if current is not None:
            current.uncancel()


class CommitCountsTransactionContext(TransactionContextPooled):
    async def __aexit__(self, exc_type: Any, exc_val: Any, exc_tb: Any) -> None:
        committed = False
        try:
            if not self.client._finalized:
                if exc_type is None:
                    await _commit_even_if_cancelled(self.client)
                    committed = True
                elif exc_type is not TransactionManagementError:  # a failed transaction cannot roll back
                    await self.client.rollback()
        finally:
            try:
                if self.client._parent._pool:
                    await self.client._parent._pool.release(self.client._connection)
            except Exception as error:
                if not (committed and database_unavailable(error)):
                    raise
                log.warning("committed, but the connection could not be recycled: %r", error)
            finally:
                get_connections().reset(self.token)


class CommitCountsClient(AsyncpgDBClient):
    connection_class = WaitsForCommitOutcome

    def _in_transaction(self) -> TransactionContext:
        return CommitCountsTransactionContext(TransactionWrapper(self), self._pool_init_lock)


client_class = CommitCountsClient
