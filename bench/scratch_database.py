"""Scratch databases for one benchmark run: a migrated, connected SQLite file, or an empty database's URL on
either engine (a PostgreSQL one is created on the tests' server, 127.0.0.1:5432, and dropped afterwards)."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

from api.database import migrations
from api.database.connection import close_database, open_database


@contextlib.asynccontextmanager
async def scratch_sqlite() -> AsyncIterator[str]:
    """Yields the database's URL; the file goes with the folder when the run ends."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        migrations.upgrade(url)
        await open_database(url)
        try:
            yield url
        finally:
            await close_database()


@contextlib.contextmanager
def scratch_database_url(engine: str) -> Iterator[str]:
    """An empty, unmigrated database on `engine` ("sqlite" or "postgres"), gone when the block ends."""
    if engine == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        return
    from tests import database

    url = database.create_postgres_database()
    try:
        yield url
    finally:
        database.drop_postgres_database(url)
