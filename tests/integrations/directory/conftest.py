"""A company connection to the directory fakes, and one call that runs a directory sync against it."""

from __future__ import annotations

import pytest

from domain.calendar.connections import connect_company
from domain.calendar.models import CalendarConnection, Provider
from domain.clock import utc_now
from domain.people.directory_mapping import DirectoryMapping
from integrations.directory.retry import RetryRule
from integrations.directory.sources import DirectoryOptions, sync_connection
from tests.fakes.calendar_setup import connect, fast_config
from tests.fakes.directory_setup import running_entra, running_workspace

DOMAIN = "contoso.example"


class Waits:
    """Records how long each throttled read was told to wait, and waits not at all."""

    def __init__(self) -> None:
        self.seconds: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def entra(tmp_path):
    with running_entra(tmp_path / "entra", page_size=100) as running:
        yield running


@pytest.fixture
def waits() -> Waits:
    return Waits()


@pytest.fixture
def sync(waits):
    config = fast_config()

    async def run(connection: CalendarConnection, *, dry_run: bool = False, mapping=DirectoryMapping(), **options):
        chosen = DirectoryOptions(retry=RetryRule(attempts=5, base_seconds=0.01), sleep=waits, **options)
        return await sync_connection(connection, config, chosen, mapping=mapping, now=utc_now(), dry_run=dry_run)

    return run


@pytest.fixture
async def entra_connection(db, entra) -> CalendarConnection:
    return await connect(Provider.MICROSOFT, entra, DOMAIN)


@pytest.fixture
def workspace(tmp_path):
    with running_workspace(tmp_path / "workspace") as running:
        yield running


@pytest.fixture
async def workspace_connection(db, workspace) -> CalendarConnection:
    return await connect_company(provider=Provider.GOOGLE, domains=[DOMAIN], config=workspace.config, now=utc_now())
