"""The server `make bench-api` measures: the app exactly as `serve` builds it, plus routes only the bench mounts.

Run by bench/api.py as its own process: `python bench/api_server.py DATABASE_URL PORT`. Besides /graphql it
serves the two baselines (bench/api_baselines.py, bench/api_floor.py) through the same middleware, and
GET /bench/stats: SQL statements executed so far, the process's resident set now and at its highest since
the last `?reset=1` (sampled every 50 ms by a thread, so a burst under load is seen), and with `?objects=1`
the live objects after a full collection.
"""

from __future__ import annotations

import gc
import logging
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import uvicorn
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse
from starlette.routing import Route

import api.database.postgres_client
import api.database.sqlite_client
from api.serving import serving_app
from api.settings import load_settings
from bench import api_baselines, api_floor
from integrations.calendar.free_busy import ConnectedCalendars

STATEMENTS = [0]


def count_statements() -> None:
    """Every statement either engine's client sends, whoever sends it (GraphQL or a baseline)."""
    for module in (api.database.sqlite_client, api.database.postgres_client):
        client_class = module.client_class
        for name in ("execute_query", "execute_query_dict"):
            original = getattr(client_class, name)

            async def counted(self, query, values=None, *, _original=original):
                STATEMENTS[0] += 1
                return await _original(self, query, values)

            setattr(client_class, name, counted)


def resident_kib() -> int:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS:"))


class PeakResident:
    def __init__(self) -> None:
        self.peak = resident_kib()
        threading.Thread(target=self._sample, daemon=True).start()

    def _sample(self) -> None:
        while True:
            self.peak = max(self.peak, resident_kib())
            time.sleep(0.05)

    def reset(self) -> None:
        self.peak = resident_kib()


def not_a_disconnect(record: logging.LogRecord) -> bool:
    """wrk drops its connections mid-request when a run ends; those requests' failures are no finding."""
    return not (record.exc_info and isinstance(record.exc_info[1], ClientDisconnect))


IN_FLIGHT = [0]


def counting_in_flight(app):
    """Counts requests being served: when wrk ends a run at 32 connections the server still works through what
    it accepted, and the next run must not start until it has (bench/api.py waits for zero)."""

    async def counted(scope, receive, send):
        if scope["type"] != "http" or scope["path"] == "/bench/stats":
            return await app(scope, receive, send)
        IN_FLIGHT[0] += 1
        try:
            return await app(scope, receive, send)
        finally:
            IN_FLIGHT[0] -= 1

    return counted


def main(database_url: str, port: int) -> None:
    logging.getLogger("uvicorn.error").addFilter(not_a_disconnect)
    count_statements()
    peak = PeakResident()

    async def stats(request: Request) -> JSONResponse:
        answer = {"statements": STATEMENTS[0], "in_flight": IN_FLIGHT[0], "rss_kib": resident_kib(),
                  "peak_rss_kib": peak.peak}  # fmt: skip
        if request.query_params.get("objects"):
            # Live objects after a full collection: a leak grows this, a high-water mark of the heap does not.
            gc.collect()
            answer["objects"] = len(gc.get_objects())
        if request.query_params.get("reset"):
            peak.reset()
        return JSONResponse(answer)

    app = serving_app(
        load_settings(database_url=database_url, log_level="WARNING", sweep_interval_seconds=0, worker="off")
    )
    # The baselines read busy time as /graphql does: meetings here plus connected calendars (none in the bench).
    app.state.free_busy = ConnectedCalendars(app.state.settings.calendar_sync)
    app.router.routes.extend(
        [Route("/bench/stats", stats, methods=["GET"]), *api_baselines.routes(), *api_floor.routes()]
    )
    served = counting_in_flight(app)
    uvicorn.run(served, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
