"""Opening and closing Tortoise's connections for the app, the CLI and the tests."""

from __future__ import annotations

import asyncio

from tortoise import Tortoise, connections
from tortoise.backends.base.config_generator import expand_db_url

from api.database.urls import engine_of, ensure_sqlite_folder, tortoise_url
from domain.registry import MODEL_MODULES

DEFAULT_STATEMENT_TIMEOUT_MS = 5000
# Opening a connection to a server that accepts TCP but never answers (a frozen host) gives up after this.
CONNECT_TIMEOUT_SECONDS = 5
# The client's own bound on a statement, past the server's statement_timeout: a frozen server cancels nothing.
_CLIENT_GRACE_SECONDS = 1


def connection_config(database_url: str, *, statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS) -> dict:
    """Tortoise's connection settings, with every wait bounded so an unreachable database fails fast."""
    config = expand_db_url(tortoise_url(database_url))
    credentials = config["credentials"]
    if engine_of(database_url) == "postgres":
        credentials["server_settings"] = {"statement_timeout": str(statement_timeout_ms)}
        credentials["timeout"] = CONNECT_TIMEOUT_SECONDS
        credentials["command_timeout"] = statement_timeout_ms / 1000 + _CLIENT_GRACE_SECONDS
        config["engine"] = "api.database.postgres_client"
    else:
        credentials["busy_timeout"] = statement_timeout_ms
        config["engine"] = "api.database.sqlite_client"
    return config


def tortoise_config(database_url: str, *, statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS) -> dict:
    return {
        "connections": {"default": connection_config(database_url, statement_timeout_ms=statement_timeout_ms)},
        "apps": {"models": {"models": MODEL_MODULES, "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


async def open_database(database_url: str, *, statement_timeout_ms: int = DEFAULT_STATEMENT_TIMEOUT_MS) -> None:
    """Connects Tortoise. The schema itself is Alembic's job (`mentorgraph migrate`), never generate_schemas."""
    ensure_sqlite_folder(database_url)
    # The global fallback lets requests served on other tasks than the lifespan's see the same context.
    await Tortoise.init(
        config=tortoise_config(database_url, statement_timeout_ms=statement_timeout_ms), _enable_global_fallback=True
    )


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


def connections_in_use() -> int | None:
    """Connections of the pool lent out right now (SQLite: its one connection, 1 while in use); None if closed."""
    try:
        client = connections.get("default")
    except Exception:  # noqa: BLE001 - not connected (yet, or any more)
        return None
    pool = getattr(client, "_pool", None)
    if pool is not None:
        return pool.get_size() - pool.get_idle_size()
    lock = getattr(client, "_lock", None)
    return int(lock.locked()) if lock is not None else None
