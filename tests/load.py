"""Concurrent clients against a running service, each answer sorted by kind: the fault tests' and bench's load.

Every client alternates a read and a creating write (importPeople of one new person with a unique email), so
afterwards the database can be checked against what was acknowledged and what was refused.
"""

from __future__ import annotations

import asyncio
import itertools
import time
from collections import Counter
from dataclasses import dataclass

import httpx

READ = "{ me { name } people(first: 5) { edges { node { email } } } }"
WRITE = """mutation Import($csv: String!) {
  importPeople(input: {csv: $csv}) { __typename ... on ImportPeoplePayload { created } ... on Error { code } }
}"""
KINDS = ("2xx", "typed error", "503", "500", "reset")
CLIENT_TIMEOUT_SECONDS = 30


@dataclass(frozen=True)
class Answer:
    started: float  # seconds since the load began
    seconds: float
    kind: str
    write_email: str | None = None  # set for writes
    acknowledged: bool = False
    retry_after: str | None = None
    request_id: str | None = None
    error_code: str | None = None


def _kind(response: httpx.Response) -> tuple[str, bool, str | None]:
    """(kind, acknowledged write, the top-level error code)."""
    if response.status_code == 503:
        return "503", False, _top_level_code(response)
    if response.status_code >= 500 or response.status_code < 200 or response.status_code >= 300:
        return "500", False, _top_level_code(response)
    body = response.json()
    if body.get("errors"):
        return "500", False, _top_level_code(response)
    outcome = (body.get("data") or {}).get("importPeople")
    if outcome is not None and outcome["__typename"] != "ImportPeoplePayload":
        return "typed error", False, outcome.get("code")
    return "2xx", outcome is not None and outcome["created"] == 1, None


def _top_level_code(response: httpx.Response) -> str | None:
    try:
        return response.json()["errors"][0]["extensions"]["code"]
    except (ValueError, KeyError, IndexError, TypeError):
        return None


class Load:
    """`clients` connections (kept alive, as a mobile backend's pool would) until `stop()`."""

    def __init__(self, url: str, token: str, *, clients: int, prefix: str) -> None:
        self.url = url
        self.token = token
        self.clients = clients
        self.prefix = prefix
        self.answers: list[Answer] = []
        self._stopping = asyncio.Event()
        self._numbers = itertools.count()
        self._began = 0.0

    def now(self) -> float:
        return time.monotonic() - self._began

    async def run(self) -> list[Answer]:
        self._began = time.monotonic()
        await asyncio.gather(*(self._client() for _ in range(self.clients)))
        return self.answers

    def stop(self) -> None:
        self._stopping.set()

    async def _client(self) -> None:
        headers = {"Authorization": f"Bearer {self.token}"}
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        async with httpx.AsyncClient(base_url=self.url, headers=headers, limits=limits) as http:
            write = False
            while not self._stopping.is_set():
                await self._one(http, write=write)
                write = not write

    async def _one(self, http: httpx.AsyncClient, *, write: bool) -> None:
        email = f"{self.prefix}-{next(self._numbers)}@load.example" if write else None
        body = {"query": READ} if not write else {"query": WRITE, "variables": {"csv": f"email,name\n{email},Load"}}
        started = self.now()
        try:
            response = await http.post("/graphql", json=body, timeout=CLIENT_TIMEOUT_SECONDS)
        except httpx.TransportError:
            self.answers.append(Answer(started, self.now() - started, "reset", email))
            await asyncio.sleep(0.05)  # a client whose connection broke reconnects, without spinning
            return
        kind, acknowledged, code = _kind(response)
        self.answers.append(
            Answer(
                started,
                self.now() - started,
                kind,
                email,
                acknowledged,
                response.headers.get("Retry-After"),
                response.headers.get("X-Request-ID"),
                code,
            )
        )
        if kind == "503":
            await asyncio.sleep(0.05)


def by_kind(answers: list[Answer]) -> Counter:
    counts = Counter({kind: 0 for kind in KINDS})
    counts.update(answer.kind for answer in answers)
    return counts


def p99(answers: list[Answer]) -> float:
    if not answers:
        return 0.0
    ordered = sorted(answer.seconds for answer in answers)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


async def emails_present(database_url: str, emails: list[str]) -> set[str]:
    """Which of `emails` are people in the database (asked directly, not through the service)."""
    import asyncpg

    connection = await asyncpg.connect(database_url.replace("postgres://", "postgresql://", 1))
    try:
        rows = await connection.fetch("SELECT email FROM person WHERE email = ANY($1::text[])", emails)
    finally:
        await connection.close()
    return {row["email"] for row in rows}
