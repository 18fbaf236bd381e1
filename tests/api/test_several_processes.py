"""More than one server process on one PostgreSQL database: the service keeps no state in a process.

Given two `mentorgraph serve` processes (and then one `serve --workers 2`) on the same database, when the same
person's bookings for the same hour arrive at all of them at once, then exactly one is booked and every other
is a ConflictError: the person locks hold across processes. SQLite refuses `--workers` above 1.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import re

import asyncpg
import httpx
import pytest

from api.demo import DEMO_MENTEE
from tests.api.conftest import active_relationship, run_cli, serving

BOOK = """mutation($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on Error { code field } }
}"""
PER_SERVER = 8


def demo_database(url: str) -> str:
    """Migrates and seeds `url`; the demo mentee's token."""
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=url).returncode == 0
    assert run_cli("seed-demo", MENTORGRAPH_DATABASE_URL=url).returncode == 0
    return run_cli("token", "--email", DEMO_MENTEE).stdout.strip()


async def meetings_at(url: str, start: datetime.datetime) -> int:
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return await connection.fetchval("SELECT count(*) FROM meeting WHERE starts_at = $1", start)
    finally:
        await connection.close()


START = datetime.datetime.now(datetime.UTC).replace(hour=17, minute=10, second=0, microsecond=0)
START += datetime.timedelta(days=3)


async def book_the_same_hour_everywhere(urls: list[str], token: str, relationship: str) -> list[dict]:
    start = START
    variables = {"input": {"relationshipId": relationship, "start": start.isoformat(), "durationMinutes": 30}}
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=60)
            )
            for url in urls
        ]
        responses = await asyncio.gather(
            *(client.post("/graphql", json={"query": BOOK, "variables": variables}) for client in clients * PER_SERVER)
        )
    assert {response.status_code for response in responses} == {200}, [response.text for response in responses]
    return [response.json()["data"]["bookMeeting"] for response in responses]


def assert_exactly_one_booked(answers: list[dict]) -> None:
    kinds = sorted(answer["__typename"] for answer in answers)
    assert kinds == ["ConflictError"] * (len(answers) - 1) + ["MeetingPayload"], kinds
    assert {answer.get("field") for answer in answers if answer["__typename"] == "ConflictError"} == {"start"}


@pytest.mark.postgres_only
async def test_two_servers_on_one_database_book_one_of_many_concurrent_requests_for_the_same_hour(
    fresh_database_url,
):
    token = demo_database(fresh_database_url)
    quiet = {"MENTORGRAPH_DATABASE_URL": fresh_database_url, "MENTORGRAPH_SWEEP_INTERVAL_SECONDS": "0"}
    with serving(**quiet) as first, serving(**quiet) as second:
        relationship = active_relationship(first.url, token)

        answers = await book_the_same_hour_everywhere([first.url, second.url], token, relationship)

    assert_exactly_one_booked(answers)
    assert len(answers) == 2 * PER_SERVER
    assert await meetings_at(fresh_database_url, START) == 1


@pytest.mark.postgres_only
async def test_serve_with_two_workers_runs_two_processes_that_book_one_of_many(fresh_database_url):
    token = demo_database(fresh_database_url)
    with serving("--workers", "2", MENTORGRAPH_DATABASE_URL=fresh_database_url) as service:
        relationship = active_relationship(service.url, token)
        answers = await book_the_same_hour_everywhere([service.url] * 2, token, relationship)

    assert_exactly_one_booked(answers)
    assert await meetings_at(fresh_database_url, START) == 1
    started = set(re.findall(r"Started server process \[(\d+)\]", service.output))
    assert len(started) >= 2, service.output
    assert "Traceback" not in service.output, service.output


def test_sqlite_refuses_more_than_one_worker_in_one_line(tmp_path, engine):
    if engine != "sqlite":
        pytest.skip("about SQLite alone; runs in the SQLite pass")
    database_url = f"sqlite://{tmp_path / 'mentorgraph.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0

    refused = run_cli("serve", "--workers", "2", MENTORGRAPH_DATABASE_URL=database_url)

    assert refused.returncode == 2
    assert refused.stderr.strip().splitlines() == [
        "mentorgraph: --workers needs PostgreSQL: an SQLite file takes one writer at a time, so more processes "
        "would only queue for its lock; serve SQLite with one worker"
    ]
