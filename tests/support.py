"""Test helpers: a GraphQL client that signs tokens, table wiping, and proof that nothing was written."""

from __future__ import annotations

import asyncio
import contextlib
import os
import sys
from pathlib import Path
from typing import Any

import httpx
from tortoise import Tortoise, connections

from api.auth import issue_development_token
from api.settings import Settings
from domain.access import Role
from domain.people.models import Person
from schema.relay_ids import encode_id


def gid(type_name: str, key: int) -> str:
    """The global ID a client would send for a row."""
    return str(encode_id(type_name, key))


def _tables() -> list[str]:
    return sorted(model._meta.db_table for model in Tortoise.apps.get_models_iterable())


async def wipe_all_tables(engine: str) -> None:
    connection = connections.get("default")
    tables = _tables()
    if engine == "postgres":
        quoted = ", ".join(f'"{t}"' for t in tables)
        await connection.execute_script(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")
        return
    await connection.execute_script(
        "PRAGMA foreign_keys = OFF;" + "".join(f'DELETE FROM "{t}";' for t in tables) + "PRAGMA foreign_keys = ON;"
    )


async def snapshot() -> dict[str, list[tuple]]:
    """Every row of every table, in key order: equal snapshots mean nothing was written."""
    connection = connections.get("default")
    state = {}
    for table in _tables():
        _, rows = await connection.execute_query(f'SELECT * FROM "{table}" ORDER BY 1')
        state[table] = [tuple(dict(row).values()) for row in rows]
    return state


@contextlib.asynccontextmanager
async def assert_unchanged():
    """Wraps an action that must write nothing; fails naming the tables that changed."""
    before = await snapshot()
    yield
    after = await snapshot()
    changed = [table for table in before if before[table] != after[table]]
    assert not changed, f"tables changed: {changed}"


class GraphQLClient:
    """Posts GraphQL over HTTP (ASGI transport) with a development token for whoever `as_` names."""

    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self.http = http
        self.settings = settings

    def token(self, who: Person | str, role: Role = Role.PARTICIPANT) -> str:
        email = who.email if isinstance(who, Person) else who
        return issue_development_token(self.settings, email=email, role=role)

    async def raw(self, query: str, variables: dict | None = None, *, headers: dict | None = None) -> httpx.Response:
        return await self.http.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers or {}
        )

    async def __call__(
        self, query: str, variables: dict | None = None, *, as_: Person | str, role: Role = Role.PARTICIPANT
    ) -> dict[str, Any]:
        """The response body; fails on top-level errors unless the caller asks via `raw`."""
        response = await self.raw(query, variables, headers={"Authorization": f"Bearer {self.token(as_, role)}"})
        body = response.json()
        assert "errors" not in body, body["errors"]
        return body["data"]

    async def errors(
        self, query: str, variables: dict | None = None, *, as_: Person | str, role: Role = Role.PARTICIPANT
    ) -> list[dict]:
        """The top-level errors of a request expected to fail validation (depth, aliases, tokens)."""
        response = await self.raw(query, variables, headers={"Authorization": f"Bearer {self.token(as_, role)}"})
        body = response.json()
        assert body.get("errors"), body
        return body["errors"]


ROOT = Path(__file__).resolve().parents[1]


async def run_cli(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Runs `mentorgraph ARGS` in a subprocess (it opens its own database connection) and returns
    (exit code, stdout, stderr)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "api.cli",
        *args,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=60)
    return process.returncode, stdout.decode(), stderr.decode()
