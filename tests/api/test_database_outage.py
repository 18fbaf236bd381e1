"""The database goes away under load: every answer is a 2xx or a clean 503, and no write is lost or half-made.

A real `mentorgraph serve` over real HTTP, on a PostgreSQL cluster of this module's own (stopped and frozen
here; the shared server is never touched). They run once, in the PostgreSQL pass.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest

from tests.api.conftest import run_cli, serving
from tests.load import Load, by_kind, emails_present
from tests.postgres_cluster import own_postgres_cluster

ADMIN = "operator@load.example"
CLIENTS = 8
DEADLINE_SECONDS = 3
STATEMENT_TIMEOUT_MS = 1000
POOL_SIZE = 5  # Tortoise's default for asyncpg
# Past the deadline a request may still wait out one statement (a rollback on the frozen connection).
LONGEST_ANSWER_SECONDS = DEADLINE_SECONDS + STATEMENT_TIMEOUT_MS / 1000 + 2


@pytest.fixture(scope="module")
def cluster(engine):
    if engine != "postgres":
        pytest.skip("stops a PostgreSQL cluster of its own; runs in the PostgreSQL pass")
    with own_postgres_cluster() as cluster:
        yield cluster


@pytest.fixture
def service(cluster):
    url = cluster.create_database()
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=url).returncode == 0
    with serving(
        MENTORGRAPH_DATABASE_URL=url,
        MENTORGRAPH_SWEEP_INTERVAL_SECONDS="0",
        MENTORGRAPH_DB_STATEMENT_TIMEOUT_MS=str(STATEMENT_TIMEOUT_MS),
        MENTORGRAPH_REQUEST_TIMEOUT_SECONDS=str(DEADLINE_SECONDS),
        MENTORGRAPH_LOG_LEVEL="WARNING",
    ) as running:
        running.database_url = url
        yield running


def admin_token() -> str:
    return run_cli("token", "--email", ADMIN, "--role", "ADMIN").stdout.strip()


async def under_load(service, fault, *, before: float = 1.0, after: float = 3.0):
    """Runs the load, applies `fault` (a coroutine) after `before` seconds, then keeps loading `after` seconds.

    Returns (answers, when the fault began, when it ended), in seconds since the load began.
    """
    load = Load(service.url, admin_token(), clients=CLIENTS, prefix="outage")
    running = asyncio.create_task(load.run())
    await asyncio.sleep(before)
    began = load.now()
    await fault()
    ended = load.now()
    await asyncio.sleep(after)
    load.stop()
    return await running, began, ended


def assert_every_write_honest(answers, database_url) -> None:
    writes = [answer for answer in answers if answer.write_email]
    acknowledged = [answer.write_email for answer in writes if answer.acknowledged]
    refused = [answer.write_email for answer in writes if answer.kind in ("503", "500")]
    present = asyncio.run(emails_present(database_url, acknowledged + refused))
    assert set(acknowledged) <= present, f"acknowledged writes missing: {set(acknowledged) - present}"
    assert not set(refused) & present, f"refused writes present: {set(refused) & present}"


async def test_a_stopped_database_gets_clean_503s_with_retry_after_and_full_service_once_it_is_back(service, cluster):
    async def restart():
        await asyncio.to_thread(cluster.stop)
        await asyncio.sleep(3)
        await asyncio.to_thread(cluster.start)

    answers, began, ended = await under_load(service, restart)

    kinds = by_kind(answers)
    assert kinds["500"] == 0 and kinds["reset"] == 0, kinds
    during = [a for a in answers if began + 0.5 < a.started < ended - 0.5]
    assert during and all(a.kind == "503" for a in during), by_kind(during)
    assert all(a.retry_after == "5" and a.request_id and a.error_code == "SERVICE_UNAVAILABLE" for a in during)
    settled = [a for a in answers if a.started > ended + 1]
    assert settled and all(a.kind == "2xx" for a in settled), by_kind(settled)
    await asyncio.to_thread(assert_every_write_honest, answers, service.database_url)


async def test_a_frozen_database_is_answered_with_503_within_the_deadline_and_served_again_once_thawed(
    service, cluster
):
    async def freeze():
        cluster.freeze()
        try:
            await asyncio.sleep(7)
        finally:
            cluster.thaw()

    answers, began, ended = await under_load(service, freeze)

    kinds = by_kind(answers)
    assert kinds["500"] == 0 and kinds["reset"] == 0, kinds
    during = [a for a in answers if began < a.started and a.started + a.seconds < ended]
    assert during and all(a.kind == "503" and a.retry_after == "5" for a in during), by_kind(during)
    held = [a for a in answers if a.seconds >= LONGEST_ANSWER_SECONDS]
    # Only writes caught committing wait for the thaw (to answer what the database decided): one per connection.
    assert len(held) <= POOL_SIZE and all(a.acknowledged for a in held), held
    settled = [a for a in answers if a.started > ended + 1]
    assert settled and all(a.kind == "2xx" for a in settled), by_kind(settled)
    await asyncio.to_thread(assert_every_write_honest, answers, service.database_url)


def test_a_request_while_the_database_is_down_keeps_its_connection_open(service, cluster):
    with httpx.Client(base_url=service.url, headers={"Authorization": f"Bearer {admin_token()}"}) as http:
        assert http.post("/graphql", json={"query": "{ me { name } }"}).status_code == 200
        cluster.stop()
        try:
            refused = http.post("/graphql", json={"query": "{ me { name } }"}, timeout=10)
        finally:
            cluster.start()
        again = http.post("/graphql", json={"query": "{ me { name } }"}, timeout=10)

    assert refused.status_code == 503 and refused.headers["Retry-After"] == "5"
    assert refused.headers["X-Request-ID"]
    assert refused.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
    assert again.status_code == 200
    assert refused.headers.get("connection") != "close"
