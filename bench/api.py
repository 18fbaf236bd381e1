"""`make bench-api`: the coordinator's dashboard, the participant's home and availableSlots over real HTTP.

For each engine (a SQLite file; a scratch PostgreSQL database on 127.0.0.1:5432, created and dropped here)
it seeds an organisation (bench/orggen.py, bench/orggen_activity.py), starts uvicorn serving the app as
`serve` builds it in a separate process (bench/api_server.py), and drives it with wrk from another process
on loopback. Three answers per document, all checked byte-for-byte equal before any timing:

* graphql: POST /graphql with the document below;
* orm: a hand-written Starlette endpoint, same token check, same Tortoise models (bench/api_baselines.py);
* sql: the same with hand-written SQL, the floor (bench/api_floor.py; none for availableSlots, whose time is
  the slot search itself, not its reads).

Rounds interleave the three (rotating who goes first) at 1 and 32 connections, so noise hits all alike.
Per row: requests/s, p50 and p99 (medians over rounds), SQL statements per request, and the ratio against
the ORM baseline (requests/s: baseline / GraphQL; latencies: GraphQL / baseline). The server's resident
set is printed idle, at its peak under load, and idle after every round (growth would be a leak).

Default size: 2,000 people, 1,000 relationships. The issue's size: BENCH_ARGS="--people 10000
--relationships 5000".
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tortoise import connections

from api.auth import issue_development_token
from api.database import migrations
from api.database.connection import close_database, open_database
from api.settings import load_settings
from bench.api_baselines import gid, slot_search_window
from bench.orggen import OrgSpec, generate, write_organisation
from bench.orggen_activity import ActivitySpec, ProgramActivity, write_program_activity
from bench.scratch_database import scratch_database_url
from domain.access import Role

DASHBOARD = """query Dashboard($program: ID!) {
  relationships(programId: $program, first: 50) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node {
      id status startedAt
      members { role person { name timeZone department } }
      agreement { cadence signedByAll }
      goalSummary { total notStarted inProgress achieved dropped }
      health { status dueBy }
      nextMeeting { start status }
    } }
  }
  atRiskRelationships(programId: $program) { relationshipId dueBy lastHeldAt signals { kind value } }
}"""
HOME = """query Home {
  me { relationships {
    id status kind startedAt
    members { role person { id name timeZone } }
    agreement { cadence meetingMinutes signedByAll }
    goals { id title status targetDate milestones { title dueOn completedAt } }
    meetings { id start end status title attendees { rsvp person { name } } }
  } }
}"""
SLOTS = """query Slots($input: AvailableSlotsInput!) {
  availableSlots(input: $input) { ... on AvailableSlots {
    slots { start end insideEveryonesWorkingHours maxCost totalCost
            attendees { timeZone localStart localEnd insideWorkingHours inNight cost } }
    hasMore endCursor
  } }
}"""
ROOT = Path(__file__).resolve().parent.parent
TARGETS = ("graphql", "orm", "sql")
WAVES, MAX_SECONDS = 4, 32
WRK_SCRIPT = """
wrk.method = "POST"
wrk.body = io.open("{body}"):read("*a")
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {token}"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %d %d %d %d\\n", summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(99), e.connect + e.read + e.write + e.timeout, e.status))
end
"""


@dataclass
class Case:
    name: str
    document: str
    variables: dict
    token: str
    paths: dict[str, str]  # target -> path
    statements: dict[str, int] = field(default_factory=dict)
    # (target, connections) -> [(requests/s, p50 ms, p99 ms)] per round
    timings: dict[tuple[str, int], list[tuple[float, float, float]]] = field(default_factory=dict)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port: int, path: str, body: bytes, token: str) -> bytes:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        return response.read()


def stats(port: int, *, reset: bool = False) -> dict:
    """The server's counters; `reset` also counts its live objects and restarts the peak resident set."""
    query = "?reset=1&objects=1" if reset else ""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/bench/stats{query}") as response:
        return json.loads(response.read())


def wait_until_idle(port: int) -> None:
    """Until the server has finished what the last run left in flight, so it cannot slow the next one."""
    deadline = time.monotonic() + 120
    while stats(port)["in_flight"] and time.monotonic() < deadline:
        time.sleep(0.05)


