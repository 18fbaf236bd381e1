"""Where a bench-api document's time goes: cProfile over requests through the real ASGI app, in process.

Run: python bench/api_profile.py [dashboard|home|availableSlots] [--requests N] [--sort tottime|cumulative].
Seeds a SQLite file as `make bench-api` does (its default size), serves the app as `serve` builds it, sends
the document N times after a warm-up and prints the top entries.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx

from api.database.connection import close_database, open_database
from api.serving import serving_app
from api.settings import load_settings
from bench.api import cases, seed


async def main(name: str, requests: int, sort: str, top: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite://{Path(folder) / 'bench.sqlite3'}"
        activity, _ = await seed(url, 2_000, 1_000)
        case = next(case for case in cases(activity, url) if case.name == name)
        await open_database(url)
        app = serving_app(load_settings(database_url=url, log_level="WARNING", sweep_interval_seconds=0, worker="off"))
        body = {"query": case.document, "variables": case.variables}
        headers = {"Authorization": f"Bearer {case.token}"}
        try:
            async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client:
                for _ in range(3):
                    answer = (await client.post("/graphql", json=body, headers=headers)).json()
                    assert "errors" not in answer, json.dumps(answer)[:400]
                times = []
                for _ in range(requests):
                    started = time.perf_counter()
                    await client.post("/graphql", json=body, headers=headers)
                    times.append((time.perf_counter() - started) * 1000)
                profile = cProfile.Profile()
                profile.enable()
                for _ in range(requests):
                    await client.post("/graphql", json=body, headers=headers)
                profile.disable()
        finally:
            await close_database()
    print(f"{name}: {requests} requests through the ASGI app (SQLite): median {statistics.median(times):.1f} ms "
          f"unprofiled; top {top} by {sort}")  # fmt: skip
    pstats.Stats(profile).strip_dirs().sort_stats(sort).print_stats(top)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("document", nargs="?", default="dashboard", choices=("dashboard", "home", "availableSlots"))
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--sort", default="tottime")
    parser.add_argument("--top", type=int, default=30)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.document, arguments.requests, arguments.sort, arguments.top))
