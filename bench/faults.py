"""Benchmark how the service degrades when PostgreSQL goes away: a 10 s stop and a 10 s freeze under 32 clients.

Run: python bench/faults.py [CLIENTS] [FAULT_SECONDS] [REQUEST_TIMEOUT_SECONDS]. Starts a PostgreSQL cluster
of its own (initdb + pg_ctl in a temporary folder, never the shared server) and a real `mentorgraph serve` on it
(default timeouts unless a request deadline is given),
then drives every client through a read and a creating write in turn. Prints, per phase, the answers by kind
(2xx, typed error, 503, 500, reset) and the p99 latency with its ratio against the healthy baseline run first in
this process ("in flight": sent before the fault, answered after it began), then checks every write against the
database: acknowledged writes missing and refused writes present must both be 0.
"""

from __future__ import annotations

import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.api.conftest import run_cli, serving
from tests.load import KINDS, Answer, Load, by_kind, emails_present, p99
from tests.postgres_cluster import own_postgres_cluster

BASELINE_SECONDS = 5
SETTLE_SECONDS = 10


async def scenario(url: str, token: str, cluster, *, name: str, clients: int, fault_seconds: float):
    """(answers, fault start, fault end) for one fault under load, with a healthy stretch before and after."""
    load = Load(url, token, clients=clients, prefix=f"bench-{name}")
    running = asyncio.create_task(load.run())
    await asyncio.sleep(BASELINE_SECONDS)
    began = load.now()
    if name == "stop":
        await asyncio.to_thread(cluster.stop)
        await asyncio.sleep(max(0.0, fault_seconds - (load.now() - began)))
        await asyncio.to_thread(cluster.start)
    else:
        cluster.freeze()
        await asyncio.sleep(fault_seconds)
        cluster.thaw()
    ended = load.now()
    await asyncio.sleep(SETTLE_SECONDS)
    load.stop()
    return await running, began, ended


def row(label: str, answers: list[Answer], baseline_p99: float) -> str:
    kinds = by_kind(answers)
    latency = p99(answers)
    ratio = latency / baseline_p99 if baseline_p99 else float("nan")
    counts = " ".join(f"{kinds[kind]:>11}" for kind in KINDS)
    return f"{label:<18} {counts} {latency:>9.3f} {ratio:>8.1f}x"


async def writes_check(database_url: str, answers: list[Answer]) -> tuple[int, int]:
    writes = [a for a in answers if a.write_email]
    acknowledged = [a.write_email for a in writes if a.acknowledged]
    refused = [a.write_email for a in writes if a.kind in ("503", "500")]
    present = await emails_present(database_url, acknowledged + refused)
    return len(set(acknowledged) - present), len(set(refused) & present)


def main() -> int:
    clients = int(sys.argv[1]) if len(sys.argv) > 1 else 32
    fault_seconds = float(sys.argv[2]) if len(sys.argv) > 2 else 10.0
    deadline = {"MENTORGRAPH_REQUEST_TIMEOUT_SECONDS": sys.argv[3]} if len(sys.argv) > 3 else {}
    failures = 0
    with own_postgres_cluster() as cluster:
        database_url = cluster.create_database()
        assert run_cli("migrate", MENTORGRAPH_DATABASE_URL=database_url).returncode == 0
        token = run_cli("token", "--email", "bench@load.example", "--role", "ADMIN").stdout.strip()
        with serving(
            MENTORGRAPH_DATABASE_URL=database_url,
            MENTORGRAPH_SWEEP_INTERVAL_SECONDS="0",
            MENTORGRAPH_LOG_LEVEL="ERROR",
            **deadline,
        ) as service:
            request = deadline.get("MENTORGRAPH_REQUEST_TIMEOUT_SECONDS", "15")
            print(f"{clients} clients, {fault_seconds:.0f} s faults, statement timeout 5 s, deadline {request} s")
            header = " ".join(f"{kind:>11}" for kind in KINDS)
            print(f"{'phase':<18} {header} {'p99 s':>9} {'vs base':>9}")
            for name in ("stop", "freeze"):
                started = time.monotonic()
                answers, began, ended = asyncio.run(
                    scenario(service.url, token, cluster, name=name, clients=clients, fault_seconds=fault_seconds)
                )
                # A request sent just before the fault and answered after it began met the fault: it is shown
                # on a row of its own, not counted with the healthy ones.
                baseline = [a for a in answers if a.started + a.seconds < began]
                caught = [a for a in answers if a.started < began <= a.started + a.seconds]
                during = [a for a in answers if began <= a.started < ended]
                after = [a for a in answers if a.started >= ended]
                base_p99 = p99(baseline)
                print(row(f"{name}: before", baseline, base_p99))
                print(row(f"{name}: in flight", caught, base_p99))
                print(row(f"{name}: during", during, base_p99))
                print(row(f"{name}: after", after, base_p99))
                missing, present = asyncio.run(writes_check(database_url, answers))
                settled = [a for a in after if a.started >= ended + 2]
                full_service = all(a.kind == "2xx" for a in settled)
                print(
                    f"{name}: acknowledged writes missing {missing} (must be 0), refused writes present {present} "
                    f"(must be 0), full service 2 s after: {'yes' if full_service else 'NO'} "
                    f"[{time.monotonic() - started:.0f} s]"
                )
                kinds = by_kind(answers)
                failures += missing + present + kinds["500"] + kinds["reset"] + (not full_service)
    print("PASS" if not failures else "FAIL")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
