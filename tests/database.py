"""The test database: one fresh database per pytest session, on the engine MENTORGRAPH_TEST_ENGINE names.

SQLite gets a file in a temporary folder; PostgreSQL gets a new database on the server at TEST_DATABASE_URL
(created here, dropped at the end), so parallel runs never share tables.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import urlsplit, urlunsplit

import pytest

DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/test"


def test_engine() -> str:
    engine = os.environ.get("MENTORGRAPH_TEST_ENGINE", "sqlite")
    if engine not in ("sqlite", "postgres"):
        raise pytest.UsageError(f"MENTORGRAPH_TEST_ENGINE must be sqlite or postgres, not {engine!r}")
    return engine


def postgres_server_url() -> str:
    return os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES_URL)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def _admin_connection(server_url: str):
    import psycopg

    parts = urlsplit(server_url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname=parts.path.lstrip("/") or "postgres",
        autocommit=True,
        connect_timeout=5,
    )


def create_postgres_database() -> str:
    """A new empty database on the test server; skips (or fails when CI=true) if the server is unreachable."""
    import psycopg

    server_url = postgres_server_url()
    name = f"mentorgraph_test_{uuid.uuid4().hex[:10]}"
    try:
        with _admin_connection(server_url) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        reason = f"PostgreSQL unreachable at {server_url} (set TEST_DATABASE_URL): {error}".splitlines()[0]
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    return _with_database(server_url, name)


def drop_postgres_database(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _admin_connection(postgres_server_url()) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
