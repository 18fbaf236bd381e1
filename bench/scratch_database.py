"""A migrated, connected SQLite database in a temporary folder, for one benchmark run."""

from __future__ import annotations

import contextlib
import tempfile
from collections.abc import AsyncIterator
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
