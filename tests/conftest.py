"""Shared fixtures: a migrated database per session on the chosen engine, a clean slate per test, an HTTP client.

Tests that need no database (pure algorithms) simply don't ask for `db`.
"""

from __future__ import annotations

import httpx
import pytest

from api.app import create_app
from api.database import migrations
from api.database.connection import close_database, open_database
from api.settings import load_settings
from tests import database
from tests.support import GraphQLClient, wipe_all_tables


@pytest.fixture(scope="session")
def engine() -> str:
    return database.test_engine()


@pytest.fixture(scope="session")
def database_url(engine, tmp_path_factory) -> str:
    if engine == "sqlite":
        url = f"sqlite://{tmp_path_factory.mktemp('db') / 'mentorgraph.sqlite3'}"
        migrations.upgrade(url)
        yield url
        return
    url = database.create_postgres_database()
    try:
        migrations.upgrade(url)
        yield url
    finally:
        database.drop_postgres_database(url)


@pytest.fixture(scope="session")
async def _connected(database_url):
    await open_database(database_url)
    yield database_url
    await close_database()


@pytest.fixture
async def db(_connected, engine):
    """A connected, migrated, empty database for this test."""
    await wipe_all_tables(engine)
    yield _connected


@pytest.fixture(scope="session")
def settings(database_url):
    return load_settings(database_url=database_url, graphiql=True)


@pytest.fixture(scope="session")
def app(settings):
    return create_app(settings, manage_database=False)


@pytest.fixture
async def http(app, db):
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mentorgraph.test") as client:
        yield client


@pytest.fixture
def gql(http, settings) -> GraphQLClient:
    return GraphQLClient(http, settings)


def pytest_collection_modifyitems(config, items):
    if database.test_engine() == "postgres":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL row locks; runs in the PostgreSQL pass")
    for item in items:
        if "postgres_only" in item.keywords:
            item.add_marker(skip)
