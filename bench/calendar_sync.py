"""Benchmark calendar sync through the outbox against the provider fakes (real client libraries, real HTTP).

Run: python bench/calendar_sync.py [MEETINGS] [DATABASE_URL]. MEETINGS defaults to 1000 (half with Google
organizers, half Microsoft; a third rescheduled and a fifth cancelled after booking). The database defaults to
a new PostgreSQL database on TEST_DATABASE_URL's server (dropped at the end), else a new SQLite file.

Cases, each on a fresh database: the whole load through `worker_concurrency` meetings in flight, without
faults and with 30% of requests failing transiently (lost responses after commit included); the baseline is
the same load one meeting at a time, run first in this process, and the ratio is meetings/s against it.
A last case books meetings at a steady rate with the worker running and reports commit -> synced latency.
Every case ends with the exactly-once check (duplicates, missing, wrong state, uninvited: all must be 0).
"""

from __future__ import annotations

import asyncio
import os
import resource
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from api.database import migrations
from api.database.connection import close_database, open_database
from api.database.urls import engine_of
from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import CalendarEvent, Provider, SyncStatus
from domain.outbox.models import MessageStatus, OutboxMessage
from integrations.calendar.worker import CalendarWorker
from tests import database
from tests.fakes import google_calendar, microsoft_graph
from tests.fakes.calendar_checks import check_convergence
from tests.fakes.calendar_load import GOOGLE_DOMAIN, MICROSOFT_DOMAIN, book_load, change_load
from tests.fakes.calendar_setup import connect, fast_config, running_google, running_microsoft, worker_environment
from tests.fakes.http_fake import FaultPlan
from tests.support import wipe_all_tables

PROVIDERS = {GOOGLE_DOMAIN: Provider.GOOGLE, MICROSOFT_DOMAIN: Provider.MICROSOFT}
GOAL_PER_SECOND = 200


@dataclass
class Outcome:
    case: str
    meetings: int
    seconds: float
    calls: int
    problems: int
    worker_cpu: float = 0.0
    fakes_cpu: float = 0.0

    @property
    def rate(self) -> float:
        return self.meetings / self.seconds


async def pending() -> int:
    return await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING).count()


async def until_drained() -> None:
    """Polls the database, which has no event to wait on, until no calendar work is pending."""
    while True:
        if not await pending():
            return
        await asyncio.sleep(0.05)


async def drain(worker: CalendarWorker) -> float:
    started = time.perf_counter()
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run_forever(stop))
    await until_drained()
    elapsed = time.perf_counter() - started
    stop.set()
    await task
    return elapsed


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (Linux /proc; `resource` reports only waited-for children)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def first_handled() -> None:
    """Polls until a worker has handled its first message (start-up is over)."""
    while True:
        if await OutboxMessage.filter(topic=CALENDAR_TOPIC).exclude(processed_at=None).exists():
            return
        await asyncio.sleep(0.01)


async def drain_with_processes(
    url: str, processes: int, concurrency: int, graph_secret: str
) -> tuple[float, float, float]:
    """`mentorgraph worker` processes, as production runs them; timed from the first message handled to the
    last (process start-up, seconds on a loaded machine, is not sync work). Returns those seconds, the CPU
    seconds the workers used from their first handled message on, and this process's own CPU seconds meanwhile
    (the fakes' threads, mostly): CPU barely moves with other load on the machine, wall time does."""
    env = worker_environment(
        url,
        graph_secret,
        MENTORGRAPH_WORKER_CONCURRENCY=str(concurrency),
        MENTORGRAPH_WORKER_POLL_SECONDS="0.02",
        MENTORGRAPH_LOG_LEVEL="ERROR",
    )
    command = [str(Path(sys.executable).with_name("mentorgraph")), "worker"]
    workers = [
        await asyncio.create_subprocess_exec(*command, env=env, stdout=asyncio.subprocess.DEVNULL)
        for _ in range(processes)
    ]
    try:
        await first_handled()
        workers_before = sum(cpu_seconds(worker.pid) for worker in workers)
        own_before = own_cpu_seconds()
        await until_drained()
        workers_cpu = sum(cpu_seconds(worker.pid) for worker in workers) - workers_before
        own_cpu = own_cpu_seconds() - own_before
        handled = (
            await OutboxMessage.filter(topic=CALENDAR_TOPIC)
            .exclude(processed_at=None)
            .values_list("processed_at", flat=True)
        )
        return (max(handled) - min(handled)).total_seconds(), workers_cpu, own_cpu
    finally:
        for worker in workers:
            worker.terminate()
            await worker.wait()


def calls_of(google, microsoft) -> int:
    return sum(1 for r in google.fake.requests if r.path.startswith("/calendar/")) + sum(
        1 for r in microsoft.fake.requests if r.path.startswith("/v1.0/")
    )