def wrk(port: int, path: str, script: Path, connections: int, seconds: float) -> tuple[float, float, float]:
    """(requests/s, p50 ms, p99 ms); run again for twice as long while fewer than 4 answers per connection came."""
    seconds = max(1, round(seconds))
    while True:
        command = ["wrk", f"-t{min(connections, 2)}", f"-c{connections}", f"-d{seconds}s", "--timeout", "60s",
                   "-s", str(script), f"http://127.0.0.1:{port}{path}"]  # fmt: skip
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
        wait_until_idle(port)
        line = next(line for line in output.splitlines() if line.startswith("RESULT"))
        requests, duration_us, p50_us, p99_us, socket_errors, status_errors = map(int, line.split()[1:])
        if socket_errors or status_errors:
            # e.g. 503s past the request deadline when the machine is overloaded: said, not hidden in the median
            print(f"wrk {connections} conns on {path}: {socket_errors} socket errors, {status_errors} non-2xx",
                  file=sys.stderr)  # fmt: skip
        if requests >= WAVES * connections or seconds >= MAX_SECONDS:
            return requests / (duration_us / 1e6), p50_us / 1000, p99_us / 1000
        seconds *= 2


async def seed(url: str, people: int, relationships: int) -> tuple[ProgramActivity, dict[str, int]]:
    migrations.upgrade(url)
    await open_database(url)
    try:
        org = generate(OrgSpec(people=people))
        rows = await write_organisation(org)
        activity = await write_program_activity(org, ActivitySpec(relationships=relationships))
        # Planner statistics, as autovacuum keeps them on a live server: without them PostgreSQL runs the
        # health aggregate's per-relationship lookups as scans (measured 360 ms against 22 ms after ANALYZE).
        await connections.get("default").execute_script("ANALYZE")
    finally:
        await close_database()
    return activity, {**rows, **activity.rows}


@contextlib.contextmanager
def server(url: str):
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "bench" / "api_server.py"), url, str(port)])
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                stats(port)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the bench server did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def cases(activity: ProgramActivity, url: str) -> list[Case]:
    settings = load_settings(database_url=url)
    coordinator = issue_development_token(settings, email=activity.coordinator_email, role=Role.COORDINATOR)
    participant = issue_development_token(settings, email=activity.participant_email, role=Role.PARTICIPANT)
    start, end = slot_search_window(datetime.now(UTC))
    slot_input = {"relationshipId": gid("Relationship", activity.pair_relationship_id), "from": start.isoformat(),
                  "to": end.isoformat(), "durationMinutes": 45, "limit": 10}  # fmt: skip

    def paths(name: str, *, floor: bool = True) -> dict[str, str]:
        found = {"graphql": "/graphql", "orm": f"/baseline/orm/{name}"}
        return {**found, "sql": f"/baseline/sql/{name}"} if floor else found

    return [
        Case(
            "dashboard",
            DASHBOARD,
            {"program": gid("Program", activity.program_id)},
            coordinator,
            paths("dashboard"),
        ),
        Case("home", HOME, {}, participant, paths("home")),
        Case("availableSlots", SLOTS, {"input": slot_input}, participant, paths("slots", floor=False)),
    ]


def check_answers(port: int, case: Case) -> None:
    """All answers byte-for-byte equal and free of errors; and each target's statements per request."""
    body = json.dumps({"query": case.document, "variables": case.variables}).encode()
    answers = {}
    for target, path in case.paths.items():
        before = stats(port)["statements"]
        answers[target] = post(port, path, body, case.token)
        case.statements[target] = stats(port)["statements"] - before
    parsed = json.loads(answers["graphql"])
    if "errors" in parsed or not parsed.get("data"):
        raise SystemExit(f"{case.name}: GraphQL answered {answers['graphql'][:400]!r}")
    for target, found in answers.items():
        if found != answers["graphql"]:
            raise SystemExit(
                f"{case.name}: {target} differs from GraphQL\n{found[:600]!r}\n{answers['graphql'][:600]!r}"
            )


