"""The embedded default beside its own CLI: `serve` keeps booking while `mentorgraph import-people` writes
2,000 people into the same SQLite file. Runs once, in the SQLite pass."""

from __future__ import annotations

import asyncio
import datetime
import subprocess
import sys

import httpx
import pytest

from api.demo import DEMO_MENTEE
from tests.api.conftest import ROOT, active_relationship, cli_environment, run_cli, serving

ROWS = 2000
CLIENTS = 4
BOOK = """mutation($input: BookMeetingInput!) {
  bookMeeting(input: $input) { __typename ... on Error { code message } }
}"""


@pytest.fixture(autouse=True)
def _sqlite_pass_only(engine):
    if engine != "sqlite":
        pytest.skip("starts its own SQLite service; runs in the SQLite pass")


def people_csv(rows: int) -> str:
    lines = ["email,name,department,time_zone"]
    lines += [f"person{n}@import.example,Person {n},Dept {n % 40},Europe/London" for n in range(rows)]
    return "\n".join(lines) + "\n"


async def book_until(url: str, token: str, relationship: str, first_day: int, done: asyncio.Event) -> list:
    """One client booking a meeting on a day of its own, again and again, until the import has finished."""
    answers = []
    day = first_day
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {token}"}, timeout=30) as http:
        while not done.is_set() or not answers:
            start = datetime.datetime.now(datetime.UTC).replace(hour=17, minute=10, second=0, microsecond=0)
            start += datetime.timedelta(days=day)
            variables = {"input": {"relationshipId": relationship, "start": start.isoformat(), "durationMinutes": 30}}
            response = await http.post("/graphql", json={"query": BOOK, "variables": variables})
            answers.append(response)
            day += CLIENTS
    return answers


def test_bookings_go_on_while_the_cli_imports_into_the_same_sqlite_file(tmp_path):
    database_url = f"sqlite://{tmp_path / 'mentorgraph.sqlite3'}"
    assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    assert run_cli("seed-demo", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
    token = run_cli("token", "--email", DEMO_MENTEE).stdout.strip()
    (tmp_path / "people.csv").write_text(people_csv(ROWS))

    with serving(MENTORGRAPH_DATABASE_URL=database_url, MENTORGRAPH_SWEEP_INTERVAL_SECONDS="0") as service:
        relationship = active_relationship(service.url, token)

        async def side_by_side():
            done = asyncio.Event()
            clients = [
                asyncio.create_task(book_until(service.url, token, relationship, 2 + n, done)) for n in range(CLIENTS)
            ]
            importing = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "api.cli", "import-people", str(tmp_path / "people.csv"),
                cwd=ROOT, env=cli_environment(MENTORGRAPH_DATABASE_URL=database_url),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE,  # the running count goes to stderr
            )  # fmt: skip
            output, _ = await importing.communicate()
            done.set()
            answers = [answer for client in clients for answer in await client]
            return importing.returncode, output.decode(), answers

        code, output, answers = asyncio.run(side_by_side())

    assert code == 0, output
    assert output.startswith(f"{ROWS} created"), output
    bodies = [answer.text for answer in answers]
    assert not [body for body in bodies if "Unexpected error" in body], "a lock is never our bug"
    assert {answer.status_code for answer in answers} <= {200, 503}, bodies
    for answer in answers:
        if answer.status_code == 503:  # a lock not had in time: typed, retryable
            assert answer.headers["Retry-After"] and "SERVICE_UNAVAILABLE" in answer.text
        else:
            assert answer.json()["data"]["bookMeeting"]["__typename"] == "MeetingPayload", answer.text
    assert sum(answer.status_code == 200 for answer in answers) >= CLIENTS
