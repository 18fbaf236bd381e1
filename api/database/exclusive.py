"""Work that must run in one process at a time across every server on the database (the sweeps).

PostgreSQL: a session-level advisory lock, tried without waiting and held on one pooled connection while the
work runs on others; a process that finds it taken skips its turn. SQLite has one file and one writer at a
time already (BEGIN IMMEDIATE), so the work simply runs.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import AsyncIterator

from tortoise import connections


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for PostgreSQL's advisory locks."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big", signed=True)


@contextlib.asynccontextmanager
async def one_process_at_a_time(name: str) -> AsyncIterator[bool]:
    """Yields True when this process may do the work named `name` now, False when another is doing it."""
    client = connections.get("default")
    if client.capabilities.dialect != "postgres":
        yield True
        return
    key = lock_key(name)
    async with client.acquire_connection() as connection:
        held = await connection.fetchval("SELECT pg_try_advisory_lock($1)", key)
        try:
            yield held
        finally:
            if held:
                await connection.execute("SELECT pg_advisory_unlock($1)", key)
