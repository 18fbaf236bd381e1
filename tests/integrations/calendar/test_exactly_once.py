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
from tests.api.conftest import ROOT, cli_environment, serving
from tests.fakes import google_calendar, microsoft_graph
from tests.fakes.calendar_checks import check_convergence
from tests.fakes.calendar_load import GOOGLE_DOMAIN, MICROSOFT_DOMAIN, book_load, change_load
from tests.fakes.calendar_setup import GRAPH_SECRET_VARIABLE, connect, running_google, running_microsoft
from tests.fakes.http_fake import FaultPlan

PROVIDERS = {GOOGLE_DOMAIN: Provider.GOOGLE, MICROSOFT_DOMAIN: Provider.MICROSOFT}
FAULT_RATE = 0.3


def worker_environment(database_url: str, graph_secret: str) -> dict[str, str]:
    return cli_environment(
        MENTORGRAPH_DATABASE_URL=database_url,
        MENTORGRAPH_WORKER_LEASE_SECONDS="3",
        MENTORGRAPH_WORKER_POLL_SECONDS="0.05",
        MENTORGRAPH_WORKER_BACKOFF_BASE_SECONDS="0.01",
        MENTORGRAPH_WORKER_BACKOFF_CAP_SECONDS="0.3",
        MENTORGRAPH_WORKER_MAX_ATTEMPTS="60",
        MENTORGRAPH_PROVIDER_TIMEOUT_SECONDS="5",
        MENTORGRAPH_SWEEP_INTERVAL_SECONDS="0",
        **{GRAPH_SECRET_VARIABLE: graph_secret},
    )


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


async def wait_settled(seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while await pending():
        assert time.monotonic() < deadline, f"{await pending()} calendar messages still pending"
        await asyncio.sleep(0.2)


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
        env = worker_environment(database_url, microsoft.fake.client_secret)
        doomed = start_worker("doomed", env, tmp_path / "doomed.log")
        survivor = start_worker("survivor", env, tmp_path / "survivor.log")
        try:
            load = await book_load(150, video_share=4)
            await asyncio.sleep(1.0)
            doomed.kill()  # SIGKILL: its leases are left to expire, mid-request
            synced_at_kill = await CalendarEvent.filter(status=SyncStatus.SYNCED).count()
            pending_at_kill = await pending()
            await change_load(load)
            await wait_settled(150)
        finally:
            for process in (doomed, survivor):
                with contextlib.suppress(ProcessLookupError):
                    process.terminate()
                process.wait(timeout=15)
        assert doomed.returncode == -9
        assert synced_at_kill > 0 and pending_at_kill > 0, "the kill must land mid-run"
        await assert_exactly_once(google, microsoft, expected=150)


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
        with serving(**{k: v for k, v in env.items() if k.startswith(("MENTORGRAPH_", "MG_"))}):
            await wait_settled(90)
        await assert_exactly_once(google, microsoft, expected=40)
