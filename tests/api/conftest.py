"""Fixtures for the service's edges: the fake identity provider, fresh databases, and the CLI in a subprocess."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests import database
from tests.fakes.identity_provider import identity_provider  # noqa: F401 - a fixture

ROOT = Path(__file__).resolve().parents[2]


@contextlib.contextmanager
def new_database(engine: str, folder: Path) -> Iterator[str]:
    """An empty database, never migrated, on the given engine: a new SQLite file or a new PostgreSQL database."""
    if engine == "sqlite":
        yield f"sqlite://{folder / 'fresh.sqlite3'}"
        return
    url = database.create_postgres_database()
    try:
        yield url
    finally:
        database.drop_postgres_database(url)


@pytest.fixture
def fresh_database_url(engine, tmp_path) -> Iterator[str]:
    """An empty database of this test's own on the engine of this run."""
    with new_database(engine, tmp_path) as url:
        yield url


def cli_environment(**variables: str) -> dict[str, str]:
    """This process's environment without any MENTORGRAPH_* setting, plus the given ones."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("MENTORGRAPH_")}
    env.update(variables)
    return env


def run_cli(*args: str, timeout: float = 60, **variables: str) -> subprocess.CompletedProcess[str]:
    """Runs `mentorgraph ARGS` as a new process, the way a shell would, from the repository root."""
    return subprocess.run(
        [sys.executable, "-m", "api.cli", *args],
        cwd=ROOT,
        env=cli_environment(**variables),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