async def run_case(
    case: str, meetings: int, *, processes: int, concurrency: int, fault_rate: float, folder: Path, url: str
):
    await wipe_all_tables(engine_of(url))
    with running_google(folder / case) as google, running_microsoft(folder / case) as microsoft:
        await connect(Provider.GOOGLE, google, GOOGLE_DOMAIN)
        await connect(Provider.MICROSOFT, microsoft, MICROSOFT_DOMAIN)
        load = await book_load(meetings, video_share=4)
        await change_load(load)
        if fault_rate:
            google.fake.faults = FaultPlan(google_calendar.transient_faults(), rate=fault_rate, seed=3)
            microsoft.fake.faults = FaultPlan(microsoft_graph.transient_faults(), rate=fault_rate, seed=4)
        seconds, worker_cpu, fakes_cpu = await drain_with_processes(
            url, processes, concurrency, microsoft.fake.client_secret
        )
        check = await check_convergence(PROVIDERS, google.fake, microsoft.fake)
        problems = sum(len(values) for values in check.problems.values())
        return Outcome(case, meetings, seconds, calls_of(google, microsoft), problems, worker_cpu, fakes_cpu)


async def calls_per_create(folder: Path, engine: str) -> tuple[float, float]:
    """Provider calls for a plain create and for one with a Meet or Teams link, no changes, no faults."""
    results = []
    for video_share in (0, 1):
        await wipe_all_tables(engine)
        with running_google(folder / f"c{video_share}") as google, running_microsoft(folder / f"c{video_share}") as ms:
            await connect(Provider.GOOGLE, google, GOOGLE_DOMAIN)
            await connect(Provider.MICROSOFT, ms, MICROSOFT_DOMAIN)
            load = await book_load(40, video_share=video_share)
            await drain(CalendarWorker(fast_config(), name="calls"))
            results.append(calls_of(google, ms) / len(load.meetings))
    return results[0], results[1]


async def latency(meetings: int, folder: Path, engine: str) -> list[float]:
    """Books at a steady pace with the worker running; seconds from each booking's commit to SYNCED."""
    await wipe_all_tables(engine)
    with running_google(folder / "lat") as google, running_microsoft(folder / "lat") as microsoft:
        await connect(Provider.GOOGLE, google, GOOGLE_DOMAIN)
        await connect(Provider.MICROSOFT, microsoft, MICROSOFT_DOMAIN)
        stop = asyncio.Event()
        worker = CalendarWorker(fast_config(worker_poll_seconds=0.02), name="latency")
        task = asyncio.create_task(worker.run_forever(stop))
        await book_load(meetings)
        await until_drained()
        stop.set()
        await task
        committed = {
            int(key): created
            for key, created in await OutboxMessage.filter(topic=CALENDAR_TOPIC)
            .order_by("-id")
            .values_list("key", "created_at")
        }
        synced = await CalendarEvent.filter(status=SyncStatus.SYNCED).values_list("meeting_id", "synced_at")
        return sorted((at - committed[meeting_id]).total_seconds() for meeting_id, at in synced)


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98] if len(values) >= 100 else max(values)


async def main(meetings: int, url: str | None) -> None:
    created = None
    if url is None:
        try:
            created = url = database.create_postgres_database()
        except BaseException:  # noqa: BLE001 - no PostgreSQL here: fall back to a SQLite file
            url = f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    engine = "postgres" if url.startswith("postgres") else "sqlite"
    load = os.getloadavg()
    migrations.upgrade(url)
    await open_database(url)
    folder = Path(tempfile.mkdtemp())
    try:
        many = 2 if engine == "postgres" else 1  # SQLite takes one writing process
        baseline = await run_case(
            "1 worker, 1 at a time (base)", meetings, processes=1, concurrency=1, fault_rate=0, folder=folder, url=url
        )
        rows = [baseline]
        for label, rate in ((f"{many} workers x 32 in flight", 0), (f"{many} workers x 32, 30% faults", 0.3)):
            rows.append(
                await run_case(label, meetings, processes=many, concurrency=32, fault_rate=rate, folder=folder, url=url)
            )
        plain, with_link = await calls_per_create(folder, engine)
        waits = await latency(min(meetings, 300), folder, engine)
    finally:
        await close_database()
        if created:
            database.drop_postgres_database(created)
    print(f"calendar sync through the outbox, {meetings} meetings ({engine}; a third moved, a fifth cancelled)")
    print(f"load average at the start {load[0]:.1f}, at the end {os.getloadavg()[0]:.1f} (2 cores shared: wall time")
    print("moves with the other work on the machine; worker CPU per meeting barely does)")
    print(
        f"{'case':<32} {'seconds':>8} {'meetings/s':>11} {'ratio':>6} {'calls/meeting':>14} {'problems':>9} "
        f"{'worker cpu ms/m':>16} {'fakes cpu ms/m':>15}"
    )
    for row in rows:
        print(
            f"{row.case:<32} {row.seconds:>8.2f} {row.rate:>11.1f} {row.rate / baseline.rate:>6.2f} "
            f"{row.calls / row.meetings:>14.2f} {row.problems:>9} "
            f"{row.worker_cpu / row.meetings * 1000:>16.2f} {row.fakes_cpu / row.meetings * 1000:>15.2f}"
        )
    best = rows[1].rate
    print(
        f"goal >= {GOAL_PER_SECOND}/s without faults: {'met' if best >= GOAL_PER_SECOND else 'NOT met'} ({best:.0f}/s)"
    )
    print(f"provider calls per create: plain {plain:.2f} (goal 1), with a Meet/Teams link {with_link:.2f} (goal <= 3)")
    print(
        f"commit -> synced at a steady pace ({len(waits)} meetings): p50 {statistics.median(waits) * 1000:.0f} ms, "
        f"p99 {p99(waits) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000, sys.argv[2] if len(sys.argv) > 2 else None))
