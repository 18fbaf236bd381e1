"""Fixtures for the service's edges: the fake identity provider, fresh databases, and the CLI in a subprocess."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from api.app import create_app
from api.settings import load_settings
from tests import database
from tests.fakes.calendar_setup import google, microsoft  # noqa: F401 - fixtures
from tests.fakes.identity_provider import (
    ENTRA_APP_ID,
    ENTRA_ISSUER,
    GOOGLE_CLIENT_ID,
    GOOGLE_ISSUER,
    identity_provider,  # noqa: F401 - a fixture
)

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


@pytest.fixture
def production(identity_provider, database_url, monkeypatch):  # noqa: F811 - the fixture imported above
    """Builds the app from MENTORGRAPH_* variables in production mode, trusting the fake as Entra ID or Google."""

    def settings_for(provider: str = "entra", **variables: str):
        issuer, audience = (ENTRA_ISSUER, ENTRA_APP_ID) if provider == "entra" else (GOOGLE_ISSUER, GOOGLE_CLIENT_ID)
        environment = {
            "MENTORGRAPH_MODE": "production",
            "MENTORGRAPH_DATABASE_URL": database_url,
            "MENTORGRAPH_JWKS_URL": identity_provider.jwks_url,
            "MENTORGRAPH_JWT_ISSUER": issuer,
            "MENTORGRAPH_JWT_AUDIENCE": audience,
            **variables,
        }
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return load_settings()

    return settings_for


def client_for(settings) -> httpx.AsyncClient:
    app = create_app(settings, manage_database=False)
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://mentorgraph.test")


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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def active_relationship(url: str, token: str) -> str:
    """The id of the first ACTIVE relationship of the token's person, asked of a running service."""
    me = httpx.post(
        f"{url}/graphql",
        json={"query": "{ me { relationships { id status } } }"},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    ).json()
    return next(r["id"] for r in me["data"]["me"]["relationships"] if r["status"] == "ACTIVE")


@dataclass
class Service:
    url: str
    output: str = ""  # what the process printed, once it has stopped
    process: subprocess.Popen | None = None


@contextlib.contextmanager
def serving(*arguments: str, startup_seconds: float = 60, **variables: str) -> Iterator[Service]:
    """Runs `mentorgraph serve [ARGUMENTS]` (the console script) on a free port; yields it once /healthz answers.

    Its output goes to a file, not a pipe: a pipe nobody reads fills up under load and stalls the server.
    """
    port = free_port()
    log = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in the finally below, after the process
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("mentorgraph")), "serve", "--port", str(port), *arguments],
        cwd=ROOT,
        env=cli_environment(**variables),
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    service = Service(url=f"http://127.0.0.1:{port}", process=process)
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            if process.poll() is not None:
                log.seek(0)
                pytest.fail(f"`mentorgraph serve` exited with {process.returncode}:\n{log.read()}")
            try:
                if httpx.get(f"{service.url}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"`mentorgraph serve` did not answer /healthz within {startup_seconds} s")
            time.sleep(0.1)
        yield service
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.seek(0)
        service.output = log.read()
        log.close()
