"""Opening and closing Tortoise's connections for the app, the CLI and the tests."""

from __future__ import annotations

import asyncio

from tortoise import Tortoise, connections

from api.database.urls import ensure_sqlite_folder, tortoise_url
from domain.registry import MODEL_MODULES


def tortoise_config(database_url: str) -> dict:
    return {
        "connections": {"default": tortoise_url(database_url)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str) -> None:
    """Connects Tortoise. The schema itself is Alembic's job (`mentorgraph migrate`), never generate_schemas."""
    ensure_sqlite_folder(database_url)
    # The global fallback lets requests served on other tasks than the lifespan's see the same context.
    await Tortoise.init(config=tortoise_config(database_url), _enable_global_fallback=True)


async def close_database() -> None:
    await Tortoise.close_connections()


async def database_is_reachable(timeout_seconds: float = 3) -> bool:
    """Answers within the timeout: a database that hangs is as unready as one that refuses."""
    try:
        async with asyncio.timeout(timeout_seconds):
            await connections.get("default").execute_query("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not ready"
        return False
    return True
