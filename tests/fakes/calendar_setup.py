"""Running the provider fakes for a test or a benchmark, and connecting a company tenant to each of them."""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from domain.calendar.connections import connect_company
from domain.calendar.models import CalendarConnection, Provider
from domain.calendar.secrets import TokenCipher, new_key
from domain.clock import utc_now
from domain.outbox.backoff import RetryPolicy
from integrations.calendar.config import SyncConfig
from tests.fakes.google_calendar import FakeGoogleCalendar
from tests.fakes.http_fake import FakeServer
from tests.fakes.microsoft_graph import FakeMicrosoftGraph
from tests.fakes.tls import TestCA, make_test_ca

GRAPH_SECRET_VARIABLE = "MG_TEST_GRAPH_CLIENT_SECRET"
SERVICE_ACCOUNT = "mentorgraph-sync@mentorgraph-test.iam.gserviceaccount.com"


@dataclass
class RunningGoogle:
    fake: FakeGoogleCalendar
    url: str
    key_file: Path

    @property
    def config(self) -> dict:
        return {"service_account_file": str(self.key_file), "api_url": f"{self.url}/calendar/v3/"}


@dataclass
class RunningMicrosoft:
    fake: FakeMicrosoftGraph
    url: str
    ca: TestCA

    @property
    def config(self) -> dict:
        return {
            "tenant_id": self.fake.tenant,
            "client_id": self.fake.client_id,
            "client_secret_env": GRAPH_SECRET_VARIABLE,
            "authority_url": self.url,
            "graph_url": f"{self.url}/v1.0",
            "ca_file": str(self.ca.ca_file),
        }


def service_account_key(folder: Path, token_url: str) -> Path:
    private_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "service-account.json"
    path.write_text(
        json.dumps(
            {
                "type": "service_account",
                "project_id": "mentorgraph-test",
                "private_key_id": "k1",
                "private_key": pem,
                "client_email": SERVICE_ACCOUNT,
                "client_id": "1234567890",
                "token_uri": token_url,
            }
        )
    )
    return path


@contextlib.contextmanager
def running_google(folder: Path, **options) -> Iterator[RunningGoogle]:
    fake = FakeGoogleCalendar(**options)
    with FakeServer(fake) as server:
        yield RunningGoogle(fake, server.url, service_account_key(folder, f"{server.url}/token"))


@contextlib.contextmanager
def running_microsoft(folder: Path, **options) -> Iterator[RunningMicrosoft]:
    ca = make_test_ca(folder / "tls")
    fake = FakeMicrosoftGraph(**options)
    os.environ[GRAPH_SECRET_VARIABLE] = fake.client_secret
    with FakeServer(fake, tls=ca.server_context()) as server:
        fake.base_url = server.url
        yield RunningMicrosoft(fake, server.url, ca)


@pytest.fixture
def google(tmp_path):
    """The Google fake, running for one test (import into a conftest to use it)."""
    with running_google(tmp_path / "google") as running:
        yield running


@pytest.fixture
def microsoft(tmp_path):
    """The Microsoft fake over TLS, running for one test (import into a conftest to use it)."""
    with running_microsoft(tmp_path / "microsoft") as running:
        yield running


async def connect(provider: Provider, running: RunningGoogle | RunningMicrosoft, *domains: str) -> CalendarConnection:
    return await connect_company(provider=provider, domains=list(domains), config=running.config, now=utc_now())


def worker_environment(database_url: str, graph_secret: str, **variables: str) -> dict[str, str]:
    """The environment of a `mentorgraph worker` process against these fakes, with millisecond backoff."""
    from tests.api.conftest import cli_environment

    defaults = {
        "MENTORGRAPH_DATABASE_URL": database_url,
        "MENTORGRAPH_WORKER_POLL_SECONDS": "0.05",
        "MENTORGRAPH_WORKER_BACKOFF_BASE_SECONDS": "0.01",
        "MENTORGRAPH_WORKER_BACKOFF_CAP_SECONDS": "0.3",
        "MENTORGRAPH_WORKER_MAX_ATTEMPTS": "60",
        "MENTORGRAPH_PROVIDER_TIMEOUT_SECONDS": "5",
        "MENTORGRAPH_SWEEP_INTERVAL_SECONDS": "0",
        GRAPH_SECRET_VARIABLE: graph_secret,
    }
    return cli_environment(**{**defaults, **variables})


def fast_config(**overrides) -> SyncConfig:
    """Retries in milliseconds rather than seconds, so fault tests run quickly."""
    cipher = TokenCipher([new_key()])
    defaults = dict(
        token_cipher=lambda: cipher,
        retry_policy=RetryPolicy(max_attempts=12, base=timedelta(milliseconds=5), cap=timedelta(milliseconds=40)),
        worker_poll_seconds=0.02,
        worker_lease_seconds=30,
        provider_timeout_seconds=5,
    )
    return SyncConfig(**{**defaults, **overrides})
