"""Exactly once under faults: two `mentorgraph worker` processes on PostgreSQL, one SIGKILLed mid-run, the fakes
failing 30% of requests (lost responses after commit included); on SQLite, `serve`'s in-process worker."""

from __future__ import annotations

import asyncio
import contextlib
import subprocess
import sys
import time
from pathlib import Path

import pytest

from domain.calendar.changes import CALENDAR_TOPIC
from domain.calendar.models import CalendarEvent, Provider, SyncStatus
from domain.outbox.models import MessageStatus, OutboxMessage
from tests.api.conftest import ROOT, serving
from tests.fakes import google_calendar, microsoft_graph
from tests.fakes.calendar_checks import check_convergence
from tests.fakes.calendar_load import GOOGLE_DOMAIN, MICROSOFT_DOMAIN, book_load, change_load
from tests.fakes.calendar_setup import connect, running_google, running_microsoft, worker_environment
from tests.fakes.http_fake import FaultPlan

PROVIDERS = {GOOGLE_DOMAIN: Provider.GOOGLE, MICROSOFT_DOMAIN: Provider.MICROSOFT}
FAULT_RATE = 0.3
# The size: 500 meetings with Google organizers, 500 with Microsoft.
MEETINGS = 1000


def start_worker(name: str, env: dict[str, str], log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("mentorgraph")), "worker", "--name", name],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )


async def pending() -> int:
    return await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.PENDING).count()


async def wait_settled(stall_seconds: float) -> None:
    """Waits while messages keep settling; fails only when none has settled for `stall_seconds`.

    Progress, not a wall-clock budget, so a machine busy with other work slows the test down without failing it.
    """
    left, last_progress = await pending(), time.monotonic()
    while left:
        await asyncio.sleep(0.2)
        now_left = await pending()
        if now_left < left:
            left, last_progress = now_left, time.monotonic()
        assert time.monotonic() - last_progress < stall_seconds, f"{left} calendar messages stopped settling"


async def wait_synced(count: int, seconds: float) -> None:
    """The workers' start-up varies with the machine's load: the kill waits for `count` synced meetings."""
    deadline = time.monotonic() + seconds
    while await CalendarEvent.filter(status=SyncStatus.SYNCED).count() < count:
        assert time.monotonic() < deadline, f"{count} meetings not synced within {seconds} s of the workers starting"
        await asyncio.sleep(0.1)


def faulty(google, microsoft, seed: int) -> None:
    google.fake.faults = FaultPlan(google_calendar.transient_faults(), rate=FAULT_RATE, seed=seed)
    microsoft.fake.faults = FaultPlan(microsoft_graph.transient_faults(), rate=FAULT_RATE, seed=seed + 1)


async def assert_exactly_once(google, microsoft, expected: int) -> None:
    outcome = await check_convergence(PROVIDERS, google.fake, microsoft.fake)
    assert outcome.checked == expected
    assert outcome.problems == {}
    dead = await OutboxMessage.filter(topic=CALENDAR_TOPIC, status=MessageStatus.DEAD).values_list("key", flat=True)
    reasons = await CalendarEvent.filter(meeting_id__in=[int(key) for key in dead]).values_list("last_error", flat=True)
    assert not dead, f"dead-lettered: {sorted(set(reasons))}"
    faults = {r.fault for r in (*google.fake.requests, *microsoft.fake.requests)}
    assert {"lost-response", "drop"} <= faults


@pytest.mark.postgres_only
async def test_two_workers_one_killed_thirty_percent_faults_every_meeting_exactly_once(db, database_url, tmp_path):
    with running_google(tmp_path / "g") as google, running_microsoft(tmp_path / "m") as microsoft:
        await connect(Provider.GOOGLE, google, GOOGLE_DOMAIN)
        await connect(Provider.MICROSOFT, microsoft, MICROSOFT_DOMAIN)
        faulty(google, microsoft, seed=11)
        # A short lease, so the killed worker's meetings are taken over soon; requests time out well within it.
        env = worker_environment(
            database_url,
            microsoft.fake.client_secret,
            MENTORGRAPH_WORKER_LEASE_SECONDS="4",
            MENTORGRAPH_PROVIDER_TIMEOUT_SECONDS="2",
        )
        # Booked before the workers start: the test process, which also serves both fakes, books faster alone.
        load = await book_load(MEETINGS, video_share=4, concurrency=8)
        doomed = start_worker("doomed", env, tmp_path / "doomed.log")
        survivor = start_worker("survivor", env, tmp_path / "survivor.log")
        try:
            # The moves and cancellations go in while both workers are at it; one dies among them.
            changing = asyncio.create_task(change_load(load, concurrency=8))
            await wait_synced(MEETINGS // 10, seconds=120)
            doomed.kill()  # SIGKILL: whatever it leased is left to expire
            synced_at_kill = await CalendarEvent.filter(status=SyncStatus.SYNCED).count()
            pending_at_kill = await pending()
            await changing
            await wait_settled(120)  # longer than a lease, which the killed worker's rows wait out
        finally:
            for process in (doomed, survivor):
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
                process.wait(timeout=15)
        assert doomed.returncode == -9
        assert synced_at_kill > 0 and pending_at_kill > 0, "the kill must land mid-run"
        assert not changing.exception()
        await assert_exactly_once(google, microsoft, expected=MEETINGS)


async def test_serve_with_its_in_process_worker_converges_under_faults(db, database_url, engine, tmp_path):
    if engine != "sqlite":
        pytest.skip("the PostgreSQL pass runs the two-worker version")
    with running_google(tmp_path / "g") as google, running_microsoft(tmp_path / "m") as microsoft:
        await connect(Provider.GOOGLE, google, GOOGLE_DOMAIN)
        await connect(Provider.MICROSOFT, microsoft, MICROSOFT_DOMAIN)
        faulty(google, microsoft, seed=5)
        env = worker_environment(database_url, microsoft.fake.client_secret)
        # SQLite takes one writing process at a time: the changes are made first, then `serve` sends them.
        load = await book_load(40, video_share=4)
        await change_load(load)
        # A generous start-up: a loaded machine takes its time to import the app.
        with serving(startup_seconds=60, **{k: v for k, v in env.items() if k.startswith(("MENTORGRAPH_", "MG_"))}):
            await wait_settled(120)
        await assert_exactly_once(google, microsoft, expected=40)