def measure(port: int, all_cases: list[Case], rounds: int, seconds: float, folder: Path) -> list[dict]:
    scripts = {}
    for case in all_cases:
        body_file = folder / f"{case.name}.json"
        body_file.write_text(json.dumps({"query": case.document, "variables": case.variables}))
        scripts[case.name] = folder / f"{case.name}.lua"
        scripts[case.name].write_text(WRK_SCRIPT.replace("{body}", str(body_file)).replace("{token}", case.token))
    for case in all_cases:  # warm-up: imports, caches, the database's pages
        for path in case.paths.values():
            wrk(port, path, scripts[case.name], 1, 1)
    memory = [{"round": "idle before load", **stats(port, reset=True)}]
    for number in range(rounds):
        for case in all_cases:
            targets = list(case.paths)
            order = targets[number % len(targets) :] + targets[: number % len(targets)]
            for target in order:
                timing = wrk(port, case.paths[target], scripts[case.name], 1, seconds)
                case.timings.setdefault((target, 1), []).append(timing)
            for target in order:
                # Long enough for the 32 connections to be answered a few times over, whatever the speed.
                needed = WAVES * 32 / case.timings[(target, 1)][-1][0]
                timing = wrk(port, case.paths[target], scripts[case.name], 32, min(max(seconds, needed), MAX_SECONDS))
                case.timings.setdefault((target, 32), []).append(timing)
        memory.append({"round": f"after round {number + 1}", **stats(port, reset=True)})
    return memory


def report(engine: str, all_cases: list[Case], memory: list[dict], rows: dict[str, int], load: str) -> None:
    print(f"\n{engine}: {', '.join(f'{n:,} {t}' for t, n in rows.items())}; load average at start {load}")
    print(f"{'document':<15}{'target':<8}{'conns':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'stmts':>6}"
          f"{'req/s ratio':>12}{'p50 ratio':>10}{'p99 ratio':>10}")  # fmt: skip
    for case in all_cases:
        for conns in (1, 32):
            medians = {}
            for target in case.paths:
                runs = case.timings[(target, conns)]
                medians[target] = tuple(statistics.median(run[i] for run in runs) for i in range(3))
            base = medians["orm"]
            for target in TARGETS:
                if target not in medians:
                    continue
                rps, p50, p99 = medians[target]
                ratios = "" if target == "orm" else f"{base[0] / rps:11.2f}x{p50 / base[1]:9.2f}x{p99 / base[2]:9.2f}x"
                print(f"{case.name:<15}{target:<8}{conns:>5}{rps:9.1f}{p50:9.1f}{p99:9.1f}"
                      f"{case.statements[target]:>6} {ratios}")  # fmt: skip
    print("ratios are against the ORM baseline (orm): req/s baseline/target, latencies target/baseline")
    print("server RSS in MiB (peak under load since the previous line) and live objects: " + "; ".join(
        f"{m['round']}: {m['rss_kib'] / 1024:.0f} (peak {m['peak_rss_kib'] / 1024:.0f}), {m['objects']:,} objects"
        for m in memory))  # fmt: skip


async def run_engine(engine: str, arguments) -> None:
    with scratch_database_url(engine) as url, tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        activity, rows = await seed(url, arguments.people, arguments.relationships)
        print(f"{engine}: seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
        with server(url) as port:
            all_cases = cases(activity, url)
            for case in all_cases:
                check_answers(port, case)
            load = " ".join(f"{value:.1f}" for value in os.getloadavg())
            memory = measure(port, all_cases, arguments.rounds, arguments.seconds, Path(folder))
        report(engine, all_cases, memory, rows, load)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engine", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--people", type=int, default=2_000)
    parser.add_argument("--relationships", type=int, default=1_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=2, help="per wrk run")
    arguments = parser.parse_args()
    if arguments.engine != "both":
        asyncio.run(run_engine(arguments.engine, arguments))
        return
    # One process per engine: Tortoise keeps statements built for the first engine it was opened on.
    for engine in ("sqlite", "postgres"):
        subprocess.run([sys.executable, __file__, *sys.argv[1:], "--engine", engine], check=True)


if __name__ == "__main__":
    main()
