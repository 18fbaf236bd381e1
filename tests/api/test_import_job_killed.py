"""A server SIGKILLed in the middle of a background people import leaves no row of it, and the job reads FAILED.

Given `serve` on PostgreSQL running a 20,000-row import as a job, when the process is killed once the job
has stored progress (so its write transaction is under way), then no person of the file exists, and a server
started again answers importJob with FAILED and the reason, once the dead job's heartbeat is older than the
staleness bound (moved back here instead of waited for: the bound is 30 s).
"""

from __future__ import annotations

import asyncio
import time

import asyncpg
import httpx
import pytest

from domain.people import import_jobs
from tests.api.conftest import run_cli, serving

ROWS = 20_000
IMPORT = """mutation($input: ImportPeopleInput!) {
  importPeople(input: $input) { __typename ... on PeopleImportStarted { job { id } } ... on Error { code message } }
}"""
JOB = "query($id: ID!) { importJob(id: $id) { status failure processedRows totalRows } }"

pytestmark = pytest.mark.postgres_only


def people_csv(rows: int) -> str:
    return "email,name,time_zone\n" + "".join(f"k{n}@kill.example,Person {n},Europe/Paris\n" for n in range(rows))


async def query(url: str, sql: str, *args):
    connection = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        return await connection.fetchval(sql, *args)
    finally:
        await connection.close()


async def test_a_killed_import_writes_nothing_and_its_job_reads_failed(fresh_database_url):
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=fresh_database_url).returncode == 0
    token = run_cli("token", "--email", "it@acme.example", "--role", "ADMIN").stdout.strip()
    headers = {"Authorization": f"Bearer {token}"}
    variables = {"MENTORGRAPH_DATABASE_URL": fresh_database_url, "MENTORGRAPH_SWEEP_INTERVAL_SECONDS": "0"}

    with serving(**variables) as service:
        async with httpx.AsyncClient(base_url=service.url, headers=headers, timeout=60) as http:
            response = await http.post(
                "/graphql", json={"query": IMPORT, "variables": {"input": {"csv": people_csv(ROWS)}}}
            )
        answer = response.json()
        job_id = answer["data"]["importPeople"]["job"]["id"]
        deadline = time.monotonic() + 300
        while not await query(
            fresh_database_url, "SELECT count(*) FROM people_import_job WHERE status = 'RUNNING' AND processed_rows > 0"
        ):
            assert time.monotonic() < deadline, "the job stored no progress within 5 minutes"
            await asyncio.sleep(0.05)
        service.process.kill()
        service.process.wait(timeout=30)

    assert await query(fresh_database_url, "SELECT count(*) FROM person WHERE email LIKE '%@kill.example'") == 0
    assert await query(fresh_database_url, "SELECT status FROM people_import_job") == "RUNNING"
    await query(
        fresh_database_url,
        "UPDATE people_import_job SET heartbeat_at = heartbeat_at - $1::interval",
        import_jobs.STALE_AFTER * 2,
    )
    with serving(**variables) as again:
        async with httpx.AsyncClient(base_url=again.url, headers=headers, timeout=60) as http:
            response = await http.post("/graphql", json={"query": JOB, "variables": {"id": job_id}})
        job = response.json()["data"]["importJob"]

    assert job["status"] == "FAILED"
    assert job["failure"] == import_jobs.INTERRUPTED
    assert await query(fresh_database_url, "SELECT csv FROM people_import_job") is None
